package io.bpfscope.bench;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.LibBpf;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.bridge.ring.RingBuffer;
import io.bpfscope.bridge.sys.LibC;
import io.bpfscope.capture.live.CaptureSession;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.ProbeLoader;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.bench.BenchProbe;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ring-buffer ingest: the bench probe emits {@code burst} records per
 * getpgid(burst) call of this process; a consumer drains them. Two consumers
 * are measured on the same load: bpfscope's own (the mmap reader and its
 * dispatcher, exactly as a capture runs) and libbpf's ring_buffer__poll with
 * a JNA callback per record.
 */
public final class IngestBenchmark {
    /** One run's figures. */
    public record Result(String consumer, long produced, long received, long lost, double seconds,
                         long consumerCpuNanos) {
        public double recordsPerSecond() {
            return received / seconds;
        }

        public double cpuNanosPerRecord() {
            return received == 0 ? 0 : (double) consumerCpuNanos / received;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int PID = LibC.INSTANCE.getpid();

    private final long records;
    private final int burst;
    private final int ringBytes;
    private final long ratePerSecond;

    /** @param ratePerSecond 0 for as fast as the producer can go */
    public IngestBenchmark(long records, int burst, int ringBytes, long ratePerSecond) {
        this.records = records;
        this.burst = burst;
        this.ringBytes = ringBytes;
        this.ratePerSecond = ratePerSecond;
    }

    /** bpfscope's consumer: CaptureSession (mmap reader thread + dispatcher), counting records. */
    public Result runMmapReader() throws BpfException, InterruptedException {
        AtomicLong counted = new AtomicLong();
        try (CaptureSession session = CaptureSession.start(ringBytes, new CaptureSession.Listener() {
            @Override
            public void onBatch(RecordBatch batch) {
                counted.addAndGet(batch.count());
            }
        })) {
            LoadedProbe probe = session.attach(new CaptureSession.Request(BenchProbe.PROBE,
                    ProbeOptions.defaults().withPid(PID)));
            long cpuBefore = consumerCpu();
            long start = System.nanoTime();
            long produced = produce();
            long lost = waitUntilDrained(counted, produced, probe);
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = consumerCpu() - cpuBefore;
            return new Result("bpfscope mmap reader", produced, counted.get(), lost, seconds, cpu);
        }
    }

    /** libbpf's consumer: ring_buffer__poll, one JNA callback (and one copy) per record. */
    public Result runLibbpfCallback() throws BpfException, InterruptedException {
        LibBpf lib = LibBpf.load();
        AtomicLong counted = new AtomicLong();
        LibBpf.SampleFunction callback = (Pointer ctx, Pointer data, NativeLong size) -> {
            data.getByteArray(0, size.intValue()); // the same one copy our reader makes
            counted.incrementAndGet();
            return 0;
        };
        try (RingBuffer ring = RingBuffer.create(ringBytes);
             LoadedProbe probe = ProbeLoader.load(BenchProbe.PROBE, ProbeOptions.defaults().withPid(PID), 1, ring)) {
            Pointer rb = lib.ring_buffer__new(ring.fd(), callback, null, null);
            if (rb == null) {
                throw BpfException.of("create libbpf ring_buffer", "events", com.sun.jna.Native.getLastError(), "");
            }
            long[] pollerCpu = new long[1];
            Thread poller = new Thread(() -> {
                long before = THREADS.getCurrentThreadCpuTime();
                while (!Thread.currentThread().isInterrupted()) {
                    lib.ring_buffer__poll(rb, 50);
                }
                pollerCpu[0] = THREADS.getCurrentThreadCpuTime() - before;
            }, "bench-libbpf-poller");
            poller.start();
            long start = System.nanoTime();
            long produced = produce();
            long lost = waitUntilDrained(counted, produced, probe);
            double seconds = (System.nanoTime() - start) / 1e9;
            poller.interrupt();
            poller.join();
            lib.ring_buffer__free(rb);
            return new Result("libbpf ring_buffer__poll + JNA callback", produced, counted.get(), lost, seconds, pollerCpu[0]);
        }
    }

    /** Calls getpgid(burst) until {@code records} are asked for, paced to the rate if one is set. */
    private long produce() {
        long produced = 0;
        long start = System.nanoTime();
        while (produced < records) {
            int n = (int) Math.min(burst, records - produced);
            LibC.INSTANCE.getpgid(n); // fails with ESRCH (no such pid): only the tracepoint matters
            produced += n;
            if (ratePerSecond > 0) {
                long due = start + (long) (produced * 1e9 / ratePerSecond);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
            }
        }
        return produced;
    }

    /** Waits until every record is either counted or lost; returns the number lost. */
    private static long waitUntilDrained(AtomicLong counted, long produced, LoadedProbe probe)
            throws BpfException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            long lost = probe.lost();
            if (counted.get() + lost >= produced) {
                return lost;
            }
            Thread.sleep(1);
        }
        return probe.lost();
    }

    private static long consumerCpu() {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("bpfscope-")) {
                long cpu = THREADS.getThreadCpuTime(thread.getId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }
}
