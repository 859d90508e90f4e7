package io.bpfscope.ui.table;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.ui.common.ShownCapture;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One stretch of a filter pass: decodes seqs {@code from..to} of a capture
 * and keeps those that pass. Runs on a background thread; reads the store,
 * which never waits for it. Records that cannot be decoded do not pass.
 */
final class RowScan {
    private RowScan() {
    }

    /** The matching seqs, ascending; null when {@code cancelled} said stop. */
    static long[] matching(ShownCapture capture, Predicate<DecodedRecord> predicate, long from, long to,
                           BooleanSupplier cancelled) {
        long[] found = new long[(int) Math.min(4096, to - from + 1)];
        int n = 0;
        for (long seq = from; seq <= to; seq++) {
            if ((seq & 4095) == 0 && cancelled.getAsBoolean()) {
                return null;
            }
            DecodedRecord record;
            try {
                record = capture.decode(seq);
            } catch (MalformedEventException | RuntimeException e) {
                continue;
            }
            if (predicate.test(record)) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = seq;
            }
        }
        return Arrays.copyOf(found, n);
    }
}
