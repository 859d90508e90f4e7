package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bpfscope.Main;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * For the hostile-input tests: the commands that read captures, run in-process
 * with a time budget, the exit-code contract they must keep, and captures to
 * feed them (a small real one sliced from the demo, and crafted blocks).
 */
final class HostileInput {
    static final Path DEMO = findDemo();
    /** Each input gets this long; a hang (a backtracking regex, a loop on a bad length) fails the test. */
    static final Duration BUDGET = Duration.ofSeconds(5);

    /** A tracepoint's format as the kernel writes it; the small capture carries it in a PROBE block. */
    static final String SCHED_SWITCH = """
            name: sched_switch
            ID: 372
            format:
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
            \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            \tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;
            \tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;
            \tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;
            \tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;
            \tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;
            \tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;
            \tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;

            print fmt: "prev_comm=%s prev_pid=%d", REC->prev_comm, REC->prev_pid
            """;
    static final int TRACEPOINT_SOURCE = 200;

    private HostileInput() {
    }

    /** What a command printed and returned. */
    record Run(String command, int exit, String out, String err) {
        @Override
        public String toString() {
            return command + " -> exit " + exit + ", stderr: " + err.strip();
        }
    }

    /** The commands that read a capture, for {@code file}; {@code outDir} takes export outputs. */
    static List<String[]> commands(Path file, Path outDir, int serial) {
        String in = file.toString();
        return List.of(
                new String[] {"show", in},
                new String[] {"info", in},
                new String[] {"export", in, "--format", "jsonl", "-o", outDir.resolve(serial + ".jsonl").toString()},
                new String[] {"export", in, "--format", "csv", "-o", outDir.resolve(serial + ".csv").toString()},
                new String[] {"export", in, "--format", "pcapng", "-o", outDir.resolve(serial + ".pcapng").toString()},
                new String[] {"follow", in},
                new String[] {"show", in, "-Y", "probe == tls || pid > 1 || comm contains \"a\""});
    }

    /** Runs a command line in-process within {@link #BUDGET}, its stdout and stderr captured. */
    static Run run(String... args) {
        return assertTimeoutPreemptively(BUDGET, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream originalOut = System.out;
            PrintStream originalErr = System.err;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit;
            try {
                exit = Main.run(args);
            } finally {
                System.setOut(originalOut);
                System.setErr(originalErr);
            }
            return new Run(String.join(" ", args), exit, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }, () -> "no answer within " + BUDGET.toSeconds() + " s: " + String.join(" ", args));
    }

    /**
     * The contract for malformed input: exit 0, 1 (not a capture) or 4 (damaged, what was
     * intact was used); stderr holds only {@code bpfscope: } lines, no stack trace, and a
     * refusal (1) is one line.
     */
    static Run assertContract(Run run, String input) {
        assertThat(run.exit()).as("%s on %s", run, input).isIn(ExitCodes.OK, ExitCodes.INPUT, ExitCodes.PARTIAL);
        String err = run.err().strip();
        assertThat(err).as("%s on %s", run, input).doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("Error:");
        if (!err.isEmpty()) {
            for (String line : err.split("\n")) {
                assertThat(line).as("%s on %s", run, input).startsWith("bpfscope: ");
            }
        }
        if (run.exit() == ExitCodes.INPUT) {
            assertThat(err).as("%s on %s", run, input).isNotEmpty().doesNotContain("\n");
        }
        if (run.exit() == ExitCodes.PARTIAL) {
            assertThat(err).as("%s on %s: exit 4 says why", run, input).isNotEmpty();
        }
        return run;
    }

    // --- captures ---

