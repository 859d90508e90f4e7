package io.bpfscope.capture.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.EventStore;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture read from a pipe while it is still being written, as `record -o - | gui -` does. */
class StreamCaptureTest {
    @TempDir
    Path dir;

    @Test
    void showsEventsAsTheyArriveOnAPipe() throws Exception {
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(feed, 1 << 20);
        CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "t", "h", "k", 0, 0, 1, List.of());
        CaptureWriter writer = new CaptureWriter(feed, header);
        try (StreamCapture capture = StreamCapture.start(in, "stdin", dir, 1 << 20)) {
            assertThat(capture.header()).isEqualTo(header);
            writer.append(batchOf(100, 1));
            writer.flush(new CaptureCounters(0, 100, 0, List.of(new CaptureCounters.ProbeCounters(1, "exec", 7, 0))));
            // the counters block follows the records: both are in once it is read
            waitFor(() -> capture.store().size() == 100 && capture.countersSoFar().lost() == 7);
            assertThat(capture.finished()).isFalse();
            assertThat(capture.countersSoFar().lost()).isEqualTo(7);
            // what is shown is in the private file too, so Export and Save see it while the stream goes on
            assertThat(EventStore.index(capture.file()).store().size()).isEqualTo(100);

            writer.append(batchOf(50, 2));
            writer.finish(new CaptureCounters(0, 150, 0, List.of()));
            waitFor(capture::finished);
            assertThat(capture.store().size()).isEqualTo(150);
            assertThat(capture.store().get(150).copy()[0]).isEqualTo((byte) 2);
            assertThat(capture.problem()).isEmpty();
            CaptureIndex copy = EventStore.index(capture.file());
            assertThat(copy.store().size()).isEqualTo(150);
            assertThat(copy.problem()).isEmpty(); // complete: it ends with END
        }
    }

    private static RecordBatch batchOf(int n, int marker) {
        RecordBatch batch = new RecordBatch(n * 64, n);
        for (int i = 0; i < n; i++) {
            byte[] record = new byte[48];
            record[0] = (byte) marker;
            batch.append(record, 0, record.length);
        }
        return batch;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(10);
        }
    }
}
