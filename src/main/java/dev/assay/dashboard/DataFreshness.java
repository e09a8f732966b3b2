package dev.assay.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Service;

import dev.assay.collect.JobExecutions;
import dev.assay.collect.JobStatus;
import dev.assay.collect.SourceDefinition;
import dev.assay.collect.Sources;

/**
 * When the data was last collected and from which sources, for the line every page shows. A source
 * is stale when its last successful collection is older than twice its schedule's interval (the
 * time between two runs of its cron, in UTC), or when it has a schedule and never succeeded.
 */
@Service
public class DataFreshness {

    /** How many recent job executions are looked at. */
    static final int RECENT = 100;
    /** Every page shows the line: it is recomputed at most this often (application clock). */
    static final Duration REUSE = Duration.ofSeconds(15);

    private final Sources sources;
    private final JobExecutions executions;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicReference<Summary> last = new java.util.concurrent.atomic.AtomicReference<>();

    DataFreshness(Sources sources, JobExecutions executions, Clock clock) {
        this.sources = sources;
        this.executions = executions;
        this.clock = clock;
    }

    /**
     * @param lastSuccess the end of the newest successful collection, null when none
     * @param interval    the schedule's interval, null without a schedule
     */
    public record SourceFreshness(String id, String type, Instant lastSuccess, Duration interval, boolean stale) {

        public String warning() {
            if (!stale) {
                return null;
            }
            return lastSuccess == null ? "source " + id + " has never been collected successfully"
                    : "source " + id + " was last collected at " + lastSuccess + ", more than twice its schedule interval ("
                            + interval + ") ago";
        }
    }

    /**
     * @param lastCollected the newest successful collection of any source, null when none
     * @param computedAt    when this summary was computed (application clock)
     */
    public record Summary(Instant lastCollected, List<SourceFreshness> sources, Instant computedAt) {

        public List<SourceFreshness> stale() {
            return sources.stream().filter(SourceFreshness::stale).toList();
        }

        public String sourceNames() {
            return String.join(", ", sources.stream().filter(s -> s.lastSuccess() != null).map(SourceFreshness::id).toList());
        }
    }

    /** The freshness now, reusing the summary of the last {@link #REUSE} (every page asks for it). */
    public Summary summary() {
        Instant now = clock.instant();
        Summary cached = last.get();
        if (cached != null && !now.isBefore(cached.computedAt()) && now.isBefore(cached.computedAt().plus(REUSE))) {
            return cached;
        }
        Summary fresh = compute(now);
        last.set(fresh);
        return fresh;
    }

    private Summary compute(Instant now) {
        List<JobStatus> recent = executions.recent(RECENT);
        List<SourceFreshness> result = new ArrayList<>();
        for (SourceDefinition source : sources.all()) {
            Instant lastSuccess = recent.stream()
                    .filter(s -> source.id().equals(s.sourceId()) && "COMPLETED".equals(s.status()) && s.endedAt() != null)
                    .map(JobStatus::endedAt).max(Comparator.naturalOrder()).orElse(null);
            Duration interval = interval(source.schedule(), lastSuccess != null ? lastSuccess : now);
            boolean stale = interval != null
                    && (lastSuccess == null || Duration.between(lastSuccess, now).compareTo(interval.multipliedBy(2)) > 0);
            result.add(new SourceFreshness(source.id(), source.type(), lastSuccess, interval, stale));
        }
        Instant lastCollected = result.stream().map(SourceFreshness::lastSuccess).filter(Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        return new Summary(lastCollected, result, now);
    }

    /** The time between the two runs of a cron schedule that follow {@code from}; null without a schedule. */
    static Duration interval(String schedule, Instant from) {
        if (schedule == null || schedule.isBlank()) {
            return null;
        }
        CronExpression cron = CronExpression.parse(schedule.strip());
        LocalDateTime first = cron.next(LocalDateTime.ofInstant(from, ZoneOffset.UTC));
        LocalDateTime second = first == null ? null : cron.next(first);
        return second == null ? null : Duration.between(first, second);
    }
}
