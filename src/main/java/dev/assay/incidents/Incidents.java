package dev.assay.incidents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import dev.assay.incidents.internal.IncidentQueries;
import dev.assay.incidents.internal.IncidentQueries.IncidentRow;

/** Reads incidents for pages, the API and other features (by their public records, never their tables). */
@Service
@Transactional(readOnly = true)
public class Incidents {

    private static final int OCCURRENCE_PAGE = 1000;

    private final IncidentQueries queries;
    private final IncidentFigures figures;
    private final IncidentReviews reviews;
    private final Clock clock;

    Incidents(IncidentQueries queries, IncidentFigures figures, IncidentReviews reviews, Clock clock) {
        this.queries = queries;
        this.figures = figures;
        this.reviews = reviews;
        this.clock = clock;
    }

    /**
     * Incidents newest first. The filter's window (when given) ends now; {@code drills} null lists both.
     *
     * @throws IllegalArgumentException a window that is not an ISO-8601 duration
     */
    public PageResult<IncidentSummary> list(IncidentFilter filter, PageRequest page) {
        IncidentQueries.Filter query = query(filter);
        long total = queries.count(query);
        List<IncidentSummary> items = queries.list(query, page.offset(), page.size()).stream().map(Incidents::summary).toList();
        return new PageResult<>(items, total, page.page(), page.size());
    }

    /**
     * Production incidents (drills excluded, as in the figures) that occurred in [from, to), oldest
     * first, with the instant the figures' windows select them by.
     */
    public List<IncidentOccurrence> occurrences(Instant from, Instant to) {
        IncidentQueries.Filter query = new IncidentQueries.Filter(from, to, null, null, null, false);
        List<IncidentOccurrence> occurrences = new ArrayList<>();
        int offset = 0;
        List<IncidentRow> page;
        do {
            page = queries.list(query, offset, OCCURRENCE_PAGE);
            page.forEach(row -> occurrences.add(new IncidentOccurrence(row.occurred(), summary(row))));
            offset += page.size();
        } while (page.size() == OCCURRENCE_PAGE);
        occurrences.sort(java.util.Comparator.comparing(IncidentOccurrence::occurredAt)
                .thenComparing(o -> o.incident().id()));
        return occurrences;
    }

    public Optional<IncidentSummary> summary(long id) {
        return queries.find(id).map(Incidents::summary);
    }

    public Optional<IncidentDetail> detail(long id) {
        return queries.find(id).map(row -> {
            IncidentSummary summary = summary(row);
            List<IncidentDetail.TimelineEvent> timeline = queries.events(id).stream()
                    .map(e -> new IncidentDetail.TimelineEvent(e.at(), e.kind(), e.actor(), e.summary())).toList();
            IncidentTimes times = summary.times();
            List<IncidentDetail.Measured> measured = new ArrayList<>();
            for (String metric : List.of("mttd", "mtta", "mttr")) {
                IncidentTimes.Measurement m = times.of(metric);
                measured.add(new IncidentDetail.Measured(metric, switch (metric) {
                    case "mttd" -> "Time to detect";
                    case "mtta" -> "Time to acknowledge";
                    default -> "Time to restore";
                }, m.measured() ? Durations.spell(m.duration()) : null, m.exclusion()));
            }
            return new IncidentDetail(summary, row.upstreamServices(), timeline, sentences(times), measured,
                    reviews.review(id).orElse(null));
        });
    }

    public List<String> severities() {
        return queries.severities();
    }

    public List<String> sources() {
        return queries.sources();
    }

    /** The durations in words, as the incident page spells them out. */
    static List<String> sentences(IncidentTimes times) {
        List<String> sentences = new ArrayList<>();
        IncidentTimes.Measurement ttd = times.ttd();
        sentences.add(ttd.measured() ? "Detected " + Durations.spell(ttd.duration()) + " after impact began"
                + (times.startedFromReview() ? " (impact start from the post-incident review)." : ".")
                : "Time to detect not measured: " + ttd.exclusion() + ".");
        IncidentTimes.Measurement tta = times.tta();
        sentences.add(tta.measured() ? "Acknowledged " + Durations.spell(tta.duration()) + " after detection."
                : "Time to acknowledge not measured: " + tta.exclusion() + ".");
        IncidentTimes.Measurement ttr = times.ttr();
        String how = times.mitigated() != null ? "Mitigated" : "Resolved";
        sentences.add(ttr.measured() ? how + " " + Durations.spell(ttr.duration()) + " after detection."
                : "Time to restore not measured: " + ttr.exclusion() + ".");
        if (times.mitigated() != null && times.resolved() != null && !times.resolved().isBefore(times.mitigated())) {
            sentences.add("Resolved " + Durations.spell(Duration.between(times.mitigated(), times.resolved()))
                    + " after mitigation.");
        }
        return sentences;
    }

    private IncidentQueries.Filter query(IncidentFilter filter) {
        Duration window = filter.windowDuration();
        Instant to = filter.to() != null ? filter.to() : window == null ? null : clock.instant();
        Instant from = window == null ? null : to.minus(window);
        return new IncidentQueries.Filter(from, to, figures.services(filter), filter.severity(), filter.source(),
                filter.drills());
    }

    static IncidentSummary summary(IncidentRow row) {
        IncidentTimes times = IncidentFigures.times(row.started(), row.reviewStarted(), row.detected(), row.acknowledged(),
                row.mitigated(), row.resolved());
        return new IncidentSummary(row.id(), row.sourceId(), row.sourceType(), row.externalId(), row.reference(), row.title(),
                row.severity(), row.status(), row.drill(), row.services(), times.started(), times.startedFromReview(),
                row.detected(), row.acknowledged(), row.mitigated(), row.resolved(), row.url(), row.runbookId(),
                row.reviewStatus(), seconds(times.ttd()), seconds(times.tta()), seconds(times.ttr()));
    }

    private static Double seconds(IncidentTimes.Measurement measurement) {
        return measurement.measured() ? measurement.seconds() : null;
    }
}
