package io.bpfscope.ui.timeline;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.ui.common.ShownCapture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Background reads for the timeline: times and probes of a stretch of records, and losses recorded in a file. */
final class TimelineScan {
    /**
     * Runs of consecutive records of one probe within one millisecond (the narrowest slice):
     * run i has {@code counts[i]} records of {@code probes[i]} at about {@code times[i]} (epoch ns).
     * At 100,000 events/s this is about a hundredth of the records, so the FX thread's share of the
     * counting stays small however fast events come.
     */
    record Stretch(long[] times, String[] probes, int[] counts, int runs) {
    }

    private TimelineScan() {
    }

    /** Reads seqs {@code from..to} of the store: only their headers' times and sources, nothing decoded. */
    static Stretch stretch(ShownCapture capture, long from, long to) {
        int n = (int) (to - from + 1);
        long[] times = new long[n];
        String[] probes = new String[n];
        int[] counts = new int[n];
        int runs = 0;
        for (long seq = from; seq <= to; seq++) {
            RawRecord record = capture.store().get(seq);
            if (!record.hasHeader()) {
                continue;
            }
            long time = capture.epochNanos(record);
            String probe = capture.probeName(record);
            if (runs > 0 && probes[runs - 1].equals(probe)
                    && Math.floorDiv(times[runs - 1], RateBuckets.FIRST_WIDTH) == Math.floorDiv(time, RateBuckets.FIRST_WIDTH)) {
                counts[runs - 1]++;
                continue;
            }
            times[runs] = time;
            probes[runs] = probe;
            counts[runs] = 1;
            runs++;
        }
        return new Stretch(times, probes, counts, runs);
    }

    /**
     * Where a file's counters blocks (one a second while recording) show the
     * lost count grew; the time is that of the counters block.
     */
    static List<LostMark> lostMarks(Path file, long bootToWallNanos) throws IOException {
        List<LostMark> marks = new ArrayList<>();
        long before = 0;
        CaptureCounters seen = null;
        try (CaptureReader reader = CaptureReader.open(file)) {
            while (true) {
                RawRecord record = reader.next();
                CaptureCounters now = reader.counters().orElse(null);
                if (now != null && now != seen) {
                    seen = now;
                    if (now.lost() > before) {
                        marks.add(new LostMark(now.bootNanos() + bootToWallNanos, now.lost() - before, now.lost(),
                                now.bootNanos() > 0));
                        before = now.lost();
                    }
                }
                if (record == null) {
                    break;
                }
            }
        }
        return marks;
    }
}
