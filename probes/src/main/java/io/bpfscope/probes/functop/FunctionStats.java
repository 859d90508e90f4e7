package io.bpfscope.probes.functop;

import java.time.Duration;

/**
 * One function's latency since functop attached, summed over CPUs: the
 * calls that returned, their total, extremes and log2 histogram
 * ({@code struct functop_stats} in functop.h). Immutable.
 *
 * @param slots {@code slots[i]}: calls that took [2^i, 2^(i+1)) ns (slot 0 also holds 0 ns)
 */
public record FunctionStats(long count, long totalNs, long minNs, long maxNs, long[] slots) {
    /** As in functop.h. */
    public static final int SLOTS = 64;
    /** sizeof(struct functop_stats). */
    public static final int SIZE = 32 + 8 * SLOTS;

    public static final FunctionStats NONE = new FunctionStats(0, 0, 0, 0, new long[SLOTS]);

    public long averageNs() {
        return count == 0 ? 0 : totalNs / count;
    }

    public Duration total() {
        return Duration.ofNanos(totalNs);
    }

    /**
     * The latency below which {@code fraction} of the calls fall, estimated from
     * the histogram: linear within the log2 slot it lands in, kept within [min, max].
     */
    public long quantileNs(double fraction) {
        if (count == 0) {
            return 0;
        }
        double wanted = fraction * count;
        long seen = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == 0) {
                continue;
            }
            if (seen + slots[i] >= wanted) {
                double low = i == 0 ? 0 : Math.pow(2, i);
                double high = Math.pow(2, i + 1);
                double within = (wanted - seen) / slots[i];
                long estimate = (long) (low + within * (high - low));
                return Math.max(minNs, Math.min(maxNs, estimate));
            }
            seen += slots[i];
        }
        return maxNs;
    }

    /** Adds another CPU's (or another copy's) numbers. */
    public FunctionStats plus(FunctionStats other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            return other;
        }
        long[] sum = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            sum[i] = slots[i] + other.slots[i];
        }
        return new FunctionStats(count + other.count, totalNs + other.totalNs, Math.min(minNs, other.minNs),
                Math.max(maxNs, other.maxNs), sum);
    }
}
