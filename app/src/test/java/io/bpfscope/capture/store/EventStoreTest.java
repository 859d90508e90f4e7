package io.bpfscope.capture.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.io.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
    private static final CaptureHeader HEADER = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host",
            "6.18", 0, 0, 1 << 20, List.of());

    @TempDir
    Path dir;

    @Test
    void keepsMemoryWithinBudgetAndReadsEvictedEventsBackFromTheFile() throws IOException {
        Path file = dir.resolve("live.bscap");
        List<byte[]> records = records(20_000, 1);
        long budget = 256 * 1024;
        try (CaptureWriter writer = new CaptureWriter(new BufferedOutputStream(PrivateFiles.create(file, false)), HEADER);
             EventStore store = new EventStore(budget, file)) {
            writer.setBlockListener(store::blockWritten);
            for (RecordBatch batch : batches(records, 100)) {
                writer.append(batch);
                store.append(batch);
                // Only what is not yet in a written block may push memory past the budget.
                assertThat(store.memoryBytes()).isLessThan(budget + CaptureWriter.BLOCK_BYTES + (1 << 16));
            }
            assertThat(store.size()).isEqualTo(records.size());
            assertThat(store.blockCount()).isGreaterThan(5);
            Random random = new Random(3);
            for (int i = 0; i < 2000; i++) {
                int seq = 1 + random.nextInt(records.size());
                assertThat(store.get(seq).copy()).as("seq %d", seq).isEqualTo(records.get(seq - 1));
            }
            assertThat(store.get(1).copy()).isEqualTo(records.get(0));
            assertThat(store.get(records.size()).copy()).isEqualTo(records.get(records.size() - 1));
        }
    }

    @Test
    void indexesAFileWithoutLoadingItsEvents() throws IOException {
        Path file = dir.resolve("done.bscap");
        List<byte[]> records = records(5000, 2);
        try (CaptureWriter writer = new CaptureWriter(Files.newOutputStream(file), HEADER)) {
            for (RecordBatch batch : batches(records, 500)) {
                writer.append(batch);
            }
            writer.finish(new CaptureCounters(0, records.size(), 0, List.of()));
        }
        try (CaptureIndex index = EventStore.index(file)) {
            assertThat(index.complete()).isTrue();
            assertThat(index.store().size()).isEqualTo(5000);
            assertThat(index.store().memoryBytes()).isZero();
            for (int seq = 1; seq <= 5000; seq += 7) {
                assertThat(index.store().get(seq).copy()).isEqualTo(records.get(seq - 1));
            }
        }
    }

    @Test
    void indexesTheCompleteEventsOfACutFile() throws IOException {
        Path file = dir.resolve("cut.bscap");
        List<byte[]> records = records(3000, 4);
        try (CaptureWriter writer = new CaptureWriter(Files.newOutputStream(file), HEADER)) {
            for (RecordBatch batch : batches(records, 300)) {
                writer.append(batch);
            }
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 1000));
        try (CaptureIndex index = EventStore.index(file)) {
            assertThat(index.complete()).isFalse();
            assertThat(index.problem()).get().asString().contains("cut");
            long size = index.store().size();
            assertThat(size).isBetween(2000L, 2999L);
            for (int seq = 1; seq <= size; seq++) {
                assertThat(index.store().get(seq).copy()).isEqualTo(records.get(seq - 1));
            }
        }
    }

    private static List<byte[]> records(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] record = new byte[40 + random.nextInt(200)];
            random.nextBytes(record);
            records.add(record);
        }
        return records;
    }

    private static List<RecordBatch> batches(List<byte[]> records, int perBatch) {
        List<RecordBatch> batches = new ArrayList<>();
        for (int i = 0; i < records.size(); i += perBatch) {
            RecordBatch batch = new RecordBatch(perBatch * 256, perBatch);
            for (byte[] r : records.subList(i, Math.min(records.size(), i + perBatch))) {
                batch.append(r, 0, r.length);
            }
            batches.add(batch);
        }
        return batches;
    }
}
