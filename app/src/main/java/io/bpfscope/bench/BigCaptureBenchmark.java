package io.bpfscope.bench;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.CaptureSummary;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.MalformedEventException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A capture of any size opening at once: writes N exec events (100M is about 12 GB), then
 * measures with the file's pages dropped from the page cache first (a capture opened for
 * the first time, not one just read): opening it to the first screen of decoded rows as
 * the window does, jumps to random places, {@code info}'s summary, and for comparison the
 * scan that opening cost before the index (every block read and checked).
 */
public final class BigCaptureBenchmark {
    private static final int FIRST_SCREEN_ROWS = 60;
    private static final int JUMPS = 200;

    private final long events;
    private final Path file;
    private final boolean scan;
    private final boolean vsTshark;

    /**
     * @param scan     also time the old full scan (as long as reading the whole file)
     * @param vsTshark also time {@code show -Y} for the last event against {@code tshark -Y} over a pcapng of as many packets
     */
    public BigCaptureBenchmark(long events, Path file, boolean scan, boolean vsTshark) {
        this.events = events;
        this.file = file;
        this.scan = scan;
        this.vsTshark = vsTshark;
    }

    public List<CaptureBenchmark.Figure> run() throws IOException, InterruptedException {
        List<CaptureBenchmark.Figure> figures = new ArrayList<>();
        if (!Files.exists(file)) {
            long start = System.nanoTime();
            write();
            figures.add(new CaptureBenchmark.Figure("write the capture (" + (Files.size(file) >> 20) + " MiB)",
                    events / seconds(start), "events/s", ""));
        }
        dropFromPageCache();
        long start = System.nanoTime();
        try (CaptureIndex index = EventStore.index(file)) {
            long opened = System.nanoTime();
            RecordDecoder decoder = new RecordDecoder(index.header());
            for (long seq = 1; seq <= Math.min(FIRST_SCREEN_ROWS, index.store().size()); seq++) {
                decode(decoder, index.store(), seq);
            }
            figures.add(new CaptureBenchmark.Figure("open, index " + (index.fromIndex() ? "read" : "NOT found: scanned"),
                    (opened - start) / 1e6, "ms", ""));
            figures.add(new CaptureBenchmark.Figure("open to the first " + FIRST_SCREEN_ROWS + " rows decoded (cold cache)",
                    (System.nanoTime() - start) / 1e6, "ms", "< 2000 ms"));
            long size = index.store().size();
            if (size != events) {
                throw new IllegalStateException("the capture holds " + size + " events, expected " + events);
            }
            double[] jumps = new double[JUMPS];
            Random random = new Random(15);
            for (int i = 0; i < JUMPS; i++) {
                long target = 1 + (long) (random.nextDouble() * (size - FIRST_SCREEN_ROWS));
                long jump = System.nanoTime();
                for (long seq = target; seq < target + FIRST_SCREEN_ROWS; seq++) { // a screen of rows there
                    decode(decoder, index.store(), seq);
                }
                jumps[i] = (System.nanoTime() - jump) / 1e6;
            }
            Arrays.sort(jumps);
            figures.add(new CaptureBenchmark.Figure("jump to a random place, a screen of rows: median (cold cache)",
                    jumps[JUMPS / 2], "ms", ""));
            figures.add(new CaptureBenchmark.Figure("jump to a random place, a screen of rows: p99 (cold cache)",
                    jumps[JUMPS * 99 / 100], "ms", "< 50 ms"));
            figures.add(new CaptureBenchmark.Figure("jump to a random place, a screen of rows: max (cold cache)",
                    jumps[JUMPS - 1], "ms", ""));
            if (index.store().damage().isPresent()) {
                throw new IllegalStateException(index.store().damage().get());
            }
        }
        dropFromPageCache();
        start = System.nanoTime();
        CaptureSummary summary = CaptureSummary.fromIndex(file).orElseThrow(() -> new IllegalStateException("no index"));
        figures.add(new CaptureBenchmark.Figure("info's summary from the index (" + summary.events() + " events, cold cache)",
                (System.nanoTime() - start) / 1e6, "ms", "< 1000 ms (in-process)"));
        if (scan) {
            dropFromPageCache();
            start = System.nanoTime();
            long read = 0;
            try (CaptureReader reader = CaptureReader.open(file)) {
                while (reader.next() != null) {
                    read++;
                }
            }
            figures.add(new CaptureBenchmark.Figure("before the index: open = scan every block (" + read + " events, cold cache)",
                    (System.nanoTime() - start) / 1e6, "ms", ""));
        }
        if (vsTshark) {
            rareEventVsTshark(figures);
        }
        return figures;
    }

