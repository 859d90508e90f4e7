package io.bpfscope.cli;

import static io.bpfscope.cli.HostileInput.assertContract;
import static io.bpfscope.cli.HostileInput.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.file.CaptureFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deterministic fuzzer over the commands that read captures (Wireshark's fuzz
 * bots, in small): a small real capture cut at every offset, mutated byte by
 * byte and in bursts with fixed seeds, and with its lengths, counts and JSON
 * replaced by hostile values. Every input runs a real command in-process
 * within a time budget and must keep the exit-code contract
 * ({@link HostileInput#assertContract}). A failure names the input's seed or
 * offset, so it can be replayed.
 */
class CaptureFuzzTest {
    private static final int SINGLE_BYTE_MUTATIONS = 2000;
    private static final int BURST_MUTATIONS = 1000;
    /** Values that break arithmetic on lengths: around 0, the sign bit, and the top. */
    private static final int[] HOSTILE_INTS = {0, 1, 3, 4, 0x7fff, 0xffff, 0x10000, 0x7ffffff0, 0x7fffffff, 0x80000000,
        0xfffffffc, 0xffffffff, CaptureFormat.MAX_BLOCK, CaptureFormat.MAX_BLOCK + 1};

    private static byte[] base;
    private static int headerEnd;

    @TempDir
    static Path dir;

    private int serial;

    @BeforeAll
    static void smallRealCapture() throws IOException {
        base = HostileInput.smallCapture(6);
        headerEnd = 16 + ByteBuffer.wrap(base, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** Runs the {@code which}-th capture-reading command on {@code bytes}; outputs are removed after. */
    private HostileInput.Run fuzz(byte[] bytes, int which, String what) throws IOException {
        Path file = dir.resolve("fuzz.bscap");
        Files.write(file, bytes);
        Path out = Files.createDirectories(dir.resolve("out"));
        List<String[]> commands = HostileInput.commands(file, out, serial++);
        HostileInput.Run result;
        try {
            result = assertContract(run(commands.get(Math.floorMod(which, commands.size()))), what);
        } catch (AssertionError e) {
            keepForReplay(bytes, what);
            throw e;
        }
        try (Stream<Path> outputs = Files.list(out)) {
            for (Path p : outputs.toList()) {
                Files.delete(p);
            }
        }
        return result;
    }

    /** A failing input stays in target/fuzz-failures, to replay with {@code bpfscope show FILE}. */
    private static void keepForReplay(byte[] bytes, String what) throws IOException {
        Path kept = Files.createDirectories(Path.of("target", "fuzz-failures"))
                .resolve(what.replaceAll("[^A-Za-z0-9_.-]+", "_") + ".bscap");
        Files.write(kept, bytes);
    }

    @Test
    void theBaseCaptureIsWholeForEveryCommand() throws IOException {
        for (int which = 0; which < HostileInput.commands(dir, dir, 0).size(); which++) {
            HostileInput.Run r = fuzz(base, which, "the base");
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        assertThat(fuzz(base, 0, "the base").out()).contains("sched_switch").contains("prev_pid=4242").contains("tls")
                .contains("open").contains("exec");
    }

    @Test
    void everyTruncationOffset() throws IOException {
        for (int cut = 0; cut < base.length; cut++) {
            HostileInput.Run r = fuzz(java.util.Arrays.copyOf(base, cut), cut, "cut at " + cut);
            // Before the header's end it is no capture; after, a capture without its END block.
            assertThat(r.exit()).as("cut at %d: %s", cut, r).isEqualTo(cut < headerEnd ? ExitCodes.INPUT : ExitCodes.PARTIAL);
        }
    }

    @Test
    void singleByteMutations() throws IOException {
        Random random = new Random(20261129);
        for (int i = 0; i < SINGLE_BYTE_MUTATIONS; i++) {
            byte[] mutated = base.clone();
            int at = random.nextInt(mutated.length);
            mutated[at] = (byte) (mutated[at] ^ (1 + random.nextInt(255)));
            fuzz(mutated, i, "byte " + at + " changed (mutation " + i + ")");
        }
    }

    @Test
    void burstMutations() throws IOException {
        Random random = new Random(9);
        for (int i = 0; i < BURST_MUTATIONS; i++) {
            long seed = random.nextLong();
            fuzz(burst(new Random(seed)), i, "burst with seed " + seed);
        }
    }

    /** 2 to 16 changes past the header (random bytes, or a hostile u32), sometimes cut short too. */
    private static byte[] burst(Random random) {
        byte[] mutated = base.clone();
        ByteBuffer le = ByteBuffer.wrap(mutated).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 2 + random.nextInt(15); n > 0; n--) {
            int at = headerEnd + random.nextInt(mutated.length - headerEnd - 4);
            if (random.nextBoolean()) {
                le.putInt(at, HOSTILE_INTS[random.nextInt(HOSTILE_INTS.length)]);
            } else {
                mutated[at] = (byte) random.nextInt(256);
            }
        }
        return random.nextInt(4) == 0 ? java.util.Arrays.copyOf(mutated, headerEnd + random.nextInt(mutated.length - headerEnd))
                : mutated;
    }

    /**
     * Every length and count the format and the probes' records carry (block lengths,
     * records per block, record lengths, and the payload lengths inside records),
     * replaced by each hostile value, fixing the block's checksum so the reader
     * believes it; every command runs on each.
     */
    @Test
    void craftedLengthsAndCounts() throws IOException {
        List<int[]> fields = lengthFields(); // {offset of the u32 (or u16), its width, its block's offset}
        assertThat(fields.size()).as("length fields found in the base").isGreaterThan(50);
        int n = 0;
        for (int[] field : fields) {
            for (int value : HOSTILE_INTS) {
                byte[] crafted = base.clone();
                ByteBuffer le = ByteBuffer.wrap(crafted).order(ByteOrder.LITTLE_ENDIAN);
                if (field[1] == 4) {
                    le.putInt(field[0], value);
                } else {
                    le.putShort(field[0], (short) value);
                }
                fixChecksum(crafted, field[2]);
                fuzz(crafted, n++, "u" + 8 * field[1] + " at " + field[0] + " set to " + Integer.toUnsignedString(value));
            }
        }
    }

    /** The length fields of {@link #base}: in block headers, events blocks, and the records (by their kind). */
    private static List<int[]> lengthFields() {
        ByteBuffer le = ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN);
        List<int[]> fields = new ArrayList<>();
        fields.add(new int[] {12, 4, -1}); // the header's length
        for (int pos = headerEnd; pos + 12 <= base.length; pos += 12 + le.getInt(pos + 4)) {
            fields.add(new int[] {pos + 4, 4, -1});
            if (le.getInt(pos) != CaptureFormat.BLOCK_EVENTS) {
                continue;
            }
            int payload = pos + 12;
            fields.add(new int[] {payload, 4, pos});
            int at = payload + 4;
            for (int i = le.getInt(payload); i > 0; i--) {
                int length = le.getInt(at);
                fields.add(new int[] {at, 4, pos});
                int record = at + 4;
                for (int[] inRecord : payloadLengths(le.getShort(record + 20))) {
                    if (inRecord[0] + inRecord[1] <= length) {
                        fields.add(new int[] {record + inRecord[0], inRecord[1], pos});
                    }
                }
                at = record + length;
            }
        }
        return fields;
    }

    /** Where each probe's record says how many bytes follow: {offset, width}. */
    private static int[][] payloadLengths(int kind) {
        return switch (kind) {
            case 1 -> new int[][] {{52, 2}, {54, 2}};            // exec: filename_len, args_len
            case 3 -> new int[][] {{68, 2}};                     // open: path_len
            case 5 -> new int[][] {{72, 4}, {64, 4}};            // tls: len, payload_len
            case 6 -> new int[][] {{88, 4}, {84, 4}, {97, 1}};   // unix: data_len, payload_len, path_len
            case 7 -> new int[][] {{68, 2}, {60, 4}, {72, 1}};   // dns: data_len, msg_len, addr_count
            case 8 -> new int[][] {{40, 2}, {42, 2}, {44, 1}};   // tracepoint: record_len, strings_len, string_count
            case 9 -> new int[][] {{120, 4}};                    // uprobe: len
            default -> new int[0][];
        };
    }

    private static void fixChecksum(byte[] file, int blockOffset) {
        if (blockOffset < 0) {
            return;
        }
        ByteBuffer le = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int length = le.getInt(blockOffset + 4);
        if (length < 0 || length > file.length - blockOffset - 12) {
            return; // the length itself was the target: nothing to cover
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(file, blockOffset + 12, length);
        le.putInt(blockOffset + 8, (int) crc.getValue());
    }

    /** Header and PROBE/COUNTERS JSON that parses but says hostile things. */
    @Test
    void craftedJson() throws IOException {
        String deep = "[".repeat(100_000);
        List<String> probes = List.of("null", "[]", "[null]", "[{}]", "[{\"source\":1}]", "[{\"name\":null}]",
                "[{\"source\":-1,\"name\":\"exec\",\"kind\":1}]", "[{\"source\":1,\"name\":\"exec\",\"kind\":99999}]",
                "[{\"source\":1,\"name\":\"\\u001b[2J\",\"kind\":1,\"libraries\":[null]}]",
                "[{\"source\":1,\"name\":\"tp\",\"kind\":8,\"target\":\"nocolon\",\"format\":\"field:int x;\\toffset:8;\\tsize:99999;\"}]",
                "[{\"source\":1,\"name\":\"tp\",\"kind\":8,\"target\":\":\",\"format\":null}]",
                "[{\"source\":1,\"name\":\"up\",\"kind\":9,\"target\":\"\"}]",
                "[{\"source\":1,\"name\":\"x\",\"kind\":1,\"layout\":{\"fields\":[null]}}]",
                "{\"a\":1}", "\"text\"", "1e999999", deep);
        List<String> headers = new ArrayList<>();
        for (String p : probes) {
            headers.add(HostileInput.headerJson(p));
        }
        headers.add(HostileInput.headerJson("[]").replace("\"bootToWallNanos\":1000", "\"bootToWallNanos\":1e40"));
        headers.add(HostileInput.headerJson("[]").replace("\"version\":1", "\"version\":null"));
        headers.add(HostileInput.headerJson("[]").replace("\"format\":\"bscap\"", "\"format\":null"));
        headers.add("null");
        headers.add("{}");
        headers.add(deep);
        headers.add("{\"format\":\"bscap\"," + "\"x\":".repeat(1) + "\"" + "\\".repeat(10_001) + "\"}");
        byte[] blocks = java.util.Arrays.copyOfRange(base, headerEnd, base.length);
        int n = 0;
        for (String header : headers) {
            byte[] file = HostileInput.concat(HostileInput.fileHead(header), blocks);
            for (int which = 0; which < 7; which++) {
                fuzz(file, which, "header " + shortened(header));
            }
        }
        // The same values in PROBE and COUNTERS blocks after the base's events.
        byte[] withoutEnd = java.util.Arrays.copyOf(base, base.length - endBlockLength());
        for (String p : probes) {
            String entry = p.startsWith("[") && p.length() > 2 && p.length() < 1000 ? p.substring(1, p.length() - 1) : p;
            for (int type : new int[] {CaptureFormat.BLOCK_PROBE, CaptureFormat.BLOCK_COUNTERS, CaptureFormat.BLOCK_END}) {
                byte[] file = HostileInput.concat(withoutEnd,
                        HostileInput.block(type, entry.getBytes(StandardCharsets.UTF_8)), HostileInput.endBlock(1));
                fuzz(file, n++, "block " + type + " of " + shortened(entry));
            }
        }
    }

    /** Filters given with -Y: valid ones mutated char by char, and crafted ones; a bad filter is exit 1 and one line. */
    @Test
    void filterMutations() throws IOException {
        Path file = dir.resolve("base.bscap");
        Files.write(file, base);
        List<String> valid = List.of("probe == tls && payload contains \"GET\"", "pid == 1234 || comm contains \"ssh\"",
                "daddr in {10.0.0.0/8 127.0.0.1}", "payload contains 48:54:54:50", "latency_ns > 10ms",
                "!(probe == open) && path matches \"^/etc/\"", "prev_pid == 4242", "time >= 2026-11-25T11:12:45Z");
        List<String> crafted = List.of("(".repeat(100_000), "!".repeat(100_000), "pid == " + "9".repeat(10_000),
                "payload contains " + "41:".repeat(20_000) + "41", "comm matches \"(\"", "comm matches \"[\"",
                "daddr in {" + "1.2.3.4 ".repeat(10_000) + "}", "\u0000", "\"", "pid == 0x", "latency_ns > 99999999999999999999h");
        for (String filter : crafted) {
            filterRun(file, filter);
        }
        String alphabet = "()!&|=<>{}\"':/.,-+ 0123456789abcdefxyz_~*[]\\\u0000\u00e9";
        Random random = new Random(1129);
        for (int i = 0; i < 600; i++) {
            StringBuilder filter = new StringBuilder(valid.get(i % valid.size()));
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                int at = random.nextInt(filter.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> filter.insert(at, c);
                    case 1 -> filter.setCharAt(Math.min(at, filter.length() - 1), c);
                    default -> filter.delete(Math.min(at, filter.length() - 1), Math.min(at + 1 + random.nextInt(4), filter.length()));
                }
            }
            filterRun(file, filter.toString());
        }
    }

    private void filterRun(Path file, String filter) throws IOException {
        String what = "filter " + shortened(filter);
        HostileInput.Run r;
        try {
            r = assertContract(run("show", file.toString(), "-Y", filter), what);
        } catch (AssertionError e) {
            keepForReplay(filter.getBytes(StandardCharsets.UTF_8), what);
            throw e;
        }
        assertThat(r.exit()).as("%s: %s", what, r).isIn(ExitCodes.OK, ExitCodes.INPUT);
    }

    private static int endBlockLength() {
        ByteBuffer le = ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN);
        int last = headerEnd;
        for (int pos = headerEnd; pos + 12 <= base.length; pos += 12 + le.getInt(pos + 4)) {
            last = pos;
        }
        assertThat(le.getInt(last)).isEqualTo(CaptureFormat.BLOCK_END);
        return base.length - last;
    }

    private static String shortened(String text) {
        return text.length() > 100 ? text.substring(0, 100) + "…" : text;
    }
}
