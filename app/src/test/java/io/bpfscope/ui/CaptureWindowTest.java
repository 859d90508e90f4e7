package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.EventKind;
import io.bpfscope.ui.common.FxTaskRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window offline on Monocle with the demo capture from assets/ (recorded
 * by bpfscope with exec, open, tls, tcp, dns and unix): open it through the
 * toolbar, see a tls event's bytes in the hex pane, filter, export through
 * the dialog.
 */
@ExtendWith(ApplicationExtension.class)
class CaptureWindowTest {
    private static final Path DEMO = Paths.get(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path tmp;

    private MainWindow window;
    private final ChosenPaths chosen = new ChosenPaths();

    @Start
    void start(Stage stage) {
        MainViewModel viewModel = new MainViewModel("testing offline", new FxTaskRunner());
        viewModel.setPathChooser(chosen);
        window = new MainWindow(viewModel);
        stage.setScene(new Scene(window.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.viewModel().close());
    }

    @Test
    void openingTheDemoAndSelectingATlsEventShowsItsPlaintextInTheHexPane(FxRobot robot) throws Exception {
        openDemo(robot);
        long request = firstRow(r -> r.probe().equals("tls") && r.event().summary().contains("GET / HTTP/1.1"));

        robot.interact(() -> window.viewModel().goTo(request));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().hex().bytes() != null
                && window.viewModel().hex().bytes().length > 0);

        String shown = new String(window.viewModel().hex().bytes(), StandardCharsets.ISO_8859_1);
        assertThat(shown).startsWith("GET / HTTP/1.1\r\nHost: ");
        // the ASCII column of the first line shows the same bytes
        assertThat(window.hexPane().line(0)).startsWith("00000000").contains("47 45 54 20").endsWith("GET / HTTP/1.1..");
    }

    @Test
    void typingAFilterReducesTheRowsToTheMatches(FxRobot robot) throws Exception {
        openDemo(robot);
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        int all = table.getItems().size();

        robot.clickOn("#filter-field").write("probe == tls && comm == \"curl\"").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() < all);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(table.getItems()).isNotEmpty();
        for (Long seq : List.copyOf(table.getItems())) {
            DecodedRecord row = window.viewModel().record(seq);
            assertThat(row.probe()).isEqualTo("tls");
            assertThat(row.event().header().comm()).isEqualTo("curl");
        }
    }

