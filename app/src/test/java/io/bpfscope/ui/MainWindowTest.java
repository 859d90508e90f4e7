package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.StrangerProcess;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.common.FxTaskRunner;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window, headless on Monocle: tick exec, attach, start a process, see its row. */
@Tag("bpf")
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(new MainViewModel(null, new FxTaskRunner()));
        stage.setScene(new Scene(window.root(), 1100, 700));
        stage.show();
    }

    @AfterEach
    void detach(FxRobot robot) {
        robot.interact(() -> window.viewModel().close());
    }

    /** Issue 16: by default a live capture holds no event of the window's own processes, a stranger's only. */
    @Test
    @RequiresBpf
    void byDefaultALiveCaptureLeavesOutTheWindowsOwnProcesses(FxRobot robot, @TempDir Path dir) throws Exception {
        try (StrangerProcess stranger = StrangerProcess.start(dir)) {
            robot.clickOn("#probe-exec");
            assertThat(robot.lookup("#option-include-self").queryAs(CheckBox.class).isSelected()).isFalse();
            robot.clickOn("#attach-button");
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                    () -> window.viewModel().probes().get(0).stateProperty().get().equals("attached"));

            String token = "own-" + UUID.randomUUID();
            new ProcessBuilder("/bin/echo", token).start().waitFor(); // a child of the window: its own
            TableView<Long> table = robot.lookup("#event-table").queryTableView();
            // the stranger's cat runs every 100 ms: once two of its runs are in, the echo's would be too
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> records(table).stream()
                    .filter(r -> r.event().summary().contains(stranger.marker().toString())).count() >= 2);
            long own = ProcessHandle.current().pid();
            assertThat(records(table)).noneMatch(r -> r.event().summary().contains(token))
                    .noneMatch(r -> r.event().header().pid() == own);
        }
    }

    private java.util.List<DecodedRecord> records(TableView<Long> table) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> table.getItems().stream().map(seq -> window.viewModel().record(seq))
                .filter(java.util.Objects::nonNull).toList()).get(10, TimeUnit.SECONDS);
    }

    @Test
    @RequiresBpf
    void attachingExecShowsAProcessThatStartsAfterwards(FxRobot robot) throws Exception {
        robot.clickOn("#probe-exec");
        OwnProcesses.traceThem(robot);
        robot.clickOn("#attach-button");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> window.viewModel().probes().get(0).stateProperty().get().equals("attached"));

        String token = "gui-" + UUID.randomUUID();
        new ProcessBuilder("/bin/echo", token).start().waitFor();

        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().stream()
                .map(seq -> window.viewModel().record(seq))
                .anyMatch(r -> r != null && r.event().summary().contains(token)));
        DecodedRecord row = table.getItems().stream().map(seq -> window.viewModel().record(seq))
                .filter(r -> r.event().summary().contains(token)).findFirst().orElseThrow();
        assertThat(row.probe()).isEqualTo("exec");
        assertThat(row.event().fields()).containsEntry("filename", "/bin/echo");
        assertThat(robot.lookup("#status-line").queryLabeled().getText()).contains("events:").contains("lost: 0");
    }

    @Test
    @RequiresBpf
    void aProbeThatFailsSaysWhyAndTheOthersAttach(FxRobot robot) throws Exception {
        io.bpfscope.ui.probes.ProbeRow exec = row("exec");
        String missing = "uprobe:/bin/true:bpfscope_no_such_function";
        io.bpfscope.ui.probes.ProbeRow bad = WaitForAsyncUtils.asyncFx(() -> window.viewModel().probePanel()
                .add(io.bpfscope.probes.catalog.ProbeCatalog.find(missing).orElseThrow())).get(10, TimeUnit.SECONDS);
        robot.interact(() -> {
            window.viewModel().probes().forEach(r -> r.selectedProperty().set(false));
            exec.selectedProperty().set(true);
            bad.selectedProperty().set(true);
        });
        OwnProcesses.traceThem(robot);
        robot.clickOn("#attach-button");
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> bad.stateProperty().get().startsWith("failed")
                    && exec.stateProperty().get().equals("attached"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("uprobe: '" + bad.stateProperty().get() + "' " + bad.failureProperty().get()
                    + "; exec: '" + exec.stateProperty().get() + "'; error line: " + window.viewModel().errorProperty().get());
        }

        // the reason, in a sentence that names the symbol, is on the row and in the error line
        assertThat(bad.failureProperty().get().getMessage()).contains("bpfscope_no_such_function");
        assertThat(window.viewModel().errorProperty().get()).contains("bpfscope_no_such_function");
        // the live capture goes on with exec
        String token = "after-failure-" + UUID.randomUUID();
        new ProcessBuilder("/bin/echo", token).start().waitFor();
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().stream()
                .map(seq -> window.viewModel().record(seq))
                .anyMatch(r -> r != null && r.event().summary().contains(token)));
    }

    private io.bpfscope.ui.probes.ProbeRow row(String name) {
        return window.viewModel().probes().stream().filter(r -> r.probe().name().equals(name)).findFirst().orElseThrow();
    }
}
