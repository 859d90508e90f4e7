package io.bpfscope.bench;

import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.live.CaptureSession;
import io.bpfscope.capture.live.Recorder;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.open.OpenEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same storm of opens watched by libbpf-tools' opensnoop and by
 * bpfscope's open probe, one after the other: how many of the opens each
 * captured, and the CPU each spent consuming them (opensnoop: the whole
 * process, which prints a line per event; bpfscope: its ring reader and
 * dispatcher threads, which write a capture file).
 */
public final class OpensBenchmark {
    /** One tool's figures. */
    public record Result(String tool, long opens, long captured, long cpuNanos) {
        public double cpuNanosPerEvent() {
            return captured == 0 ? 0 : (double) cpuNanos / captured;
        }
    }

    private static final String OPENER = "bpfscope-opens"; // the storm's comm, so both tools can filter on it
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int opens;
    private final Path dir;
    private final Path target;
    private final Path opener;

    public OpensBenchmark(int opens, Path dir) throws IOException {
        this.opens = opens;
        this.dir = dir;
        this.target = dir.resolve("opened-" + System.nanoTime());
        Files.writeString(target, "x");
        // A copy of python3 under our own name: its comm is what both tools filter on.
        this.opener = dir.resolve(OPENER);
        Files.copy(Path.of("/usr/bin/python3"), opener);
        opener.toFile().setExecutable(true);
    }

    public Result opensnoop() throws IOException, InterruptedException {
        Path out = dir.resolve("opensnoop.txt");
        Process snoop = new ProcessBuilder("/usr/sbin/opensnoop", "-n", OPENER)
                .redirectOutput(out.toFile()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Files.size(out) == 0 && snoop.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20); // it prints its column header once attached
            }
            storm();
            Thread.sleep(1000); // let it drain
            long cpu = snoop.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            snoop.destroy();
            snoop.waitFor(10, TimeUnit.SECONDS);
            String name = target.toString();
            long captured;
            try (var lines = Files.lines(out)) {
                captured = lines.filter(l -> l.endsWith(name)).count();
            }
            return new Result("libbpf-tools opensnoop", opens, captured, cpu);
        } finally {
            snoop.destroyForcibly();
        }
    }

    public Result bpfscope() throws Exception {
        Path file = dir.resolve("opens.bscap");
        Recorder recorder = new Recorder(index -> new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 0, 0, () -> { });
        long cpu;
        try (CaptureSession session = CaptureSession.start(CaptureSession.DEFAULT_RING_BYTES, recorder)) {
            var probe = session.attach(new CaptureSession.Request(ProbeCatalog.find("open").orElseThrow(),
                    ProbeOptions.defaults().withComm(OPENER)));
            recorder.begin(new CaptureHeader("bscap", 1, "bench", "bench", "bench", 0, 0, session.ringBytes(),
                    List.of(CaptureHeader.ProbeEntry.of(probe.source(), probe.probe(), "", List.of()))), session::counters, null);
            long before = consumerCpu();
            storm();
            Thread.sleep(1000);
            cpu = consumerCpu() - before;
            session.close();
            recorder.finish(session.counters(recorder.events()));
        }
        long captured = 0;
        try (CaptureIndex index = EventStore.index(file)) {
            RecordDecoder decoder = new RecordDecoder(index.header());
            for (long seq = 1; seq <= index.store().size(); seq++) {
                if (decoder.decode(index.store().get(seq)).event() instanceof OpenEvent
                        && ((OpenEvent) decoder.decode(index.store().get(seq)).event()).path().equals(target.toString())) {
                    captured++;
                }
            }
        }
        Files.deleteIfExists(file);
        return new Result("bpfscope open probe", opens, captured, cpu);
    }

    /** N open+close pairs from one process named OPENER, as fast as it can. */
    private void storm() throws IOException, InterruptedException {
        String script = "import os\nfor _ in range(" + opens + "):\n    os.close(os.open(" + pythonString(target) + ", os.O_RDONLY))\n";
        Process p = new ProcessBuilder(opener.toString(), "-c", script).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("the open storm failed");
        }
    }

    private static String pythonString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static long consumerCpu() {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("bpfscope-ring-reader") || thread.getName().equals("bpfscope-dispatcher")) {
                total += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }
}
