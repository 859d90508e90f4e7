package io.bpfscope.bench;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.io.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A long capture's memory, without the wait: the number of events a GUI
 * capture of 10 minutes at 100,000 events/s would hold (60 million) flows
 * through the same path the live capture uses (capture file + event store
 * with its memory budget) as fast as it can, and the heap after GC is
 * sampled throughout. Reads back events from the start, middle and end.
 */
public final class SoakBenchmark {
    /** What the soak saw. */
    public record Result(long events, double seconds, long peakHeapAfterGc, long storeMemory, long fileBytes) {
    }

    private final long events;
    private final Path dir;

    public SoakBenchmark(long events, Path dir) {
        this.events = events;
        this.dir = dir;
    }

    public Result run() throws IOException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Path file = dir.resolve("soak.bscap");
        CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "bench", "bench", "bench", 0, 0, 1 << 24,
                List.of());
        long peak = 0;
        long start = System.nanoTime();
        long fileBytes;
        long storeMemory;
        try (CaptureWriter writer = new CaptureWriter(new BufferedOutputStream(PrivateFiles.create(file, false), 1 << 16), header);
             EventStore store = new EventStore(EventStore.DEFAULT_MEMORY_BUDGET, file)) {
            writer.setBlockListener(store::blockWritten);
            long written = 0;
            int round = 0;
            while (written < events) {
                // Batches as the ring reader makes them at 100,000 events/s: about 100 events per millisecond.
                RecordBatch batch = new RecordBatch(100 * 160, 100);
                for (int i = 0; i < 100 && written < events; i++, written++) {
                    byte[] record = CaptureBenchmark.execRecord((int) written);
                    batch.append(record, 0, record.length);
                }
                writer.append(batch);
                store.append(batch);
                if (++round % 50_000 == 0) {
                    System.gc();
                    peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
                }
            }
            writer.finish(new CaptureCounters(0, written, 0, List.of()));
            for (long seq : new long[] {1, written / 2, written}) {
                if (store.get(seq).length() < 60) {
                    throw new IllegalStateException("event " + seq + " did not read back");
                }
            }
            System.gc();
            peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            storeMemory = store.memoryBytes();
            fileBytes = Files.size(file);
        } finally {
            Files.deleteIfExists(file);
        }
        return new Result(events, (System.nanoTime() - start) / 1e9, peak, storeMemory, fileBytes);
    }
}
