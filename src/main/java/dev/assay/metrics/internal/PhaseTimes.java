package dev.assay.metrics.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * Wall time spent per phase of one rollup run, for its log line: where a slow rollup spends its
 * time (one instance per run; not shared between threads).
 */
final class PhaseTimes {

    private final Map<String, Long> nanos = new LinkedHashMap<>();

    <T> T time(String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            nanos.merge(phase, System.nanoTime() - start, Long::sum);
        }
    }

    @Override
    public String toString() {
        StringJoiner joined = new StringJoiner(", ");
        nanos.forEach((phase, spent) -> joined.add(String.format(java.util.Locale.ROOT, "%s %.1f s", phase, spent / 1e9)));
        return joined.toString();
    }
}