    @Test
    void aBadFilterIsShownInRedWithItsColumnAndKeepsTheRows(FxRobot robot) throws Exception {
        openDemo(robot);
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        int all = table.getItems().size();

        robot.clickOn("#filter-field").write("pid == ").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup("#filter-problem").queryLabeled().getText()).contains("column 8");
        assertThat(table.getItems()).hasSize(all);
    }

    @Test
    void exportingThroughTheDialogWritesTheShownRowsAsJsonLines(FxRobot robot) throws Exception {
        openDemo(robot);
        robot.interact(() -> window.viewModel().filter().apply("probe == exec"));
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !table.getItems().isEmpty()
                && table.getItems().stream().allMatch(seq -> window.viewModel().record(seq).probe().equals("exec")));
        int shown = table.getItems().size();
        Path out = tmp.resolve("exec.jsonl");
        chosen.next = out;

        robot.clickOn("#tool-export");
        robot.clickOn("#export-format-jsonl");
        robot.clickOn("#export-scope-shown");
        robot.clickOn("#export-start");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.viewModel().export().resultProperty().get() != null);

        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(shown).allSatisfy(line -> assertThat(line).contains("\"probe\":\"exec\""));
        assertThat(Files.getPosixFilePermissions(out)).hasSize(2); // rw for the owner only
        assertThat(robot.lookup("#export-message").queryLabeled().getText())
                .contains("exported " + shown + " events");
    }

    @Test
    void aCapturePipedOnStdinShowsLikeAFile(FxRobot robot) throws Exception {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(Files.readAllBytes(DEMO))); // gui - reads System.in
            robot.interact(() -> window.viewModel().open("-"));
            TableView<Long> table = robot.lookup("#event-table").queryTableView();
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.viewModel().rows().size() == 549);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(window.title()).startsWith("bpfscope");
            long request = firstRow(r -> r.probe().equals("tls") && r.event().summary().contains("GET / HTTP/1.1"));
            assertThat(request).isEqualTo(151);
            // its private copy is a whole capture: export reads it
            assertThat(table.getItems()).isNotEmpty();
            Path out = tmp.resolve("stdin.jsonl");
            chosen.next = out;
            robot.interact(() -> {
                window.viewModel().export().scopeProperty().set(io.bpfscope.ui.files.ExportViewModel.Scope.ALL);
                window.viewModel().export().export();
            });
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.viewModel().export().resultProperty().get() != null);
            assertThat(Files.readAllLines(out)).hasSize(549);
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void draggingAcrossTheTimelineShowsThatSpanAndAClickGoesToAnEvent(FxRobot robot) throws Exception {
        openDemo(robot);
        javafx.scene.Node chart = robot.lookup("#timeline-chart").query();
        WaitForAsyncUtils.waitForFxEvents();
        javafx.geometry.Bounds box = chart.localToScreen(chart.getBoundsInLocal());
        double y = box.getMinY() + box.getHeight() * 0.45;
        double from = box.getMinX() + box.getWidth() * 0.30;
        double to = box.getMinX() + box.getWidth() * 0.60;

        robot.drag(from, y, javafx.scene.input.MouseButton.PRIMARY).dropTo(new javafx.geometry.Point2D(to, y));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().filter().timeRangeProperty().get() != null);
        io.bpfscope.ui.filter.TimeRange span = window.viewModel().filter().timeRangeProperty().get();
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().rows().size() < 549);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.viewModel().rows()).isNotEmpty();
        for (Long seq : List.copyOf(window.viewModel().rows())) {
            assertThat(span.contains(window.viewModel().record(seq).time())).isTrue();
        }

        // a click (no drag) selects the event nearest that time
        robot.interact(() -> window.viewModel().filter().clear());
        robot.clickOn(new javafx.geometry.Point2D(box.getMinX() + box.getWidth() * 0.5, y));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().table().selectedProperty().get() > 0);
        assertThat(table.getSelectionModel().getSelectedItem())
                .isEqualTo(window.viewModel().table().selectedProperty().get());
    }

    @Test
    void theWheelZoomsTheTimelineSoTheSameDragPicksAShorterSpan(FxRobot robot) throws Exception {
        openDemo(robot);
        javafx.scene.Node chart = robot.lookup("#timeline-chart").query();
        WaitForAsyncUtils.waitForFxEvents();
        javafx.geometry.Bounds box = chart.localToScreen(chart.getBoundsInLocal());
        double y = box.getMinY() + box.getHeight() * 0.45;
        java.time.Duration before = dragSpan(robot, box, y);
        robot.interact(() -> window.viewModel().filter().clear()); // the whole capture again
        waitForTheTimelinePicture(); // the wheel zooms the picture shown: it must be the whole capture's

        // three wheel notches away from the user (deltaY > 0: zoom in), over 45% of the width
        double localX = chart.getBoundsInLocal().getWidth() * 0.45;
        double localY = chart.getBoundsInLocal().getHeight() * 0.45;
        for (int i = 0; i < 3; i++) {
            robot.interact(() -> chart.fireEvent(new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL,
                    localX, localY, box.getMinX() + localX, box.getMinY() + localY, false, false, false, false, false,
                    false, 0, 40, 0, 40, javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                    javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null)));
            waitForTheTimelinePicture(); // each notch zooms the picture drawn in the background
        }
        WaitForAsyncUtils.waitForFxEvents();
        java.time.Duration after = dragSpan(robot, box, y);

        // 0.8^3 of the range: the same 30% of the width is about half the time
        assertThat(after.toNanos()).isBetween((long) (before.toNanos() * 0.4), (long) (before.toNanos() * 0.65));
    }

    /** Waits until the timeline shows the picture of its newest state (drawn in the background). */
    private void waitForTheTimelinePicture() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !window.timeline().drawingProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Drags from 30% to 60% of the timeline's width; the span it picked. */
    private java.time.Duration dragSpan(FxRobot robot, javafx.geometry.Bounds box, double y) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        robot.drag(box.getMinX() + box.getWidth() * 0.30, y, javafx.scene.input.MouseButton.PRIMARY)
                .dropTo(new javafx.geometry.Point2D(box.getMinX() + box.getWidth() * 0.60, y));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().filter().timeRangeProperty().get() != null);
        io.bpfscope.ui.filter.TimeRange span = window.viewModel().filter().timeRangeProperty().get();
        return java.time.Duration.between(span.from(), span.to());
    }

    @Test
    void lostEventsAreShownInTheStatusBarTheStatisticsTableAndItsChart(FxRobot robot) throws Exception {
        Path lossy = tmp.resolve("lossy.bscap");
        io.bpfscope.capture.file.CaptureHeader header = new io.bpfscope.capture.file.CaptureHeader("bscap",
                io.bpfscope.capture.file.CaptureFormat.VERSION, "test", "host", "6.18", 1_764_064_800_000_000_000L, 0, 1 << 16,
                List.of(new io.bpfscope.capture.file.CaptureHeader.ProbeEntry(1, "exec", io.bpfscope.probes.EventKind.EXEC,
                        "", List.of(), io.bpfscope.probes.catalog.ProbeCatalog.find("exec").orElseThrow().decoder().layout())));
        try (io.bpfscope.capture.file.CaptureWriter writer = new io.bpfscope.capture.file.CaptureWriter(Files.newOutputStream(lossy), header)) {
            long[] lostSoFar = {0, 100, 250};
            for (int second = 0; second < 3; second++) {
                for (int i = 0; i < 50; i++) {
                    byte[] record = io.bpfscope.bench.CaptureBenchmark.execRecord(second * 50 + i);
                    writer.append(record, 0, record.length);
                }
                writer.flush(new io.bpfscope.capture.file.CaptureCounters((second + 1) * 1_000_000_000L, (second + 1) * 50L, 0,
                        List.of(new io.bpfscope.capture.file.CaptureCounters.ProbeCounters(1, "exec", lostSoFar[second], 0))));
            }
            writer.finish(new io.bpfscope.capture.file.CaptureCounters(4_000_000_000L, 150, 0,
                    List.of(new io.bpfscope.capture.file.CaptureCounters.ProbeCounters(1, "exec", 250, 0))));
        }
        chosen.next = lossy;
        robot.clickOn("#tool-open");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.viewModel().rows().size() == 150);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#status-lost").queryLabeled().getText()
                .contains("250 events lost"));

        robot.clickOn("#tool-statistics");
        TableView<?> lost = robot.lookup("#lost-over-time").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> lost.getItems().size() == 2);
        assertThat(robot.lookup("#lost-chart").query().isVisible()).isTrue();
    }

    private void openDemo(FxRobot robot) throws Exception {
        assertThat(DEMO).exists();
        chosen.next = DEMO;
        robot.clickOn("#tool-open");
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 549);
        chosen.next = null;
    }

    private long firstRow(java.util.function.Predicate<DecodedRecord> test) {
        TableView<Long> table = window.table().control();
        return table.getItems().stream().filter(seq -> test.test(window.viewModel().record(seq))).findFirst()
                .orElseThrow(() -> new AssertionError("no such row in the demo capture"));
    }
}
