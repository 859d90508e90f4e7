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
    /** Times (epoch ns) and probes of consecutive records. */
    record Stretch(long[] times, String[] probes, int count) {
    }

    private TimelineScan() {
    }

    /** Reads seqs {@code from..to} of the store: only their headers' times and sources, nothing decoded. */
    static Stretch stretch(ShownCapture capture, long from, long to) {
        int n = (int) (to - from + 1);
        long[] times = new long[n];
        String[] probes = new String[n];
        int count = 0;
        for (long seq = from; seq <= to; seq++) {
            RawRecord record = capture.store().get(seq);
            if (!record.hasHeader()) {
                continue;
            }
            times[count] = capture.epochNanos(record);
            probes[count] = capture.probeName(record);
            count++;
        }
        return new Stretch(times, probes, count);
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
