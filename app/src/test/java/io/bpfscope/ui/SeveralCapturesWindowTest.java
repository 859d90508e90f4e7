package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.file.OtherHostCopy;
import io.bpfscope.capture.live.MergedSources;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.common.FxTaskRunner;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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
 * {@code gui web.bscap db2.bscap}: the demo capture and a copy of it as host db2 (its clock 1.5 ms later,
 * 7 exec events lost) are shown merged by time, each event with its host; the host column shows, the
 * host filter works, and the sources line says the merge ended whole with its events and losses.
 */
@ExtendWith(ApplicationExtension.class)
class SeveralCapturesWindowTest {
    private static final Path DEMO = Paths.get(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(new MainViewModel("testing offline", new FxTaskRunner()));
        stage.setScene(new Scene(window.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.viewModel().close());
    }

    @Test
    void twoHostsCapturesAreShownMergedByTimeWithTheirHosts(FxRobot robot) throws Exception {
        Path db2 = dir.resolve("db2.bscap");
        OtherHostCopy.write(DEMO, db2, "db2", 1_500_000, 7);

        robot.interact(() -> window.viewModel().openAll(List.of(DEMO.toString(), db2.toString())));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.viewModel().sources().statuses().stream()
                .anyMatch(s -> s.state() == MergedSources.State.ENDED));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.viewModel().onScreen().get().store().size() == 2 * 549);
        WaitForAsyncUtils.waitForFxEvents();

        List<DecodedRecord> records = new ArrayList<>();
        robot.interact(() -> {
            for (long seq = 1; seq <= 2 * 549; seq++) {
                records.add(window.viewModel().record(seq));
            }
        });
        assertThat(records).extracting(DecodedRecord::host).containsOnly("vm", "db2");
        assertThat(records.stream().filter(r -> r.host().equals("db2"))).hasSize(549);
        List<Instant> times = records.stream().map(DecodedRecord::time).toList();
        assertThat(times).isSorted();

        MergedSources.Status status = window.viewModel().sources().statuses().get(0);
        assertThat(status.events()).isEqualTo(2 * 549);
        assertThat(status.lost()).isEqualTo(7);
        assertThat(robot.lookup("#source-0").queryAs(Label.class).getText()).contains("2 files").contains("ended")
                .contains("1,098 events").contains("7 lost");
        assertThat(robot.lookup("#column-host").query().isVisible()).isTrue();

        robot.interact(() -> window.viewModel().filter().apply("host == \"db2\""));
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> table.getItems().size() == 549
                && table.getItems().stream().allMatch(seq -> window.viewModel().record(seq).host().equals("db2")));
    }

    @Test
    void aCutFileShowsItsEventsAndWhyItsSourceFailed(FxRobot robot) throws Exception {
        Path cut = dir.resolve("cut.bscap");
        byte[] whole = java.nio.file.Files.readAllBytes(DEMO);
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));

        robot.interact(() -> window.viewModel().openAll(List.of(DEMO.toString(), cut.toString())));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.viewModel().sources().statuses().stream()
                .anyMatch(s -> s.state() == MergedSources.State.FAILED));
        MergedSources.Status status = window.viewModel().sources().statuses().get(0);
        assertThat(status.reason()).startsWith(cut + ": offset ").contains("cut");
        assertThat(status.events()).isGreaterThan(549).isLessThan(2 * 549);
    }

    /**
     * The files are opened and merged off the FX thread: one of them a named pipe that nobody writes yet
     * (opening it waits for a writer) leaves the window working, its source "connecting"; fed, it ends whole.
     */
    @Test
    void filesAreMergedOffTheFxThreadWhileTheSourcesBarSaysWhere(FxRobot robot) throws Exception {
        Path fifo = dir.resolve("later.bscap");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        robot.interact(() -> window.viewModel().openAll(List.of(DEMO.toString(), fifo.toString())));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#source-0").tryQuery().isPresent());
        assertThat(robot.lookup("#source-0").queryAs(Label.class).getText()).contains("2 files").contains("connecting");
        robot.interact(() -> window.viewModel().filter().apply("probe == exec")); // the FX thread still answers

        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(fifo)) {
            java.nio.file.Files.copy(DEMO, out);
        }
        // the bar makes its labels anew on each change: look the label up each time, absent for a moment
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#source-0").tryQueryAs(Label.class)
                .map(label -> label.getText().contains("ended")).orElse(false));
        assertThat(robot.lookup("#source-0").queryAs(Label.class).getText()).contains("1,098 events");
    }
}
