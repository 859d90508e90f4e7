package io.bpfscope.ui;

import io.bpfscope.bench.CaptureBenchmark;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.ui.common.FxTaskRunner;
import io.bpfscope.ui.common.ShownCapture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * {@code bpfscope bench pulse}: the real main window on a real display while
 * events arrive at a set rate (100,000/s by default), first unfiltered with
 * autoscroll, then with a filter applied. It measures each UI pulse (draining
 * new events into the table, timeline and status bar) and the interval
 * between frames, which also holds layout and rendering. A feeder thread
 * stands in for the ring-buffer reader: it appends real exec records to the
 * store every 10 ms, as the capture session's dispatcher does.
 */
public final class PulseBenchmark {
    private final long rate;
    private final int seconds;

    public PulseBenchmark(long rate, int seconds) {
        this.rate = rate;
        this.seconds = seconds;
    }

    /** Runs both phases and returns the report; needs a display (Xvfb is fine). */
    public String run() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        StringBuilder report = new StringBuilder(String.format(
                "pulse: the main window with %,d events/s arriving, %d s per phase (goal: pulse under 16 ms)%n", rate, seconds));
        EventStore store = new EventStore();
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> feed(store, feeding), "bench-feeder");
        Window window = onFx(() -> {
            MainViewModel viewModel = new MainViewModel("benchmark", new FxTaskRunner());
            MainWindow main = new MainWindow(viewModel);
            Stage stage = new Stage();
            stage.setScene(new Scene(main.root(), 1360, 860));
            stage.show();
            viewModel.showFilledElsewhere(ShownCapture.of(store, header()));
            return new Window(main, stage);
        });
        feeder.start();
        try {
            report.append(phase(window, "no filter, autoscroll", null));
            report.append(phase(window, "filter comm == \"curl\" && pid < 3000", "comm == \"curl\" && pid < 3000"));
        } finally {
            feeding.set(false);
            feeder.join();
            onFx(() -> {
                window.stage.close();
                window.main.viewModel().close();
                return null;
            });
            Platform.exit();
        }
        report.append(String.format("  events fed: %,d%n", store.size()));
        return report.toString();
    }

    private record Window(MainWindow main, Stage stage) {
    }

    private String phase(Window window, String name, String filter) throws InterruptedException {
        List<Long> pulses = new ArrayList<>();
        List<Long> frames = new ArrayList<>();
        AnimationTimer frameClock = frameClock(frames);
        onFx(() -> {
            if (filter != null) {
                window.main.viewModel().filter().apply(filter);
            }
            window.main.setPulseListener(pulses::add);
            frameClock.start();
            return null;
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long rows = onFx(() -> {
            frameClock.stop();
            window.main.setPulseListener(nanos -> { });
            return (long) window.main.table().rowCount();
        });
        long slow = pulses.stream().filter(nanos -> nanos > 16_000_000L).count();
        return String.format("  %-40s pulses %4d: median %6.2f ms, p99 %6.2f ms, max %6.2f ms, over 16 ms %d; "
                        + "frames %5d: p99 interval %6.2f ms; rows shown %,d%n",
                name, pulses.size(), percentile(pulses, 50), percentile(pulses, 99), percentile(pulses, 100), slow,
                frames.size(), percentile(frames, 99), rows);
    }

    /** Appends {@code rate / 100} records every 10 ms: the dispatcher's rhythm at this rate. */
    private void feed(EventStore store, AtomicBoolean feeding) {
        int perTick = (int) Math.max(1, rate / 100);
        long next = System.nanoTime();
        int i = 0;
        while (feeding.get()) {
            RecordBatch batch = new RecordBatch(perTick * 160, perTick);
            for (int n = 0; n < perTick; n++, i++) {
                byte[] record = CaptureBenchmark.execRecord(i);
                batch.append(record, 0, record.length);
            }
            store.append(batch);
            next += 10_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static CaptureHeader header() {
        return new CaptureHeader("bscap", CaptureFormat.VERSION, "bench", "pulse benchmark", "bench", 0, 0, 1 << 24,
                List.of(new CaptureHeader.ProbeEntry(1, "exec", EventKind.EXEC, "", List.of(),
                        ProbeCatalog.find("exec").orElseThrow().decoder().layout())));
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
        if (nanos.isEmpty()) {
            return 0;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    static <T> T onFx(java.util.concurrent.Callable<T> work) throws InterruptedException {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(work);
        Platform.runLater(task);
        try {
            return task.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the benchmark's window failed: " + e.getMessage(), e);
        }
    }
}
