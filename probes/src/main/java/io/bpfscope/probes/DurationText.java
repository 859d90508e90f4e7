package io.bpfscope.probes;

import java.util.Locale;

/** Latencies as people read them: {@code 1.23 s}, {@code 5.00 ms}, {@code 12.50 µs}, {@code 800 ns}. */
public final class DurationText {
    private DurationText() {
    }

    public static String of(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        if (nanos >= 1_000L) {
            return String.format(Locale.ROOT, "%.2f µs", nanos / 1e3);
        }
        return nanos + " ns";
    }
}
