package io.bpfscope.capture.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.bridge.ring.RecordBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .bscap format: round trips, cut files, damaged files, garbage, newer block types. */
class CaptureFileTest {
    private static final CaptureHeader HEADER = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host",
            "6.18", 1_000_000_000L, 2_000_000_000L, 1 << 20, List.of());

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryRecordByteForByte() throws IOException {
        List<byte[]> records = randomRecords(5000, 7);
        byte[] file = write(records, true);

        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file), "t.bscap")) {
            assertThat(reader.header()).isEqualTo(HEADER);
            List<byte[]> read = readAll(reader);
            assertThat(read).hasSize(records.size());
            for (int i = 0; i < records.size(); i++) {
                assertThat(read.get(i)).as("record %d", i).isEqualTo(records.get(i));
            }
            assertThat(reader.complete()).isTrue();
            assertThat(reader.problem()).isEmpty();
            assertThat(reader.counters().orElseThrow().events()).isEqualTo(5000);
        }
    }

    @Test
    void aFileCutAnywhereYieldsEveryCompleteRecordBeforeTheCut() throws IOException {
        List<byte[]> records = randomRecords(300, 11);
        byte[] file = write(records, true);
        long[] recordEnds = recordEndOffsets(file);
        int headerEnd = 8 + 8 + getInt(file, 12);

        for (int cut = headerEnd; cut < file.length; cut += 7) {
            byte[] truncated = Arrays.copyOf(file, cut);
            try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(truncated), "cut.bscap")) {
                List<byte[]> read = readAll(reader);
                int complete = 0;
                while (complete < recordEnds.length && recordEnds[complete] <= cut) {
                    complete++;
                }
                assertThat(read).as("records read from a file cut at %d", cut).hasSize(complete);
                for (int i = 0; i < read.size(); i++) {
                    assertThat(read.get(i)).isEqualTo(records.get(i));
                }
                assertThat(reader.complete()).isFalse();
                assertThat(reader.problem()).get().asString().contains("cut.bscap");
            }
        }
    }

    @Test
    void aFileCutInsideItsHeaderIsRefusedWithOneLine() throws IOException {
        byte[] file = write(randomRecords(3, 1), true);
        for (int cut : new int[] {0, 5, 8, 14, 20}) {
            assertThatThrownBy(() -> CaptureReader.open(new ByteArrayInputStream(Arrays.copyOf(file, cut)), "h.bscap"))
                    .isInstanceOf(CaptureFormatException.class)
                    .hasMessageStartingWith("h.bscap: offset ")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void garbageIsRefusedNamingTheFileOffsetAndExpectation() throws IOException {
        Path garbage = dir.resolve("garbage.bscap");
        Files.write(garbage, "this is not a capture at all".getBytes());

        assertThatThrownBy(() -> CaptureReader.open(garbage))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessage(garbage + ": offset 0: expected the bpfscope capture magic \"BSCAP\", found "
                        + "74 68 69 73 20 69 73 20 — this is not a .bscap file");
    }

    @Test
    void damageInsideARecordCostsNoRecordAndIsReported() throws IOException {
        List<byte[]> records = randomRecords(4000, 3);
        byte[] file = write(records, true);
        long[] ends = recordEndOffsets(file);
        int damageAt = (int) ends[ends.length - 1] - 10; // inside the last record of the last block
        file[damageAt] ^= 0x55;

        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file), "d.bscap")) {
            List<byte[]> read = readAll(reader);
            assertThat(read).hasSize(records.size()); // the lengths still add up: every record is read
            for (int i = 0; i < read.size() - 1; i++) {
                assertThat(read.get(i)).isEqualTo(records.get(i));
            }
            assertThat(read.get(read.size() - 1)).isNotEqualTo(records.get(records.size() - 1));
            assertThat(reader.problem()).get().asString().contains("checksum").contains("offset");
            assertThat(reader.damagedBlocks()).isEqualTo(1);
        }
    }

    @Test
    void aDamagedRecordLengthKeepsTheRecordsBeforeItAndTheBlocksAfterIt() throws IOException {
        List<byte[]> records = randomRecords(4000, 3);
        byte[] file = write(records, true);
        long[] ends = recordEndOffsets(file);
        int blocks = 0;
        for (int pos = headerLength(file); pos + 12 <= file.length; pos += 12 + getInt(file, pos + 4)) {
            blocks += getInt(file, pos) == CaptureFormat.BLOCK_EVENTS ? 1 : 0;
        }
        assertThat(blocks).as("the test needs several events blocks").isGreaterThan(2);
        int damaged = 10; // record 11's length field
        file[(int) ends[damaged - 1] + 2] ^= 0x10;

        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file), "d.bscap")) {
            List<byte[]> read = readAll(reader);
            assertThat(read.subList(0, damaged)).containsExactlyElementsOf(records.subList(0, damaged));
            // the rest of the first block is lost; every later block is read whole
            assertThat(read.get(damaged)).isNotEqualTo(records.get(damaged));
            assertThat(read.get(read.size() - 1)).isEqualTo(records.get(records.size() - 1));
            assertThat(read.size()).isGreaterThan(records.size() / 2).isLessThan(records.size());
            assertThat(reader.complete()).isTrue();
            assertThat(reader.problem()).get().asString().contains("d.bscap: offset ").contains("checksum")
                    .contains(damaged + " events of the block whose structure is intact were read");
        }
    }

    @Test
    void skipsBlockTypesFromNewerVersions() throws IOException {
        List<byte[]> records = randomRecords(10, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] first = write(records.subList(0, 5), false);
        out.write(first);
        out.write(block(77, "a block this version does not know".getBytes()));
        byte[] second = write(records.subList(5, 10), false);
        out.write(second, headerLength(second), second.length - headerLength(second)); // its blocks, not its header

        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(out.toByteArray()), "n.bscap")) {
            assertThat(readAll(reader)).hasSize(10);
        }
    }

    @Test
    void randomDamageNeverEscapesAsAnUnexpectedException() throws IOException {
        byte[] file = write(randomRecords(200, 9), true);
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] damaged = file.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            damaged = Arrays.copyOf(damaged, 1 + random.nextInt(damaged.length));
            try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(damaged), "f.bscap")) {
                readAll(reader);
            } catch (CaptureFormatException e) {
                assertThat(e.getMessage()).startsWith("f.bscap: offset ").doesNotContain("\n");
            }
        }
    }

    // --- helpers ---

    private static List<byte[]> randomRecords(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] record = new byte[40 + random.nextInt(300)];
            random.nextBytes(record);
            records.add(record);
        }
        return records;
    }

    private static byte[] write(List<byte[]> records, boolean finish) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureWriter writer = new CaptureWriter(out, HEADER);
        RecordBatch batch = new RecordBatch(1 << 16, 1024);
        for (byte[] record : records) {
            if (!batch.append(record, 0, record.length)) {
                writer.append(batch);
                batch = new RecordBatch(1 << 16, 1024);
                batch.append(record, 0, record.length);
            }
        }
        writer.append(batch);
        if (finish) {
            writer.finish(new CaptureCounters(0, records.size(), 0, List.of()));
        } else {
            writer.close();
        }
        return out.toByteArray();
    }

    private static int headerLength(byte[] file) {
        return 16 + getInt(file, 12);
    }

    /** An independent walk of the format: the file offset where each record ends. */
    private static long[] recordEndOffsets(byte[] file) {
        List<Long> ends = new ArrayList<>();
        int pos = headerLength(file);
        while (pos + 12 <= file.length) {
            int type = getInt(file, pos);
            int length = getInt(file, pos + 4);
            int payload = pos + 12;
            if (type == CaptureFormat.BLOCK_EVENTS) {
                int count = getInt(file, payload);
                int at = payload + 4;
                for (int i = 0; i < count; i++) {
                    at += 4 + getInt(file, at);
                    ends.add((long) at);
                }
            }
            pos = payload + length;
        }
        return ends.stream().mapToLong(Long::longValue).toArray();
    }

    private static byte[] block(int type, byte[] payload) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(payload);
        ByteBuffer buffer = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(type).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        return buffer.array();
    }

    private static List<byte[]> readAll(CaptureReader reader) throws IOException {
        List<byte[]> read = new ArrayList<>();
        for (RawRecord r = reader.next(); r != null; r = reader.next()) {
            read.add(r.copy());
        }
        return read;
    }

    private static int getInt(byte[] a, int at) {
        return CaptureReader.getInt(a, at);
    }
}
