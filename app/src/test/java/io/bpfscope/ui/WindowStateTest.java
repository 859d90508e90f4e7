package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.common.FxTaskRunner;
import io.bpfscope.ui.follow.FollowWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
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
 * The window tells the truth about what it shows, on Monocle with the demo capture: an error banner
 * goes when the next action of its kind works; whatever restricts the table (a timeline span, Follow's
 * "Filter on this stream") is text in the filter bar, whose caption and buttons keep their size.
 */
@ExtendWith(ApplicationExtension.class)
class WindowStateTest {
    private static final Path DEMO = Paths.get(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path tmp;

    private MainWindow window;
    private Stage stage;
    private final ChosenPaths chosen = new ChosenPaths();

    @Start
    void start(Stage stage) {
        this.stage = stage;
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
    void anErrorBannerStaysUntilTheNextActionOfItsKindWorks(FxRobot robot) throws Exception {
        Path notACapture = tmp.resolve("hostname");
        Files.writeString(notACapture, "myhost\n");
        chosen.next = notACapture;
        robot.clickOn("#tool-open");
        Labeled banner = robot.lookup("#error-line").queryLabeled();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> banner.getText().startsWith("opening " + notACapture));
        assertThat(banner.getParent().isVisible()).isTrue();

        // an action of another kind that works leaves it alone; one that fails replaces it
        robot.interact(() -> window.viewModel().filter().apply("probe == tls"));
        assertThat(banner.getText()).startsWith("opening ");
        robot.interact(() -> window.viewModel().goTo(99_999));
        assertThat(banner.getText()).contains("there is no event 99999");

        // opening a capture that works: the banner goes (the errors were about what was on screen before);
        // the success is said in the status bar
        openDemo(robot);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(banner.getText()).isEmpty();
        assertThat(banner.getParent().isVisible()).isFalse();
        assertThat(robot.lookup("#status-notice").queryLabeled().getText()).contains("opened").contains("549 events");
        assertThat(window.title()).isEqualTo("bpfscope — demo.bscap");

        // a failed go-to is cleared by one that works
        robot.interact(() -> window.viewModel().goTo(99_999));
        assertThat(banner.getText()).contains("there is no event");
        robot.interact(() -> window.viewModel().goTo(151));
        assertThat(banner.getText()).isEmpty();

        // and the user can dismiss one
        robot.interact(() -> window.viewModel().goTo(0));
        robot.clickOn("#error-dismiss");
        assertThat(banner.getText()).isEmpty();
    }

    @Test
    void aTimelineSpanIsTextInTheFilterBarThatCanBeEdited(FxRobot robot) throws Exception {
        openDemo(robot);
        robot.clickOn("#filter-field").write("probe == tls").type(KeyCode.ENTER);
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() < 549);

        Node chart = robot.lookup("#timeline-chart").query();
        javafx.geometry.Bounds box = chart.localToScreen(chart.getBoundsInLocal());
        double y = box.getMinY() + box.getHeight() * 0.45;
        robot.drag(box.getMinX() + box.getWidth() * 0.30, y, javafx.scene.input.MouseButton.PRIMARY)
                .dropTo(new javafx.geometry.Point2D(box.getMinX() + box.getWidth() * 0.60, y));
        TextField editor = ((javafx.scene.control.ComboBox<?>) robot.lookup("#filter-field").query()).getEditor();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> editor.getText().contains("time >= "));

        // what filters the table is what the bar says: the filter before, and the span
        String shown = editor.getText();
        assertThat(shown).matches("\\(probe == tls\\) && time >= \\S+ && time <= \\S+");
        assertThat(window.viewModel().filter().appliedProperty().get().text()).isEqualTo(shown);
        assertThat(robot.lookup("#time-range-chip").tryQuery()).isEmpty();
        io.bpfscope.ui.filter.TimeRange span = window.viewModel().filter().timeRangeProperty().get();
        WaitForAsyncUtils.waitForFxEvents();
        for (Long seq : List.copyOf(table.getItems())) {
            DecodedRecord row = window.viewModel().record(seq);
            assertThat(row.probe()).isEqualTo("tls");
            assertThat(span.contains(row.time())).isTrue();
        }

