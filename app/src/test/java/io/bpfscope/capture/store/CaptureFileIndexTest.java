package io.bpfscope.capture.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFileIndex;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index at the end of a capture file: written, used, rebuilt by a scan when missing, distrusted when it lies. */
class CaptureFileIndexTest {
    private static final CaptureHeader HEADER = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host",
            "6.18", 1_000_000_000L, 0, 1 << 20, List.of(CaptureHeader.ProbeEntry.of(7, ProbeCatalog.find("exec").orElseThrow(), "", List.of())));
    private static final int EVENTS = 30_000;

    @TempDir
    Path dir;
    private Path file;
    private List<byte[]> records;
    private byte[] bytes;

    @BeforeEach
    void writeAnIndexedCapture() throws IOException {
        file = dir.resolve("indexed.bscap");
        records = records(EVENTS);
        try (OutputStream out = Files.newOutputStream(file)) {
            CaptureWriter writer = new CaptureWriter(out, HEADER).indexAtEnd();
            for (int i = 0; i < records.size(); i += 1000) {
                RecordBatch batch = new RecordBatch(1 << 20, 1000);
                records.subList(i, i + 1000).forEach(r -> batch.append(r, 0, r.length));
                writer.append(batch);
                if (i == 5_000) {
                    writer.flush(new CaptureCounters(0, i, 0, List.of())); // a COUNTERS block, as every second
                }
                if (i == 10_000) { // a probe attached later: only a PROBE block declares it
                    writer.addProbe(CaptureHeader.ProbeEntry.of(8, ProbeCatalog.find("open").orElseThrow(), "", List.of()));
                }
            }
            writer.finish(new CaptureCounters(0, EVENTS, 0, List.of()));
        }
        bytes = Files.readAllBytes(file);
    }

    @Test
    void theIndexIsWrittenAndUsedAndGivesWhatAScanGives() throws IOException {
        try (CaptureIndex index = EventStore.index(file)) {
            assertThat(index.fromIndex()).as(index.indexNote()).isTrue();
            assertThat(index.complete()).isTrue();
            assertThat(index.header().probes()).extracting(CaptureHeader.ProbeEntry::name).containsExactly("exec", "open");
            assertThat(index.store().blockCount()).isGreaterThan(10);
            assertEveryRecord(index.store());
            assertThat(index.store().damage()).isEmpty();
        }
        // Readers that do not know the index stop at END: the file reads whole and complete, as before.
        try (CaptureReader reader = CaptureReader.open(file)) {
            long n = 0;
            while (reader.next() != null) {
                n++;
            }
            assertThat(n).isEqualTo(EVENTS);
            assertThat(reader.complete()).isTrue();
            assertThat(reader.problem()).isEmpty();
        }
        CaptureSummary fromIndex = CaptureSummary.fromIndex(file).orElseThrow();
        CaptureSummary scanned;
        try (CaptureReader reader = CaptureReader.open(file)) {
            scanned = CaptureSummary.read(reader);
        }
        assertThat(fromIndex.events()).isEqualTo(scanned.events());
        assertThat(fromIndex.eventsPerSource()).isEqualTo(scanned.eventsPerSource());
        assertThat(fromIndex.first()).isEqualTo(scanned.first());
        assertThat(fromIndex.last()).isEqualTo(scanned.last());
        assertThat(fromIndex.counters()).isEqualTo(scanned.counters());
        assertThat(fromIndex.header().probes()).isEqualTo(scanned.header().probes());
    }

    @Test
    void aFileWithoutItsIndexIsScannedWithIdenticalResults() throws IOException {
        long indexOffset = ByteBuffer.wrap(bytes, bytes.length - 16, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path older = write("older.bscap", Arrays.copyOf(bytes, (int) indexOffset)); // as written before the index
        try (CaptureIndex index = EventStore.index(older)) {
            assertThat(index.fromIndex()).isFalse();
            assertThat(index.complete()).isTrue();
            assertEveryRecord(index.store());
        }
        Path cut = write("cut.bscap", Arrays.copyOf(bytes, bytes.length / 2)); // a killed recorder
        try (CaptureIndex index = EventStore.index(cut); CaptureReader reader = CaptureReader.open(cut)) {
            assertThat(index.fromIndex()).isFalse();
            assertThat(index.indexNote()).contains("no index");
            assertThat(index.complete()).isFalse();
            long seq = 0;
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                seq++;
            }
            assertThat(index.store().size()).isEqualTo(seq).isGreaterThan(EVENTS / 3);
            for (long s = 1; s <= seq; s += 3) {
                assertThat(index.store().get(s).copy()).isEqualTo(records.get((int) s - 1));
            }
        }
    }

    @Test
    void aDamagedBlockIsReportedWhenFirstReadAndTheOthersAreRecovered() throws IOException {
        // A byte of a record in the middle of the file (not a length): its block's checksum no longer matches.
        int damagedSeq = EVENTS / 2;
        int at = positionOf(damagedSeq) + 20;
        byte[] damaged = bytes.clone();
        damaged[at] ^= 0x5a;
        Path path = write("damaged.bscap", damaged);
        try (CaptureIndex index = EventStore.index(path)) {
            assertThat(index.fromIndex()).isTrue();
            List<String> told = new ArrayList<>();
            index.store().setDamageListener(told::add);
            assertThat(index.store().get(1).copy()).isEqualTo(records.get(0));
            assertThat(index.store().damage()).as("not read yet, not reported yet").isEmpty();
            assertThat(index.store().get(damagedSeq).copy()[20]).isEqualTo((byte) (records.get(damagedSeq - 1)[20] ^ 0x5a));
            assertThat(index.store().damage()).hasValueSatisfying(d -> assertThat(d).contains("checksum mismatch"));
            for (long s = 1; s <= EVENTS; s++) { // every other record as written; the block read again is told once
                if (s != damagedSeq) {
                    assertThat(index.store().get(s).copy()).as("seq %d", s).isEqualTo(records.get((int) s - 1));
                }
            }
            assertThat(told).hasSize(1);
        }
        // A record length damaged: the records after it in that block show as damaged, the rest stay in place.
        byte[] cutLength = bytes.clone();
        int lengthAt = positionOf(damagedSeq) - 4;
        cutLength[lengthAt + 3] = 0x7f;
        Path lengthDamaged = write("length.bscap", cutLength);
        try (CaptureIndex index = EventStore.index(lengthDamaged)) {
            assertThat(index.fromIndex()).isTrue();
            assertThat(index.store().get(damagedSeq).hasHeader()).isFalse();
            assertThat(index.store().get(damagedSeq - 1).copy()).isEqualTo(records.get(damagedSeq - 2));
            assertThat(index.store().get(EVENTS).copy()).isEqualTo(records.get(EVENTS - 1));
            assertThat(index.store().damage()).isPresent();
        }
    }

    @Test
    void anIndexThatLiesIsDetectedAndTheFileScanned() throws IOException {
        List<Consumer<ByteBuffer>> lies = List.of(
                index -> index.putLong(8, 3),                            // block 0 offset inside the header
                index -> index.putLong(8 + 32, index.getLong(8)),        // block 1 where block 0 is
                index -> index.putInt(8 + 12, index.getInt(8 + 12) + 1), // block 0 holds one more record
                index -> index.putInt(8 + 12, 1_000_000_000),            // far more records than bytes
                index -> index.putInt(4, 1 << 28),                       // more blocks than the index holds
                index -> index.putInt(8 + 8, 12),                        // block 0 shorter than it is
                index -> index.putInt(4, 0),                             // no events at all (the blocks left out)
                index -> index.putInt(4, index.getInt(4) - 1),           // the last block left out
                index -> {                                                // counts moved between blocks
                    index.putInt(8 + 12, index.getInt(8 + 12) - 1);
                    index.putInt(8 + 32 + 12, index.getInt(8 + 32 + 12) + 1);
                });
        for (int i = 0; i < lies.size(); i++) {
            Path lying = write("lying" + i + ".bscap", withIndexChanged(lies.get(i)));
            try (CaptureIndex index = EventStore.index(lying)) {
                assertThat(index.fromIndex()).as("lie %d", i).isFalse();
                assertThat(index.complete()).isTrue();
                assertEveryRecord(index.store());
            }
            assertThat(CaptureSummary.fromIndex(lying)).as("lie %d", i).isEmpty();
        }
        byte[] trailer = bytes.clone();
        ByteBuffer.wrap(trailer).order(ByteOrder.LITTLE_ENDIAN).putLong(trailer.length - 16, Long.MAX_VALUE - 5);
        try (CaptureIndex index = EventStore.index(write("trailer.bscap", trailer))) {
            assertThat(index.fromIndex()).isFalse();
            assertThat(index.store().size()).isEqualTo(EVENTS);
        }
    }

    @Test
    void anEmptyCaptureHasAnIndexToo() throws IOException {
        Path empty = dir.resolve("empty.bscap");
        try (OutputStream out = Files.newOutputStream(empty)) {
            new CaptureWriter(out, HEADER).indexAtEnd().finish(new CaptureCounters(0, 0, 0, List.of()));
        }
        try (CaptureIndex index = EventStore.index(empty)) {
            assertThat(index.fromIndex()).as(index.indexNote()).isTrue();
            assertThat(index.store().size()).isZero();
        }
        CaptureSummary summary = CaptureSummary.fromIndex(empty).orElseThrow();
        assertThat(summary.events()).isZero();
        assertThat(summary.first()).isNull();
    }

    /** The file with its index payload changed and its checksum made to match again (a lie, not damage). */
    private byte[] withIndexChanged(Consumer<ByteBuffer> lie) {
        byte[] changed = bytes.clone();
        ByteBuffer all = ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN);
        int indexOffset = (int) all.getLong(changed.length - 16);
        int length = all.getInt(indexOffset + 4);
        ByteBuffer payload = ByteBuffer.wrap(changed, indexOffset + 12, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        lie.accept(payload);
        CRC32 crc = new CRC32();
        crc.update(changed, indexOffset + 12, length);
        all.putInt(indexOffset + 8, (int) crc.getValue());
        return changed;
    }

    /** Where record {@code seq}'s bytes start in the file, found by walking the blocks as written. */
    private int positionOf(int seq) {
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 16 + all.getInt(12);
        long first = 1;
        while (true) {
            int type = all.getInt(pos);
            int length = all.getInt(pos + 4);
            if (type == CaptureFormat.BLOCK_EVENTS) {
                int count = all.getInt(pos + 12);
                if (seq < first + count) {
                    int at = pos + 16;
                    for (long s = first; s < seq; s++) {
                        at += 4 + all.getInt(at);
                    }
                    return at + 4;
                }
                first += count;
            }
            pos += 12 + length;
        }
    }

    private void assertEveryRecord(EventStore store) {
        assertThat(store.size()).isEqualTo(EVENTS);
        for (long s = 1; s <= EVENTS; s++) {
            assertThat(store.get(s).copy()).as("seq %d", s).isEqualTo(records.get((int) s - 1));
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, content);
        return path;
    }

    /** Records with a real event header: rising boot times, sources 7 and 8, random bodies. */
    private static List<byte[]> records(int n) {
        Random random = new Random(15);
        List<byte[]> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] record = new byte[40 + random.nextInt(200)];
            random.nextBytes(record);
            ByteBuffer header = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(0, 5_000_000_000L + i * 1000L);
            header.putShort(20, (short) 3);
            header.putShort(22, (short) (i > 11_000 && i % 3 == 0 ? 8 : 7));
            made.add(record);
        }
        return made;
    }
}
