package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.Privileges;
import io.bpfscope.capture.DecodedRecord;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
    void attachingExecShowsAProcessThatStartsAfterwards(FxRobot robot) throws Exception {
        Assumptions.assumeTrue(Privileges.bpfTestsCanRun(), "loading BPF needs root");
        robot.clickOn("#probe-exec");
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
}