        // edited like any filter: take the span out by hand
        robot.doubleClickOn(editor);
        robot.interact(() -> editor.setText("probe == tls"));
        robot.clickOn("#filter-apply");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.viewModel().filter().timeRangeProperty().get()).isNull();
    }

    @Test
    void filterOnThisStreamWritesTheStreamsFilterInTheBar(FxRobot robot) throws Exception {
        openDemo(robot);
        // a filter from the history first, as a user has: the bar must not fall back to it
        robot.clickOn("#filter-field").write("probe == tls").type(KeyCode.ENTER);
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() < 549);
        long request = table.getItems().stream().filter(seq -> window.viewModel().record(seq).event().summary()
                .contains("GET / HTTP/1.1")).findFirst().orElseThrow();

        FollowWindow follow = WaitForAsyncUtils.asyncFx(() -> window.follow(request).orElseThrow()).get(10, TimeUnit.SECONDS);
        String streamFilter = follow.viewModel().filterText();
        assertThat(streamFilter).isEqualTo("stream == \"tls/30020/0x5589095f4ad0\""); // as Wireshark writes tcp.stream eq 3
        robot.interact(() -> ((Button) follow.stage().getScene().lookup("#follow-filter")).fire());
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> follow.stage().close());
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#event-table");
        WaitForAsyncUtils.waitForFxEvents();

        TextField editor = ((javafx.scene.control.ComboBox<?>) robot.lookup("#filter-field").query()).getEditor();
        assertThat(editor.getText()).isEqualTo(streamFilter);
        assertThat(window.viewModel().filter().appliedProperty().get().text()).isEqualTo(streamFilter);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !table.getItems().isEmpty()
                && table.getItems().stream().allMatch(seq -> follow.viewModel().segments().stream()
                .anyMatch(segment -> segment.seq() == seq)));
    }

    @Test
    void theFilterBarsCaptionAndButtonsKeepTheirSizeInANarrowWindow(FxRobot robot) throws Exception {
        openDemo(robot);
        robot.interact(() -> window.viewModel().filter().applyTimeSpan(new io.bpfscope.ui.filter.TimeRange(
                window.viewModel().record(1).time(), window.viewModel().record(549).time())));
        // the filter bar laid out 300 px wide (the stage keeps its size: the test classes share it)
        javafx.scene.layout.Region root = robot.lookup(".filter-bar").queryAs(javafx.scene.layout.Region.class);
        robot.interact(() -> root.setMaxWidth(300));
        try {
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(robot.lookup("#filter-field").queryAs(javafx.scene.control.ComboBox.class).getWidth())
                    .isLessThan(400);
            for (String id : List.of("#filter-caption", "#filter-apply", "#filter-clear")) {
                Labeled labeled = robot.lookup(id).queryLabeled();
                assertThat(labeled.getWidth()).as(id).isGreaterThanOrEqualTo(labeled.prefWidth(-1) - 0.5);
            }
        } finally {
            robot.interact(() -> root.setMaxWidth(Double.MAX_VALUE));
        }
    }

    @Test
    void goingToAnEventTheFilterHidesWidensTheFilterText(FxRobot robot) throws Exception {
        openDemo(robot);
        robot.interact(() -> window.viewModel().filter().apply("probe == exec"));
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !table.getItems().isEmpty() && table.getItems().size() < 549);
        robot.interact(() -> window.viewModel().goTo(151)); // a tls event
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getSelectionModel().getSelectedItem() != null
                && table.getSelectionModel().getSelectedItem() == 151L);
        assertThat(window.viewModel().filter().textProperty().get()).isEqualTo("(probe == exec) || seq == 151");
        assertThat(window.viewModel().detail().treeProperty().get().name()).isEqualTo("tls event 151");
    }

    @Test
    void closingAFileAsksNothingAndLeavesAnEmptyWindow(FxRobot robot) throws Exception {
        openDemo(robot);
        robot.interact(() -> window.viewModel().filter().apply("probe == tls"));
        robot.interact(() -> window.closeCapture()); // File > Close, Ctrl+W: a file has nothing unsaved
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#unsaved-question").tryQuery()).isEmpty();
        assertThat(window.title()).isEqualTo("bpfscope — offline");
        assertThat(window.viewModel().rows()).isEmpty();
        assertThat(robot.lookup("#event-table-placeholder").queryLabeled().getText()).startsWith("No event matches");
    }

    @Test
    void secondaryWindowsCloseWithEscapeOrTheirCloseButtonAndTheDetailTreeShowsWhatAUserReads(FxRobot robot)
            throws Exception {
        openDemo(robot);
        robot.interact(() -> window.viewModel().goTo(151)); // curl's GET, a tls event
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().detail().treeProperty().get() != null);
        List<String> groups = window.viewModel().detail().treeProperty().get().children().stream()
                .map(io.bpfscope.ui.detail.DetailNode::name).toList();
        assertThat(groups).startsWith("Event 151", "Process").contains("tls fields").endsWith("internal")
                .doesNotContain("Header");
        assertThat(window.viewModel().detail().treeProperty().get().children().get(0).children())
                .extracting(io.bpfscope.ui.detail.DetailNode::name).containsExactly("probe", "time", "summary");

        // a filter that hides the selected event: the detail and hex panes no longer show it
        robot.interact(() -> window.viewModel().filter().apply("probe == exec"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().detail().treeProperty().get() == null);
        assertThat(window.viewModel().hex().bytes()).isNullOrEmpty();
        robot.interact(() -> window.viewModel().filter().clear());

        FollowWindow follow = WaitForAsyncUtils.asyncFx(() -> window.follow(151).orElseThrow()).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> follow.stage().requestFocus());
        robot.interact(() -> follow.stage().getScene().getRoot().fireEvent(new javafx.scene.input.KeyEvent(
                javafx.scene.input.KeyEvent.KEY_PRESSED, "", "", KeyCode.ESCAPE, false, false, false, false)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(follow.stage().isShowing()).isFalse();

        io.bpfscope.ui.stats.StatisticsWindow statistics = WaitForAsyncUtils.asyncFx(() -> window.showStatistics())
                .get(10, TimeUnit.SECONDS);
        TableView<?> hosts = (TableView<?>) statistics.stage().getScene().lookup("#host-counts");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !hosts.getItems().isEmpty());
        assertThat(hosts.getItems()).extracting(c -> ((io.bpfscope.ui.stats.Statistics.Count) c).name())
                .noneMatch(name -> name.startsWith(":::") || name.endsWith(":0"));
        robot.interact(() -> ((Button) statistics.stage().getScene().lookup("#statistics-close")).fire());
        assertThat(statistics.stage().isShowing()).isFalse();
    }

    @Test
    void placeholdersAreReadableInBothThemes(FxRobot robot) throws Exception {
        for (boolean dark : new boolean[] {false, true}) {
            robot.interact(() -> window.viewModel().settings().darkThemeProperty().set(dark));
            WaitForAsyncUtils.waitForFxEvents();
            for (String id : List.of("#filter-field", "#option-pid")) {
                Node found = robot.lookup(id).query();
                TextField field = found instanceof TextField ? (TextField) found
                        : ((javafx.scene.control.ComboBox<?>) found).getEditor();
                robot.interact(() -> field.setText(""));
                WaitForAsyncUtils.waitForFxEvents();
                javafx.scene.paint.Color text = (javafx.scene.paint.Color) field.lookupAll("Text").stream()
                        .map(n -> (javafx.scene.text.Text) n).filter(t -> t.getText().equals(field.getPromptText()))
                        .findFirst().orElseThrow().getFill();
                // modena paints the inside of a field as a gradient ending in -fx-control-inner-background
                javafx.scene.paint.Paint inside = field.getBackground().getFills()
                        .get(field.getBackground().getFills().size() - 1).getFill();
                javafx.scene.paint.Color background = inside instanceof javafx.scene.paint.LinearGradient gradient
                        ? gradient.getStops().get(gradient.getStops().size() - 1).getColor()
                        : (javafx.scene.paint.Color) inside;
                assertThat(contrast(text, background)).as(id + (dark ? " dark" : " light")).isGreaterThanOrEqualTo(4.5);
            }
        }
    }

    /** WCAG 2's contrast ratio. */
    private static double contrast(javafx.scene.paint.Color a, javafx.scene.paint.Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(javafx.scene.paint.Color c) {
        java.util.function.DoubleUnaryOperator linear = v -> v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        return 0.2126 * linear.applyAsDouble(c.getRed()) + 0.7152 * linear.applyAsDouble(c.getGreen())
                + 0.0722 * linear.applyAsDouble(c.getBlue());
    }

    private void openDemo(FxRobot robot) throws Exception {
        chosen.next = DEMO;
        robot.clickOn("#tool-open");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.viewModel().onScreen().get().store().size() == 549
                && window.title().endsWith("demo.bscap"));
        chosen.next = null;
    }
}
