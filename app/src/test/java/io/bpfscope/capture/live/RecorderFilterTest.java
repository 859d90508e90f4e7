package io.bpfscope.capture.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code record -Y}: records that cannot be decoded are counted apart from those the filter left out. */
class RecorderFilterTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @Test
    void undecodableRecordsAreNotCountedAsNotMatchingTheFilter() throws IOException {
        RecordBatch batch = new RecordBatch(1 << 20, 1024);
        CaptureHeader header;
        int exec = 0;
        int others = 0;
        try (CaptureReader demo = CaptureReader.open(DEMO)) {
            header = demo.header();
            for (RawRecord r = demo.next(); r != null && r.seq() <= 40; r = demo.next()) {
                batch.append(r.bytes(), r.offset(), r.length());
                if (r.kind() == EventKind.EXEC) {
                    exec++;
                } else {
                    others++;
                }
            }
        }
        ByteBuffer tls = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        tls.putShort(20, (short) EventKind.TLS).putInt(72, 0x7fffffff).putShort(76, (short) 1);
        for (int i = 0; i < 3; i++) {
            batch.append(tls.array(), 0, tls.capacity());
        }
        assertThat(exec).isPositive();
        assertThat(others).isPositive();

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        Recorder recorder = new Recorder(index -> file, 0, 0, () -> { });
        recorder.begin(header, events -> new CaptureCounters(0, events, 0, List.of()),
                record -> record.probe().equals("exec"));
        recorder.onBatch(batch);
        recorder.finish(new CaptureCounters(0, recorder.events(), 0, List.of()));

        assertThat(recorder.events()).isEqualTo(exec);
        assertThat(recorder.filteredOut()).isEqualTo(others);
        assertThat(recorder.undecodable()).isEqualTo(3);
        try (CaptureReader written = CaptureReader.open(new ByteArrayInputStream(file.toByteArray()), "r.bscap")) {
            int n = 0;
            while (written.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(exec);
        }
    }
}
