package io.bpfscope.ui;

import io.bpfscope.ui.common.FxTaskRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * {@code bpfscope bench window --file F}: the real main window (as {@code gui F} builds it) opening a capture,
 * then jumping about in it as a person would. Each figure runs from the action on the FX thread until the
 * frame whose layout shows its result (an FX-thread probe: a post-layout pulse listener checks the table's
 * visible rows), so it holds reading and decoding the rows, the table's layout and CSS, not only the model:
 * open to the first rows, Go to event N at random places, End (follow the last row), a click on the timeline
 * at a random time, and a filter over the whole capture (first match shown, all done, and the longest gap
 * between frames meanwhile: the window must not freeze).
 */
public final class WindowOpenBenchmark {
    private static final long TIMEOUT_SECONDS = 300;

    private final Path file;
    private final int jumps;
    private final String filter;
    private final Random random = new Random(15);

    public WindowOpenBenchmark(Path file, int jumps, String filter) {
        this.file = file;
        this.jumps = jumps;
        this.filter = filter;
    }

    /** Runs it and returns the report; needs a display (Xvfb is fine). */
    public String run() throws Exception {
        long launched = System.nanoTime();
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        Report report = new Report();
        report.append(String.format("window: %s%n", file));
        MainWindow window = PulseBenchmark.onFx(() -> {
            MainWindow main = new MainWindow(new MainViewModel("benchmark", new FxTaskRunner()), true);
            Stage stage = new Stage();
            stage.setScene(new Scene(main.root(), 1360, 860));
            stage.show();
            Platform.runLater(main::completeLayout);
            return main;
        });
        try {
            long windowShown = System.nanoTime();
            long opened = until(window, () -> window.viewModel().open(file.toString()),
                    () -> window.viewModel().onScreen().get().isFile() && window.table().showsRows()).wallNanos();
            long size = PulseBenchmark.onFx(() -> window.viewModel().onScreen().get().store().size());
            report.append(String.format("  %-58s %,10d%n", "events", size));
            report.append(line("JavaFX started and the window shown (in-process)", (windowShown - launched) / 1e6));
            report.append(line("open to the first rows on screen", opened / 1e6));

            List<Timing> goTo = new ArrayList<>();
            for (int i = 0; i < jumps; i++) {
                long seq = 1 + (long) (random.nextDouble() * size);
                goTo.add(until(window, () -> window.viewModel().goTo(seq), () -> window.table().showsSeq(seq)));
            }
            report.append(latencies("Go to event N (random N)", goTo));

            List<Timing> end = new ArrayList<>();
            for (int i = 0; i < Math.max(1, jumps / 5); i++) {
                long seq = 1 + (long) (random.nextDouble() * size);
                until(window, () -> window.viewModel().goTo(seq), () -> window.table().showsSeq(seq));
                end.add(until(window, () -> window.viewModel().table().followingProperty().set(true),
                        () -> window.table().showsSeq(size)));
            }
            report.append(latencies("End (to the last event, from a random place)", end));

            List<Timing> clicks = new ArrayList<>();
            double[] span = PulseBenchmark.onFx(() -> timeSpanMillis(window));
            for (int i = 0; i < jumps; i++) {
                double at = span[0] + random.nextDouble() * (span[1] - span[0]);
                long[] target = new long[1];
                clicks.add(until(window, () -> {
                    window.viewModel().timeline().jumpTo(at);
                    target[0] = window.viewModel().table().selectedProperty().get();
                }, () -> target[0] > 0 && window.table().showsSeq(target[0])));
            }
            report.append(latencies("a click on the timeline (random time)", clicks));

            if (filter != null && !filter.isBlank()) {
                report.append(filtering(window));
            }
        } finally {
            PulseBenchmark.onFx(() -> {
                window.viewModel().close();
                window.root().getScene().getWindow().hide();
                return null;
            });
            Platform.exit();
        }
        return report.toString();
    }

