package dev.assay.metrics.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.stereotype.Component;

/**
 * Remembers figures that are costly to recombine (MTTD / MTTA / MTTR with their bootstrap interval
 * and permutation test) for a short while, so that a dashboard under load does not recompute them on
 * every render. An entry is used only while it is younger than {@link #MAX_AGE} and was computed from
 * the same rollup run (its {@code generation}: when the newest rollup was computed); a new rollup run
 * makes every older entry useless at once. At most {@link #MAX_ENTRIES} entries are kept.
 */
@Component
public class RecentFigures {

    public static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 2_000;

    private record Entry(Object value, Instant generation, Instant computedAt) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    RecentFigures(Clock clock) {
        this.clock = clock;
    }

    /** Forgets everything (this instance wrote a new rollup; other instances see its new generation). */
    public void clear() {
        entries.clear();
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key, Instant generation, Supplier<T> compute) {
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (entry != null && entry.generation().equals(generation) && !entry.computedAt().isAfter(now)
                && entry.computedAt().plus(MAX_AGE).isAfter(now)) {
            return (T) entry.value();
        }
        T value = compute.get();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(value, generation, now));
        return value;
    }
}
