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

    /** @param scan also time the old full scan (as long as reading the whole file) */
    public BigCaptureBenchmark(long events, Path file, boolean scan) {
        this.events = events;
        this.file = file;
        this.scan = scan;
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
        return figures;
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
