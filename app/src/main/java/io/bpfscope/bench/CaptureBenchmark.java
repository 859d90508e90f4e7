package io.bpfscope.bench;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.export.ExportJob;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture side's figures on N realistic exec events: writing a capture,
 * opening it ready to scroll, exporting JSON Lines, and the heap an event
 * costs beyond its raw bytes when every event is held in memory.
 */
public final class CaptureBenchmark {
    /** One measured step. */
    public record Figure(String what, double value, String unit, String goal) {
    }

    private final int events;
    private final Path dir;

    public CaptureBenchmark(int events, Path dir) {
        this.events = events;
        this.dir = dir;
    }

    public List<Figure> run() throws IOException {
        List<Figure> figures = new ArrayList<>();
        Path file = dir.resolve("bench.bscap");
        List<RecordBatch> batches = syntheticBatches();
        long rawBytes = batches.stream().mapToLong(RecordBatch::byteSize).sum();

        long start = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            CaptureWriter writer = new CaptureWriter(out, header()).indexAtEnd();
            for (RecordBatch batch : batches) {
                writer.append(batch);
            }
            writer.finish(new CaptureCounters(0, events, 0, List.of()));
        }
        figures.add(new Figure("write capture", events / seconds(start), "events/s", ""));

        start = System.nanoTime();
        try (CaptureIndex index = EventStore.index(file)) {
            index.store().get(index.store().size() / 2); // a first screen somewhere in the middle
            figures.add(new Figure("open " + events + "-event capture ready to scroll", seconds(start) * 1000, "ms", "< 2000 ms"));
        }

        // Twice: the first pass includes the JIT compiling the export path, the second is the steady rate.
        for (String pass : new String[] {"first pass", "second pass"}) {
            start = System.nanoTime();
            try (CaptureSource source = CaptureSource.of(file.toString(), false)) {
                new ExportJob(source, ExportJob.Format.JSONL, r -> true, (a, b, c) -> { }, () -> false)
                        .run(OutputStream.nullOutputStream());
            }
            figures.add(new Figure("export JSON Lines, " + pass, events / seconds(start), "events/s", ">= 300,000 events/s"));
        }

        figures.add(new Figure("heap per event beyond its raw bytes (all in memory)",
                heapPerEvent(batches, rawBytes), "bytes", "<= 200 bytes"));
        Files.deleteIfExists(file);
        return figures;
    }

    private double heapPerEvent(List<RecordBatch> batches, long rawBytes) {
        Runtime runtime = Runtime.getRuntime();
        List<RecordBatch> copies = new ArrayList<>();
        long before = usedHeap(runtime);
        EventStore store = new EventStore();
        for (RecordBatch batch : batches) {
            // Fresh batches, sized as the ring reader sizes them, so the measure is not shared with the input.
            RecordBatch copy = new RecordBatch(batch.byteSize(), batch.count());
            for (int i = 0; i < batch.count(); i++) {
                copy.append(batch.bytes(), batch.offset(i), batch.length(i));
            }
            store.append(copy);
            copies.add(copy);
        }
        long after = usedHeap(runtime);
        double perEvent = (after - before - rawBytes) / (double) events;
        if (store.size() != events || copies.isEmpty()) {
            throw new IllegalStateException("store lost events");
        }
        return perEvent;
    }

    private static long usedHeap(Runtime runtime) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private List<RecordBatch> syntheticBatches() {
        List<RecordBatch> batches = new ArrayList<>();
        RecordBatch batch = new RecordBatch(1 << 20, 8192);
        for (int i = 0; i < events; i++) {
            byte[] record = execRecord(i);
            if (!batch.append(record, 0, record.length)) {
                batches.add(batch);
                batch = new RecordBatch(1 << 20, 8192);
                batch.append(record, 0, record.length);
            }
        }
        batches.add(batch);
        return batches;
    }

    /** A real exec_event as the probe sends it: header, fixed fields, filename and argv. */
    public static byte[] execRecord(int i) {
        byte[] filename = "/usr/bin/curl\0".getBytes(StandardCharsets.UTF_8);
        byte[] args = ("curl\0-s\0https://example.com/item/" + i + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(60 + filename.length + args.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(1_000_000_000L + i * 1000L).putInt(1000 + i % 5000).putInt(1000 + i % 5000).putInt(1000)
                .putShort((short) EventKind.EXEC).putShort((short) 1);
        byte[] comm = new byte[16];
        System.arraycopy("curl".getBytes(StandardCharsets.UTF_8), 0, comm, 0, 4);
        b.put(comm).putInt(999).putInt(0).putInt(3).putShort((short) filename.length).putShort((short) args.length)
                .putInt(0).put(filename).put(args);
        return b.array();
    }

    static CaptureHeader header() {
        return new CaptureHeader("bscap", CaptureFormat.VERSION, "bench", "bench", "bench", 0, 0, 1 << 24,
                List.of(CaptureHeader.ProbeEntry.of(1, ProbeCatalog.find("exec").orElseThrow(), "", List.of())));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
