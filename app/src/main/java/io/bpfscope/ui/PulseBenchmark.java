package io.bpfscope.ui;

import io.bpfscope.bench.CaptureBenchmark;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.live.StreamCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.ui.common.FxTaskRunner;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * {@code bpfscope bench pulse}: the real main window (probes, timeline, table,
 * detail and hex panes) on a real display while events arrive at a set rate
 * (100,000/s by default), unfiltered with autoscroll, then with a filter.
 *
 * <p>The events come the way a live capture's do: a feeder thread, standing in
 * for the capture helper, writes real exec records as a capture stream into a
 * pipe every 10 ms; the window reads it as {@code gui -} or a live capture
 * does ({@link StreamCapture}: a private spool file, a store with its memory
 * budget). A row is selected, so the detail and hex panes show an event.
 *
 * <p>It measures each UI pulse (draining new events into the table, timeline
 * and status bar), the interval between frames (which also holds layout and
 * rendering), and the process's RSS and Java heap at the start, every minute
 * and at the end.
 */
public final class PulseBenchmark {
    /** Which phases to run. */
    public enum Phases { BOTH, UNFILTERED, FILTERED }

    private static final String FILTER = "comm == \"curl\" && pid < 3000";
    private static final long SLOW_PULSE_NANOS = 16_000_000L;

    private final long rate;
    private final int seconds;
    private final Phases phases;
    private final PrintStream out;
    private final AtomicLong fed = new AtomicLong();

    public PulseBenchmark(long rate, int seconds, Phases phases, PrintStream out) {
        this.rate = rate;
        this.seconds = seconds;
        this.phases = phases;
        this.out = out;
    }

