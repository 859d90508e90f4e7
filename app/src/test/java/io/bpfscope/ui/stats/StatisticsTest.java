package io.bpfscope.ui.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.ui.common.ShownCapture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that do not decode are counted apart from the probes' and from what a filter left out. */
class StatisticsTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    /** The demo's first 20 records, then 2 TLS records whose payload length no record can hold. */
    private Path captureWithTwoUndecodable() throws IOException {
        Path file = dir.resolve("s.bscap");
        try (CaptureReader demo = CaptureReader.open(DEMO); OutputStream out = Files.newOutputStream(file)) {
            CaptureWriter writer = new CaptureWriter(out, demo.header());
            for (int i = 0; i < 20; i++) {
                RawRecord r = demo.next();
                writer.append(r.bytes(), r.offset(), r.length());
            }
            for (int i = 0; i < 2; i++) {
                ByteBuffer tls = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
                tls.putShort(20, (short) EventKind.TLS).putInt(72, 0x7fffffff).putShort(76, (short) 1);
                writer.append(tls.array(), 0, tls.capacity());
            }
            writer.finish(new CaptureCounters(0, 22, 0, List.of()));
        }
        return file;
    }

    @Test
    void everyEventCountsTheUndecodableAsNoProbes() throws IOException {
        try (CaptureIndex index = EventStore.index(captureWithTwoUndecodable())) {
            Statistics all = Statistics.of(ShownCapture.of(index, null), null, () -> false);
            assertThat(all.events()).isEqualTo(22);
            assertThat(all.undecodable()).isEqualTo(2);
            assertThat(all.undecodableInCapture()).isEqualTo(2);
            assertThat(all.probes().stream().mapToLong(Statistics.Count::count).sum()).isEqualTo(20);
            assertThat(StatisticsViewModel.statusText(all, false))
                    .isEqualTo("22 events counted; 2 could not be decoded (counted as no probe's)");
        }
    }

    @Test
    void rowsAFilterShowsSayThatTheUndecodableAreNotAmongThem() throws IOException {
        try (CaptureIndex index = EventStore.index(captureWithTwoUndecodable())) {
            long[] rows = LongStream.rangeClosed(1, 20).filter(seq -> seq % 2 == 0).toArray(); // as a filter leaves them
            Statistics shown = Statistics.of(ShownCapture.of(index, null), rows, () -> false);
            assertThat(shown.events()).isEqualTo(10);
            assertThat(shown.undecodable()).isZero();
            assertThat(shown.undecodableInCapture()).isEqualTo(2);
            assertThat(StatisticsViewModel.statusText(shown, true))
                    .isEqualTo("10 rows counted; 2 records of the capture could not be decoded, so no filter matches them");
        }
    }
}
