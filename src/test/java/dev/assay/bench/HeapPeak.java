package dev.assay.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap use between {@link #reset()} and {@link #peakMb()}: the sum of the heap pools' peak
 * usage (an upper bound, since each pool peaks at its own moment).
 */
final class HeapPeak {

    private HeapPeak() {
    }

    static void reset() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    static double peakMb() {
        long bytes = heapPools().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return bytes / (1024.0 * 1024.0);
    }

    static long maxMb() {
        return Runtime.getRuntime().maxMemory() / (1024 * 1024);
    }

    private static java.util.stream.Stream<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP);
    }
}