    /** Runs the phases, printing as it goes; needs a display (Xvfb is fine). */
    public void run() throws InterruptedException, IOException {
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        out.printf("pulse: the main window fed %,d events/s as a live capture (a stream into a spool file and a store"
                + " of %d MiB budget), %d s per phase; goals: no pulse over 16 ms, frame interval p99 <= 50 ms%n",
                rate, EventStore.DEFAULT_MEMORY_BUDGET >> 20, seconds);
        Pipe pipe = Pipe.open();
        CaptureWriter writer = new CaptureWriter(new BufferedOutputStream(Channels.newOutputStream(pipe.sink()), 1 << 16),
                header());
        writer.flushEvents(); // the header, which the stream reads before it starts
        StreamCapture stream = StreamCapture.start(Channels.newInputStream(pipe.source()), "bench",
                Path.of(System.getProperty("java.io.tmpdir")), EventStore.DEFAULT_MEMORY_BUDGET);
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> feed(writer, feeding), "bench-feeder");
        Window window = onFx(() -> {
            MainViewModel viewModel = new MainViewModel("benchmark", new FxTaskRunner());
            MainWindow main = new MainWindow(viewModel);
            Stage stage = new Stage();
            stage.setScene(new Scene(main.root(), 1360, 860));
            stage.show();
            viewModel.onScreen().showStream(stream, "bpfscope — bench pulse (live)");
            return new Window(main, stage);
        });
        feeder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (onFx(() -> window.main.table().rowCount()) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100); // the first events are on screen
            }
            onFx(() -> { // an event selected, so the detail and hex panes show it while the table follows
                window.main.viewModel().table().selectedProperty().set(window.main.table().rowCount());
                return null;
            });
            out.println("  at start: " + memory());
            if (phases != Phases.FILTERED) {
                phase(window, "no filter, autoscroll", null);
            }
            if (phases != Phases.UNFILTERED) {
                phase(window, "filter " + FILTER, FILTER);
            }
            out.println("  at end:   " + memory());
        } finally {
            feeding.set(false);
            feeder.join();
            writer.finish(new CaptureCounters(0, fed.get(), 0, List.of()));
            writer.close();
            onFx(() -> {
                window.stage.close();
                window.main.viewModel().close();
                return null;
            });
            Platform.exit();
        }
        out.printf("  events fed: %,d%n", fed.get());
    }

    private record Window(MainWindow main, Stage stage) {
    }

    private void phase(Window window, String name, String filter) throws InterruptedException {
        List<Long> pulses = new ArrayList<>();
        List<Long> frames = new ArrayList<>();
        AnimationTimer frameClock = frameClock(frames);
        long fxThread = onFx(() -> Thread.currentThread().getId());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean system =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String loadBefore = loadAverage();
        long fxCpuBefore = threads.getThreadCpuTime(fxThread);
        long cpuBefore = system.getProcessCpuTime();
        long applyNanos = onFx(() -> {
            long applying = System.nanoTime();
            window.main.viewModel().filter().apply(filter == null ? "" : filter);
            applying = System.nanoTime() - applying;
            window.main.setPulseListener(pulses::add);
            frameClock.start();
            return applying;
        });
        if (filter != null) {
            out.printf("    the filter applied in %.1f ms on the FX thread, over %,d events%n", applyNanos / 1e6, fed.get());
        }
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (long minute = start + TimeUnit.MINUTES.toNanos(1); minute < end; minute += TimeUnit.MINUTES.toNanos(1)) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(minute - System.nanoTime()));
            out.printf("    %3d s: %s, events fed %,d%n", TimeUnit.NANOSECONDS.toSeconds(minute - start), memory(), fed.get());
        }
        Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
        long rows = onFx(() -> {
            frameClock.stop();
            window.main.setPulseListener(nanos -> { });
            return (long) window.main.table().rowCount();
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        double fxCpu = (threads.getThreadCpuTime(fxThread) - fxCpuBefore) / 1e6 / elapsed;
        double cpu = (system.getProcessCpuTime() - cpuBefore) / 1e6 / elapsed;
        long[] pulseNanos = sorted(pulses);
        long[] frameNanos = sorted(frames);
        long slow = Arrays.stream(pulseNanos).filter(nanos -> nanos > SLOW_PULSE_NANOS).count();
        out.printf("  %s:%n    pulses %,d: p50 %.2f ms, p99 %.2f ms, max %.2f ms, over 16 ms %d%n"
                        + "    frames %,d: interval p50 %.1f ms, p99 %.1f ms, max %.1f ms; rows shown %,d%n"
                        + "    CPU: FX thread %.0f ms/s, the whole process %.0f ms/s; machine load average %s -> %s%n",
                name, pulseNanos.length, percentile(pulseNanos, 50), percentile(pulseNanos, 99), percentile(pulseNanos, 100),
                slow, frameNanos.length, percentile(frameNanos, 50), percentile(frameNanos, 99), percentile(frameNanos, 100),
                rows, fxCpu, cpu, loadBefore, loadAverage());
    }

    /**
     * Writes {@code rate / 100} records every 10 ms into the stream: the capture helper's rhythm at
     * this rate. The records are a few thousand real exec records made once, each stamped with the
     * time it is sent (as the kernel stamps it), so the feeder adds no garbage of its own to the window's.
     */
    private void feed(CaptureWriter writer, AtomicBoolean feeding) {
        byte[][] records = new byte[4096][];
        for (int i = 0; i < records.length; i++) {
            records[i] = CaptureBenchmark.execRecord(i);
        }
        ByteBuffer stamp = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        int perTick = (int) Math.max(1, rate / 100);
        long next = System.nanoTime();
        int i = 0;
        try {
            while (feeding.get()) {
                long now = System.nanoTime();
                for (int n = 0; n < perTick; n++, i++) {
                    byte[] record = records[i & (records.length - 1)];
                    stamp.putLong(0, now + n * 10_000_000L / perTick); // spread over the tick
                    System.arraycopy(stamp.array(), 0, record, 0, Long.BYTES); // the header's time comes first
                    writer.append(record, 0, record.length);
                }
                writer.flushEvents();
                fed.addAndGet(perTick);
                next += 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the benchmark's stream failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** RSS, the heap in use now and after the last collection. */
    private static String memory() {
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            afterGc += collected == null ? 0 : collected.getUsed();
        }
        return String.format("RSS %,d MiB (PSS %,d MiB), Java heap used %,d MiB (after the last GC %,d MiB)",
                procKibibytes("/proc/self/status", "VmRSS:") >> 10, procKibibytes("/proc/self/smaps_rollup", "Pss:") >> 10,
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20, afterGc >> 20);
    }

    /** The 1-minute load average: how much else wanted the machine's cores. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * A kibibyte figure of /proc: RSS counts ZGC's heap once per view of it (JDK 17 maps it three
     * times), PSS counts each page once.
     */
    private static long procKibibytes(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static CaptureHeader header() {
        // record times are System.nanoTime(): this maps them to the wall clock, as bootToWall does for the kernel's
        long nanoToWall = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        return new CaptureHeader("bscap", CaptureFormat.VERSION, "bench", "pulse benchmark", "bench", nanoToWall, 0, 1 << 24,
                List.of(new CaptureHeader.ProbeEntry(1, "exec", EventKind.EXEC, "", List.of(),
                        ProbeCatalog.find("exec").orElseThrow().decoder().layout())));
    }

    private static long[] sorted(List<Long> nanos) {
        long[] values = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(values);
        return values;
    }

    /** Once started, adds the interval between each two frames (nanoseconds) to {@code frames}. */
    static AnimationTimer frameClock(List<Long> frames) {
        return new AnimationTimer() {
            private long last;

            @Override
            public void handle(long now) {
                if (last != 0) {
                    frames.add(now - last);
                }
                last = now;
            }
        };
    }

    static double percentile(List<Long> nanos, int p) {
        return percentile(sorted(nanos), p);
    }

    private static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    static <T> T onFx(Callable<T> work) throws InterruptedException {
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        try {
            return task.get(3, TimeUnit.MINUTES); // a window that stops for this long has failed
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the benchmark's window failed: " + e.getMessage(), e);
        }
    }
}
