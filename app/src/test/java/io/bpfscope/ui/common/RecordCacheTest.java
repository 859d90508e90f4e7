package io.bpfscope.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bench.CaptureBenchmark;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table's decoded rows: decoded on demand, the right event for each seq, and never more than its bound kept. */
class RecordCacheTest {
    @Test
    void decodesOnDemandAndKeepsABoundedNumber() {
        EventStore store = new EventStore();
        int events = 3 * RecordCache.SIZE;
        RecordBatch batch = new RecordBatch(events * 160, events);
        for (int i = 0; i < events; i++) {
            byte[] record = CaptureBenchmark.execRecord(i);
            batch.append(record, 0, record.length);
        }
        store.append(batch);
        CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "test", "test", 0, 0, 1 << 24,
                List.of(CaptureHeader.ProbeEntry.of(1, ProbeCatalog.find("exec").orElseThrow(), "", List.of())));
        ShownCapture capture = ShownCapture.of(store, header);
        RecordCache cache = new RecordCache(() -> capture, new ErrorDisplay());

        for (long seq = 1; seq <= events; seq++) {
            assertThat(cache.get(seq).event().summary()).endsWith("/item/" + (seq - 1));
        }
        assertThat(cache.size()).isEqualTo(RecordCache.SIZE);
        assertThat(cache.get(events + 1L)).isNull();
        assertThat(cache.get(1).seq()).isEqualTo(1L); // evicted long ago: decoded again
    }
}