    /** The filter over the whole capture: when its first match shows, when it is done, and the frames meanwhile. */
    private String filtering(MainWindow window) throws Exception {
        List<Long> frames = new ArrayList<>();
        AnimationTimer clock = PulseBenchmark.frameClock(frames);
        long start = System.nanoTime();
        long first = until(window, () -> {
            clock.start();
            window.viewModel().filter().apply(filter);
        }, () -> window.table().showsRows() || !window.viewModel().table().filteringProperty().get()).wallNanos();
        long done = until(window, () -> { }, () -> !window.viewModel().table().filteringProperty().get()).wallNanos();
        long total = System.nanoTime() - start;
        int matches = PulseBenchmark.onFx(() -> {
            clock.stop();
            return window.table().rowCount();
        });
        return String.format("  filter %s: %,d matches%n", filter, matches)
                + line("  first matching rows on screen", first / 1e6)
                + line("  the whole capture filtered", Math.max(done, total) / 1e6)
                + line("  frames meanwhile: p99 interval", PulseBenchmark.percentile(frames, 99))
                + line("  frames meanwhile: longest interval", PulseBenchmark.percentile(frames, 100));
    }

    private static double[] timeSpanMillis(MainWindow window) {
        var timeline = window.viewModel().timeline();
        int slices = timeline.slices();
        return new double[] {timeline.sliceStartMillis(0),
                timeline.sliceStartMillis(Math.max(0, slices - 1)) + timeline.sliceWidthMillis()};
    }

    /**
     * Nanoseconds from running {@code action} on the FX thread until a pulse's layout after it finds
     * {@code shown} true (checked after every layout pass).
     */
    private static Timing until(MainWindow window, Runnable action, BooleanSupplier shown) throws Exception {
        CompletableFuture<Timing> result = new CompletableFuture<>();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Platform.runLater(() -> {
            Scene scene = window.root().getScene();
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            Runnable check = new Runnable() {
                @Override
                public void run() {
                    if (shown.getAsBoolean()) {
                        scene.removePostLayoutPulseListener(this);
                        result.complete(new Timing(System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpuStart));
                    } else {
                        Platform.requestNextPulse();
                    }
                }
            };
            action.run();
            scene.addPostLayoutPulseListener(check);
            Platform.requestNextPulse();
        });
        try {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            String state = PulseBenchmark.onFx(() -> {
                var t = window.table().control();
                var flow = (javafx.scene.control.skin.VirtualFlow<?>) t.lookup(".virtual-flow");
                return "following " + window.viewModel().table().followingProperty().get() + " selected "
                        + window.viewModel().table().selectedProperty().get() + " items " + t.getItems().size() + " " + t.getItems().getClass().getSimpleName() + " first "
                        + flow.getFirstVisibleCell().getIndex() + "=" + flow.getFirstVisibleCell().getItem() + " last "
                        + flow.getLastVisibleCell().getIndex() + "=" + flow.getLastVisibleCell().getItem() + " pos " + flow.getPosition();
            });
            throw new IllegalStateException("timed out: " + state);
        }
    }

    /**
     * One action's wall time, and the FX thread's CPU time in it: the CPU figure holds the window's own
     * work whatever else the machine runs (the wall time waits for a core on a busy one).
     */
    private record Timing(long wallNanos, long fxCpuNanos) {
    }

    /** The report, also printed line by line as it comes (a slow filter on a busy machine may never end). */
    private static final class Report {
        private final StringBuilder text = new StringBuilder();

        void append(String line) {
            System.out.print(line);
            System.out.flush();
            text.append(line);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static String latencies(String what, List<Timing> timings) {
        List<Long> wall = timings.stream().map(Timing::wallNanos).toList();
        List<Long> cpu = timings.stream().map(Timing::fxCpuNanos).toList();
        return String.format("  %-58s median %7.1f ms, p99 %7.1f ms, max %7.1f ms (%d)%n", what,
                PulseBenchmark.percentile(wall, 50), PulseBenchmark.percentile(wall, 99),
                PulseBenchmark.percentile(wall, 100), timings.size())
                + String.format("  %-58s median %7.1f ms, p99 %7.1f ms%n", "  of which the FX thread's CPU",
                PulseBenchmark.percentile(cpu, 50), PulseBenchmark.percentile(cpu, 99));
    }

    private static String line(String what, double millis) {
        return String.format("  %-58s %10.1f ms%n", what, millis);
    }
}
