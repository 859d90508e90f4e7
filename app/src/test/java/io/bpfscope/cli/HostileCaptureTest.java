package io.bpfscope.cli;

import static io.bpfscope.cli.HostileInput.assertContract;
import static io.bpfscope.cli.HostileInput.block;
import static io.bpfscope.cli.HostileInput.concat;
import static io.bpfscope.cli.HostileInput.endBlock;
import static io.bpfscope.cli.HostileInput.eventHeader;
import static io.bpfscope.cli.HostileInput.eventsPayload;
import static io.bpfscope.cli.HostileInput.fileHead;
import static io.bpfscope.cli.HostileInput.headerJson;
import static io.bpfscope.cli.HostileInput.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.live.StreamCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crafted captures of issue 9 ("What was seen"), one test each, and their
 * kin: each ran into exit 70, an OutOfMemoryError or a hang before. Every
 * command that reads captures must keep the contract on them
 * ({@link HostileInput#assertContract}) and keep what is intact.
 */
class HostileCaptureTest {
    @TempDir
    Path dir;

    private int serial;

    /** Runs every capture-reading command on {@code file}; returns the runs, show's first. */
    private List<HostileInput.Run> everyCommand(Path file) {
        return HostileInput.commands(file, dir, serial++).stream()
                .map(args -> assertContract(run(args), file.getFileName().toString())).toList();
    }

    private static byte[] demoRecord(int index) throws IOException {
        try (CaptureReader reader = CaptureReader.open(HostileInput.DEMO)) {
            RawRecord r = reader.next();
            for (int i = 0; i < index; i++) {
                r = reader.next();
            }
            return r.copy();
        }
    }

    private static byte[] demoHead() throws IOException {
        byte[] demo = Files.readAllBytes(HostileInput.DEMO);
        return Arrays.copyOf(demo, 16 + ByteBuffer.wrap(demo, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Test
    void aRecordLengthNear2To31IsDamageThatKeepsTheRecordsBeforeIt() throws IOException {
        byte[] good = demoRecord(0);
        ByteBuffer payload = ByteBuffer.allocate(4 + 4 + good.length + 4 + 16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(2).putInt(good.length).put(good).putInt(0x7ffffff0);
        Path file = HostileInput.write(dir, "long-record.bscap",
                concat(demoHead(), block(CaptureFormat.BLOCK_EVENTS, payload.array()), endBlock(2)));

        List<HostileInput.Run> runs = everyCommand(file);
        for (HostileInput.Run r : runs) {
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(r.err()).as(r.toString()).contains("offset ").contains("promises 2 records and holds 1 whole ones");
        }
        assertThat(runs.get(0).out()).contains("/usr/bin/getent hosts localhost").hasLineCount(2); // the title and the intact record
    }

    @Test
    void aTlsPayloadLengthNear2To31MakesThatRecordUndecodableNotOutOfMemory() throws IOException {
        ByteBuffer tls = ByteBuffer.allocate(120 + 16).order(ByteOrder.LITTLE_ENDIAN);
        eventHeader(tls, 5_000_000_000L, EventKind.TLS, 1, "curl");
        tls.putInt(72, 0x7fffffff).putShort(76, (short) 1);
        assertOneUndecodableRecord("tls-length.bscap", tls.array());
    }

    @Test
    void aUnixPayloadLengthNear2To31MakesThatRecordUndecodableNotOutOfMemory() throws IOException {
        ByteBuffer unix = ByteBuffer.allocate(208 + 16).order(ByteOrder.LITTLE_ENDIAN);
        eventHeader(unix, 5_000_000_000L, EventKind.UNIX, 1, "dbus");
        unix.putInt(88, 0x7ffffff8).put(97, (byte) 200);
        assertOneUndecodableRecord("unix-length.bscap", unix.array());
    }

    private void assertOneUndecodableRecord(String name, byte[] record) throws IOException {
        Path file = HostileInput.write(dir, name, concat(fileHead(headerJson("[]")),
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(2, demoRecord(0), record)), endBlock(2)));
        List<HostileInput.Run> runs = everyCommand(file);
        HostileInput.Run show = runs.get(0);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("/usr/bin/getent hosts localhost").contains("2  (cannot decode:");
        assertThat(show.err().strip()).startsWith("bpfscope: 1 record could not be decoded (first: ").doesNotContain("\n");
        HostileInput.Run info = runs.get(1);
        assertThat(info.exit()).isZero();
        assertThat(info.out()).contains("events:     2").contains("undecodable: 1 (first: ");
    }

    @Test
    void aProbeBlockOfJsonNullIsSkippedAsDamageAndTheEventsAroundItRead() throws IOException {
        Path file = HostileInput.write(dir, "probe-null.bscap", concat(fileHead(headerJson("[]")),
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(1, demoRecord(0))),
                block(CaptureFormat.BLOCK_PROBE, "null".getBytes(StandardCharsets.UTF_8)),
                block(CaptureFormat.BLOCK_PROBE, "{\"source\":3}".getBytes(StandardCharsets.UTF_8)),
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(1, demoRecord(1))), endBlock(2)));

        List<HostileInput.Run> runs = everyCommand(file);
        for (HostileInput.Run r : runs) {
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(r.err()).as(r.toString()).contains("expected a probe as JSON, found no probe")
                    .contains("(2 damaged blocks in all)");
        }
        assertThat(runs.get(0).out().lines().count()).isEqualTo(3);
    }

    @Test
    void aHeaderWhoseProbesAreNullOrNamelessIsNotACapture() throws IOException {
        for (String probes : List.of("[null]", "[{\"source\":1}]", "[{\"source\":1,\"name\":\"x\",\"kind\":-4}]", "7")) {
            Path file = HostileInput.write(dir, "header.bscap", concat(fileHead(headerJson(probes)), endBlock(0)));
            for (HostileInput.Run r : everyCommand(file)) {
                assertThat(r.exit()).as(r + " with probes " + probes).isEqualTo(ExitCodes.INPUT);
                assertThat(r.err()).as(r.toString()).contains("header.bscap: offset 16: expected");
            }
        }
    }

    @Test
    void headerNumbersAtTheirExtremesStillRead() throws IOException {
        String json = headerJson("[]").replace("\"bootToWallNanos\":1000", "\"bootToWallNanos\":9223372036854775807")
                .replace("\"startNanos\":2000", "\"startNanos\":-9223372036854775808")
                .replace("\"ringBufferBytes\":1048576", "\"ringBufferBytes\":-1")
                .replace("\"hostname\":\"h\"", "\"hostname\":null");
        Path file = HostileInput.write(dir, "extremes.bscap", concat(fileHead(json),
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(1, demoRecord(0))), endBlock(1)));
        for (HostileInput.Run r : everyCommand(file)) {
            assertThat(r.exit()).as(r.toString()).isZero();
        }
    }

    @Test
    void aTracepointFormatWithOffset99999999999MakesItsRecordsUndecodable() throws IOException {
        HostileInput.Run show = tracepointCapture(HostileInput.SCHED_SWITCH.replace("offset:24;", "offset:99999999999;"),
                "tp-offset.bscap").get(0);
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("cannot decode: format of tracepoint sched:sched_switch, line 10: "
                + "expected offset: and a number up to 65535");
    }

    @Test
    void aTracepointFieldNameOfAHundredThousandBracketsAnswersWithinTheBudget() throws IOException {
        String brackets = "[".repeat(100_000);
        List<HostileInput.Run> runs = tracepointCapture(
                HostileInput.SCHED_SWITCH.replace("field:pid_t prev_pid;", "field:pid_t " + brackets + ";"), "tp-brackets.bscap");
        assertThat(runs.get(0).exit()).isZero();
        assertThat(runs.get(0).out()).contains("sched_switch");
    }

    private List<HostileInput.Run> tracepointCapture(String format, String name) throws IOException {
        String probe = "{\"source\":" + HostileInput.TRACEPOINT_SOURCE + ",\"name\":\"tracepoint:sched:sched_switch\","
                + "\"kind\":8,\"attachedTo\":\"\",\"target\":\"sched:sched_switch\",\"format\":"
                + new com.google.gson.Gson().toJson(format) + "}";
        Path file = HostileInput.write(dir, name, concat(fileHead(headerJson("[" + probe + "]")),
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(1, HostileInput.tracepointRecord(5_000_000_000L, 42))),
                endBlock(1)));
        return everyCommand(file);
    }

    /** The demo's only events block, at its file offset; the demo's records, to compare with. */
    private record DemoBlock(byte[] file, int offset, int length, List<Integer> recordStarts) {
    }

    private static DemoBlock demoEventsBlock() throws IOException {
        byte[] demo = Files.readAllBytes(HostileInput.DEMO);
        ByteBuffer b = ByteBuffer.wrap(demo).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 16 + b.getInt(12);
        while (b.getInt(pos) != CaptureFormat.BLOCK_EVENTS) {
            pos += 12 + b.getInt(pos + 4);
        }
        int length = b.getInt(pos + 4);
        List<Integer> starts = new java.util.ArrayList<>();
        int at = pos + 16;
        for (int i = b.getInt(pos + 12); i > 0; i--) {
            starts.add(at);
            at += 4 + b.getInt(at);
        }
        assertThat(starts).hasSize(549);
        return new DemoBlock(demo, pos, length, starts);
    }

    @Test
    void oneFlippedByteInTheDemosOnlyEventsBlockCostsNoEvent() throws IOException {
        DemoBlock demo = demoEventsBlock();
        byte[] flipped = demo.file().clone();
        flipped[demo.recordStarts().get(274) + 4 + 30] ^= 0x20; // inside record 275's comm
        Path file = HostileInput.write(dir, "flipped.bscap", flipped);

        List<HostileInput.Run> runs = everyCommand(file);
        for (HostileInput.Run r : runs) {
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(r.err()).as(r.toString()).contains("flipped.bscap: offset " + demo.offset() + ": block checksum mismatch")
                    .contains("549 events of the block whose structure is intact were read");
        }
        assertThat(runs.get(0).out().lines().count()).isEqualTo(1 + 549);
        assertThat(runs.get(1).out()).contains("events:     549");
    }

    /** The block header is not under the checksum: a flip in its type, length or checksum must not cost the events. */
    @Test
    void aFlippedByteInTheHeaderOfTheDemosEventsBlockCostsAtMostOneEvent() throws IOException {
        DemoBlock demo = demoEventsBlock();
        for (int at = 0; at < 12; at++) {
            for (int bit : new int[] {0x01, 0x10, 0x80}) {
                byte[] flipped = demo.file().clone();
                flipped[demo.offset() + at] ^= (byte) bit;
                Path file = HostileInput.write(dir, "header-flip.bscap", flipped);
                HostileInput.Run info = assertContract(run("info", file.toString()), "header byte " + at + " ^ " + bit);
                assertThat(info.exit()).as("header byte %d ^ %x: %s", at, bit, info).isEqualTo(ExitCodes.PARTIAL);
                long events = Long.parseLong(info.out().lines().filter(l -> l.startsWith("events:"))
                        .findFirst().orElseThrow().replaceAll("[^0-9]", ""));
                assertThat(events).as("header byte %d ^ %x: %s", at, bit, info).isBetween(548L, 549L);
                assertThat(info.err()).contains("header-flip.bscap: offset " + demo.offset() + ": ");
            }
        }
    }

    /** The window reads records back from the file by block: a recovered block must read back the same. */
    @Test
    void theWindowsIndexReadsTheRecoveredRecordsBackFromTheFile() throws IOException {
        DemoBlock demo = demoEventsBlock();
        int[][] damages = {{demo.recordStarts().get(100) + 4 + 30, 0x20}, {demo.offset() + 5, 0x01},
            {demo.offset() + 7, 0x10}, {demo.offset() + 2, 0x80}, {demo.recordStarts().get(200) + 1, 0x02}};
        for (int[] damage : damages) {
            byte[] flipped = demo.file().clone();
            flipped[damage[0]] ^= (byte) damage[1];
            Path file = HostileInput.write(dir, "index.bscap", flipped);
            List<byte[]> read = new java.util.ArrayList<>();
            try (CaptureReader reader = CaptureReader.open(file)) {
                for (RawRecord r = reader.next(); r != null; r = reader.next()) {
                    read.add(r.copy());
                }
            }
            assertThat(read).as("byte %d ^ %x", damage[0], damage[1]).hasSizeGreaterThanOrEqualTo(200);
            try (io.bpfscope.capture.store.CaptureIndex index = EventStore.index(file)) {
                assertThat(index.store().size()).isEqualTo(read.size());
                assertThat(index.problem()).isPresent();
                for (int i = 0; i < read.size(); i++) {
                    assertThat(index.store().get(i + 1).copy()).as("byte %d ^ %x, seq %d", damage[0], damage[1], i + 1)
                            .isEqualTo(read.get(i));
                }
            }
        }
    }

    @Test
    void aGarbageBlockHeaderBetweenBlocksIsSkippedAndReadingGoesOn() throws IOException {
        byte[] head = fileHead(headerJson("[]"));
        byte[] first = block(CaptureFormat.BLOCK_EVENTS, eventsPayload(2, demoRecord(0), demoRecord(1)));
        byte[] garbage = ByteBuffer.allocate(12 + 40).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x41414141).putInt(-16).putInt(7).array();
        byte[] second = block(CaptureFormat.BLOCK_EVENTS, eventsPayload(1, demoRecord(2)));
        Path file = HostileInput.write(dir, "garbage.bscap", concat(head, first, garbage, second, endBlock(3)));

        for (HostileInput.Run r : everyCommand(file)) {
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(r.err()).as(r.toString()).contains("offset " + (head.length + first.length)
                    + ": expected a block header, found garbage").contains("reading went on at offset "
                    + (head.length + first.length + garbage.length));
        }
        assertThat(run("show", file.toString()).out().lines().count()).isEqualTo(1 + 3);
    }

    @Test
    void aFlippedRecordLengthInTheDemoKeepsTheRecordsBeforeIt() throws IOException {
        DemoBlock demo = demoEventsBlock();
        byte[] flipped = demo.file().clone();
        flipped[demo.recordStarts().get(300) + 2] ^= 0x40; // record 301's length grows by 4 MiB
        Path file = HostileInput.write(dir, "flipped-length.bscap", flipped);

        HostileInput.Run info = assertContract(run("info", file.toString()), "flipped-length");
        assertThat(info.exit()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(info.out()).contains("events:     300");
        assertThat(info.err()).contains("300 events of the block whose structure is intact were read");
    }

    @Test
    void aDamagedBlockDoesNotCostTheBlocksAfterIt() throws IOException {
        byte[] head = fileHead(headerJson("[]"));
        byte[] first = block(CaptureFormat.BLOCK_EVENTS, eventsPayload(2, demoRecord(0), demoRecord(1)));
        first[first.length - 1] ^= 1; // the checksum no longer matches
        Path file = HostileInput.write(dir, "middle.bscap", concat(head, first,
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(1, demoRecord(2))), endBlock(3)));

        HostileInput.Run show = assertContract(run("show", file.toString()), "middle");
        assertThat(show.exit()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(show.out().lines().count()).isEqualTo(1 + 3);
        assertThat(show.err()).contains("offset " + head.length + ": block checksum mismatch");
    }

    @Test
    void aCountLargerThanTheBlockGivesTheRecordsItHolds() throws IOException {
        Path file = HostileInput.write(dir, "count.bscap", concat(fileHead(headerJson("[]")),
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(0x7fffffff, demoRecord(0), demoRecord(1))), endBlock(2)));
        for (HostileInput.Run r : everyCommand(file)) {
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PARTIAL);
            assertThat(r.err()).as(r.toString()).contains("promises 2147483647 records and holds 2 whole ones");
        }
    }

    @Test
    void aBlockLengthBeyondTheFileOrTheFormatKeepsEverythingBeforeIt() throws IOException {
        byte[] head = fileHead(headerJson("[]"));
        byte[] events = block(CaptureFormat.BLOCK_EVENTS, eventsPayload(1, demoRecord(0)));
        for (int length : new int[] {-16, 0x7ffffff0, CaptureFormat.MAX_BLOCK - 1}) {
            byte[] bad = ByteBuffer.allocate(12 + 8).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(CaptureFormat.BLOCK_EVENTS).putInt(length).putInt(0).putInt(1).array();
            Path file = HostileInput.write(dir, "length.bscap", concat(head, events, bad));
            for (HostileInput.Run r : everyCommand(file)) {
                assertThat(r.exit()).as(r + " for a block length of " + length).isEqualTo(ExitCodes.PARTIAL);
                assertThat(r.err()).as(r.toString()).contains("offset " + (head.length + events.length));
            }
        }
    }

    @Test
    void aCaptureOnStdinKeepsTheContractToo() throws IOException {
        ByteBuffer tls = ByteBuffer.allocate(120 + 16).order(ByteOrder.LITTLE_ENDIAN);
        eventHeader(tls, 5_000_000_000L, EventKind.TLS, 1, "curl");
        tls.putInt(72, 0x7fffffff).putShort(76, (short) 1);
        byte[] damaged = concat(fileHead(headerJson("[]")),
                block(CaptureFormat.BLOCK_EVENTS, eventsPayload(2, demoRecord(0), tls.array())),
                block(CaptureFormat.BLOCK_PROBE, "null".getBytes(StandardCharsets.UTF_8)));
        for (String command : List.of("show", "info", "follow")) {
            InputStream stdin = System.in;
            System.setIn(new ByteArrayInputStream(damaged));
            try {
                HostileInput.Run r = assertContract(run(command, "-"), "stdin");
                assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.PARTIAL);
                assertThat(r.err()).as(r.toString()).contains("stdin: offset ");
            } finally {
                System.setIn(stdin);
            }
        }
    }

    @Test
    void aStreamIntoTheWindowReadsTheIntactRecordsOfADamagedBlock() throws Exception {
        DemoBlock demo = demoEventsBlock();
        byte[] flipped = demo.file().clone();
        flipped[demo.recordStarts().get(10) + 4 + 30] ^= 0x20;
        try (StreamCapture stream = StreamCapture.start(new ByteArrayInputStream(flipped), "ssh", dir, 64 << 20)) {
            long deadline = System.currentTimeMillis() + 5000;
            while (!stream.finished() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(stream.finished()).isTrue();
            EventStore store = stream.store();
            assertThat(store.size()).isEqualTo(549);
            assertThat(stream.problem()).get().asString().contains("ssh: offset " + demo.offset());
        }
    }
}