    /**
     * A small real capture: up to {@code perProbe} records of each probe of the demo (the
     * shorter ones), in three events blocks with counters between them, a PROBE block that
     * adds a tracepoint with its format, and two of its records; ends with its END block.
     */
    static byte[] smallCapture(int perProbe) throws IOException {
        List<RawRecord> chosen = new ArrayList<>();
        CaptureHeader demoHeader;
        try (CaptureReader reader = CaptureReader.open(DEMO)) {
            demoHeader = reader.header();
            Map<Integer, Integer> taken = new HashMap<>();
            for (RawRecord r = reader.next(); r != null; r = reader.next()) {
                if (r.length() <= 700 && taken.merge(r.source(), 1, Integer::sum) <= perProbe) {
                    chosen.add(new RawRecord(r.seq(), r.copy(), 0, r.length()));
                }
            }
        }
        List<CaptureHeader.ProbeEntry> probes = new ArrayList<>();
        for (CaptureHeader.ProbeEntry p : demoHeader.probes()) {
            probes.add(new CaptureHeader.ProbeEntry(p.source(), p.name(), p.kind(), "", List.of(), p.layout(),
                    p.target(), p.format()));
        }
        CaptureHeader header = new CaptureHeader(demoHeader.format(), demoHeader.version(), "fuzz", "host", "6.1",
                demoHeader.bootToWallNanos(), demoHeader.startNanos(), demoHeader.ringBufferBytes(), probes);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CaptureWriter writer = new CaptureWriter(bytes, header);
        int third = Math.max(1, chosen.size() / 3);
        for (int i = 0; i < chosen.size(); i++) {
            RawRecord r = chosen.get(i);
            writer.append(r.bytes(), r.offset(), r.length());
            if ((i + 1) % third == 0) {
                writer.flush(new CaptureCounters(r.bootNanos(), i + 1, 0, List.of(
                        new CaptureCounters.ProbeCounters(probes.get(0).source(), probes.get(0).name(), 1, 2))));
            }
        }
        writer.addProbe(new CaptureHeader.ProbeEntry(TRACEPOINT_SOURCE, "tracepoint:sched:sched_switch",
                EventKind.TRACEPOINT, "tracepoint sched:sched_switch", List.of(), TracepointDecoder.LAYOUT,
                "sched:sched_switch", SCHED_SWITCH));
        long boot = chosen.get(chosen.size() - 1).bootNanos();
        for (int i = 0; i < 2; i++) {
            byte[] record = tracepointRecord(boot + i, 4242 + i);
            writer.append(record, 0, record.length);
        }
        writer.finish(new CaptureCounters(boot, chosen.size() + 2, 0, List.of()));
        return bytes.toByteArray();
    }

    /** A sched_switch record as the tracepoint probe sends it: its header, then the raw trace record. */
    static byte[] tracepointRecord(long bootNanos, int prevPid) {
        ByteBuffer r = ByteBuffer.allocate(TracepointDecoder.LAYOUT.fixedSize() + 64).order(ByteOrder.LITTLE_ENDIAN);
        eventHeader(r, bootNanos, EventKind.TRACEPOINT, TRACEPOINT_SOURCE, "kworker/0:1");
        r.putShort(40, (short) 64); // record_len
        int data = 48;
        r.put(data + 8, "bash".getBytes(StandardCharsets.US_ASCII));
        r.putInt(data + 24, prevPid);
        r.put(data + 40, "swapper/0".getBytes(StandardCharsets.US_ASCII));
        return r.array();
    }

    /** {@code struct event_header} at the start of {@code r}. */
    static void eventHeader(ByteBuffer r, long bootNanos, int kind, int source, String comm) {
        r.putLong(0, bootNanos).putInt(8, 77).putInt(12, 77).putInt(16, 1000)
                .putShort(20, (short) kind).putShort(22, (short) source);
        r.put(24, comm.getBytes(StandardCharsets.US_ASCII));
    }

    /** The bytes of a capture's magic, version and JSON header. */
    static byte[] fileHead(String headerJson) {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(CaptureFormat.MAGIC).putShort((short) CaptureFormat.VERSION).putShort((short) 0).putInt(json.length).put(json);
        return b.array();
    }

    /** A header as JSON with the given {@code probes} array. */
    static String headerJson(String probesJson) {
        return "{\"format\":\"bscap\",\"version\":1,\"bpfscopeVersion\":\"t\",\"hostname\":\"h\",\"kernel\":\"6.1\","
                + "\"bootToWallNanos\":1000,\"startNanos\":2000,\"ringBufferBytes\":1048576,\"probes\":" + probesJson + "}";
    }

    /** A block with a correct checksum. */
    static byte[] block(int type, byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(type).putInt(payload.length).putInt((int) crc.getValue()).put(payload).array();
    }

    /** An events block's payload: the count, then each record with its length. */
    static byte[] eventsPayload(int count, byte[]... records) {
        int size = 4;
        for (byte[] r : records) {
            size += 4 + r.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).putInt(count);
        for (byte[] r : records) {
            b.putInt(r.length).put(r);
        }
        return b.array();
    }

    static byte[] endBlock(long events) {
        return block(CaptureFormat.BLOCK_END, ("{\"bootNanos\":0,\"events\":" + events
                + ",\"droppedInUserSpace\":0,\"probes\":[]}").getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static Path findDemo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path demo = p.resolve("assets/demo.bscap");
            if (Files.isRegularFile(demo)) {
                return demo;
            }
        }
        throw new IllegalStateException("assets/demo.bscap not found above " + Path.of("").toAbsolutePath());
    }
}
