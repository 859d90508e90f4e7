package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.common.FxTaskRunner;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
