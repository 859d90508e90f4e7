package io.bpfscope.ui.timeline;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Events counted per probe in equal slices of time. Slices start at one
 * millisecond and double (merging pairs) whenever the capture would need
 * more than {@link #MAX_BUCKETS}, so the chart keeps a readable number of
 * points from a two-second demo to a day-long capture. Not thread-safe.
 */
final class RateBuckets {
    static final int MAX_BUCKETS = 200;
    /** The narrowest slice; every slice is this times a power of two, aligned on it. */
    static final long FIRST_WIDTH = 1_000_000L;

    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private long origin = Long.MIN_VALUE;
    private long width = FIRST_WIDTH;
    private int used;

    /** Counts one event of {@code probe} at epoch nanoseconds {@code time}. */
    void add(String probe, long time) {
        add(probe, time, 1);
    }

    /** Counts {@code count} events of {@code probe} at epoch nanoseconds {@code time}. */
    void add(String probe, long time, int count) {
        if (origin == Long.MIN_VALUE) {
            origin = Math.floorDiv(time, width) * width;
        }
        long index = Math.max(0, (time - origin) / width); // a little reordering across CPUs: into the first slice
        while (index >= MAX_BUCKETS) {
            mergePairs();
            index = Math.max(0, (time - origin) / width);
        }
        long[] slices = counts.computeIfAbsent(probe, p -> new long[MAX_BUCKETS]);
        slices[(int) index] += count;
        used = Math.max(used, (int) index + 1);
    }

    /**
     * Counts {@code count} events of {@code probe} spread evenly over epoch nanoseconds {@code from..to}
     * (a block of a file's index: its records and its first and last times), each slice taking its share.
     */
    void addSpan(String probe, long from, long to, long count) {
        if (count <= 0) {
            return;
        }
        if (to <= from || count == 1) {
            add(probe, from);
            addCount(probe, from, count - 1);
            return;
        }
        add(probe, to); // makes room for the whole span (the slices double as needed), and counts one
        add(probe, from);
        long rest = count - 2;
        long[] slices = counts.get(probe);
        int first = (int) Math.max(0, (from - origin) / width);
        int last = (int) Math.max(0, (to - origin) / width);
        long given = 0;
        for (int i = first; i <= last && rest > 0; i++) {
            long overlap = Math.min(to, start(i) + width) - Math.max(from, start(i));
            long share = i == last ? rest - given : (long) ((double) rest * overlap / (to - from));
            slices[i] += share;
            given += share;
        }
    }

    private void addCount(String probe, long time, long n) {
        if (n > 0) {
            counts.get(probe)[(int) Math.max(0, (time - origin) / width)] += n;
        }
    }

    private void mergePairs() {
        for (long[] slices : counts.values()) {
            for (int i = 0; i < MAX_BUCKETS / 2; i++) {
                slices[i] = slices[2 * i] + slices[2 * i + 1];
            }
            Arrays.fill(slices, MAX_BUCKETS / 2, MAX_BUCKETS, 0);
        }
        width *= 2;
        used = (used + 1) / 2;
    }

    boolean isEmpty() {
        return used == 0;
    }

    Set<String> probes() {
        return counts.keySet();
    }

    /** Slices in use. */
    int used() {
        return used;
    }

    long widthNanos() {
        return width;
    }

    /** Epoch nanoseconds where slice {@code i} starts. */
    long start(int i) {
        return origin + i * width;
    }

    long count(String probe, int i) {
        long[] slices = counts.get(probe);
        return slices == null ? 0 : slices[i];
    }

    /** Events per second in slice {@code i}. */
    double rate(String probe, int i) {
        return count(probe, i) * 1e9 / width;
    }
}
