package io.bpfscope.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bench.CaptureBenchmark;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.ui.common.ShownCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timeline's background read: runs of one probe per millisecond, counted as every record would be. */
class TimelineScanTest {
    @Test
    void recordsOfOneMillisecondBecomeOneRunThatCountsThemAll() {
        // execRecord(i) is at 1 s + i µs: a thousand records in each millisecond
        EventStore store = new EventStore();
        RecordBatch batch = new RecordBatch(2500 * 160, 2500);
        for (int i = 0; i < 2500; i++) {
            byte[] record = CaptureBenchmark.execRecord(i);
            batch.append(record, 0, record.length);
        }
        store.append(batch);
        ShownCapture capture = ShownCapture.of(store, new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "test",
                "test", 0, 0, 1 << 20, List.of(CaptureHeader.ProbeEntry.of(1, ProbeCatalog.find("exec").orElseThrow(), "",
                List.of()))));

        TimelineScan.Stretch stretch = TimelineScan.stretch(capture, 1, 2500);

        assertThat(stretch.runs()).isEqualTo(3);
        assertThat(List.of(stretch.counts()[0], stretch.counts()[1], stretch.counts()[2])).containsExactly(1000, 1000, 500);
        assertThat(stretch.probes()[0]).isEqualTo("exec");
        RateBuckets byRuns = new RateBuckets();
        for (int i = 0; i < stretch.runs(); i++) {
            byRuns.add(stretch.probes()[i], stretch.times()[i], stretch.counts()[i]);
        }
        RateBuckets byRecord = new RateBuckets();
        for (long seq = 1; seq <= 2500; seq++) {
            byRecord.add("exec", capture.epochNanos(store.get(seq)));
        }
        assertThat(byRuns.used()).isEqualTo(byRecord.used()).isEqualTo(3);
        for (int i = 0; i < byRecord.used(); i++) {
            assertThat(byRuns.count("exec", i)).isEqualTo(byRecord.count("exec", i));
        }
    }
}