    /**
     * The last event found by a filter, by {@code bpfscope show -Y} (a new JVM, as a user runs it)
     * and by {@code tshark -Y} over a pcapng of as many UDP packets carrying the same command lines.
     */
    private void rareEventVsTshark(List<CaptureBenchmark.Figure> figures) throws IOException, InterruptedException {
        Path pcapng = Path.of(file + ".pcapng");
        if (!Files.exists(pcapng)) {
            writePcapng(pcapng);
        }
        String needle = "item/" + (events - 1);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> show = List.of(java, "-cp", System.getProperty("java.class.path"), "io.bpfscope.Main", "show",
                "-Y", "argv contains \"" + needle + "\"", file.toString());
        List<String> tshark = List.of("tshark", "-r", pcapng.toString(), "-Y", "udp contains \"" + needle + "\"");
        figures.add(new CaptureBenchmark.Figure("bpfscope show -Y 'argv contains \"" + needle + "\"' (new JVM)", timed(show), "s", ""));
        figures.add(new CaptureBenchmark.Figure("tshark -Y 'udp contains \"" + needle + "\"' over " + events + " packets",
                timed(tshark), "s", ""));
    }

    /** Seconds a command takes; it must print the one matching line. */
    private static double timed(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int status = process.waitFor();
        double seconds = seconds(start);
        if (status != 0 || out.lines().count() < 1) {
            throw new IOException(command.get(command.size() > 4 ? 4 : 0) + " failed (exit " + status + ")");
        }
        return seconds;
    }

    /** Section header, an Ethernet interface, then one UDP packet per event with the event's command line. */
    private void writePcapng(Path pcapng) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(pcapng), 1 << 20)) {
            out.write(pcapngBlock(0x0A0D0D0A, java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).array()));
            out.write(pcapngBlock(1, java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putShort((short) 1).putShort((short) 0).putInt(65535).array()));
            for (long i = 0; i < events; i++) {
                byte[] payload = ("curl\0-s\0https://example.com/item/" + i + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(14 + 20 + 8 + payload.length); // big-endian
                frame.put(new byte[] {2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 8, 0});
                frame.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length)).putInt(0)
                        .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x0a000001).putInt(0x0a000002);
                frame.putShort((short) 40000).putShort((short) 9999).putShort((short) (8 + payload.length)).putShort((short) 0)
                        .put(payload);
                long micros = 1_000_000 + i;
                java.nio.ByteBuffer epb = java.nio.ByteBuffer.allocate(20 + frame.capacity()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                epb.putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros).putInt(frame.capacity())
                        .putInt(frame.capacity()).put(frame.array());
                out.write(pcapngBlock(6, epb.array()));
            }
        }
    }

    private static byte[] pcapngBlock(int type, byte[] body) {
        int padded = (body.length + 3) & ~3;
        int total = 12 + padded;
        return java.nio.ByteBuffer.allocate(total).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(type).putInt(total).put(body).position(8 + padded).putInt(total).array();
    }

    private static void decode(RecordDecoder decoder, EventStore store, long seq) {
        try {
            decoder.decode(store.get(seq));
        } catch (MalformedEventException e) {
            throw new IllegalStateException("seq " + seq + " does not decode: " + e.getMessage());
        }
    }

    private void write() throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            CaptureWriter writer = new CaptureWriter(out, CaptureBenchmark.header()).indexAtEnd();
            RecordBatch batch = new RecordBatch(1 << 20, 8192);
            for (long i = 0; i < events; i++) {
                byte[] record = CaptureBenchmark.execRecord((int) (i % Integer.MAX_VALUE));
                if (!batch.append(record, 0, record.length)) {
                    writer.append(batch);
                    batch = new RecordBatch(1 << 20, 8192);
                    batch.append(record, 0, record.length);
                }
            }
            writer.append(batch);
            writer.finish(new CaptureCounters(0, events, 0, List.of()));
        }
    }

    /** Drops the file's pages from the page cache (coreutils dd: nocache with count=0 advises for the whole file). */
    private void dropFromPageCache() throws IOException, InterruptedException {
        Process dd = new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (dd.waitFor() != 0) {
            throw new IOException("dd could not drop " + file + " from the page cache");
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
