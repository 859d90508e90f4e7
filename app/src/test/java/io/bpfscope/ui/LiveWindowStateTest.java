package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.ui.common.FxTaskRunner;
import io.bpfscope.ui.probes.ProbeRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextField;
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

/**
 * The window as it can go live (Monocle): probe options are checked as they are typed, and the one
 * Save / Discard / Cancel question comes before a stopped capture's unsaved events would go.
 */
@Tag("bpf")
@ExtendWith(ApplicationExtension.class)
class LiveWindowStateTest {
    private static final Path DEMO = Paths.get(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path tmp;

    private MainWindow window;
    private final ChosenPaths chosen = new ChosenPaths();

    @Start
    void start(Stage stage) {
        MainViewModel viewModel = new MainViewModel(null, new FxTaskRunner());
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
    void aPidWithLettersIsRefusedAsItIsTypedAndAttachStaysDisabled(FxRobot robot) {
        robot.interact(() -> window.viewModel().probes().forEach(r -> r.selectedProperty().set(false)));
        robot.clickOn("#probe-exec");
        robot.interact(() -> window.viewModel().probePanel().editingProperty().set(row("exec")));
        Button attach = robot.lookup("#attach-button").queryButton();
        assertThat(attach.isDisabled()).isFalse();

        TextField pid = robot.lookup("#option-pid").queryAs(TextField.class);
        robot.clickOn(pid).write("12ab");
        assertThat(pid.getStyleClass()).contains("field-invalid");
        assertThat(pid.getTooltip().getText()).contains("pid must be a number, not '12ab'");
        assertThat(attach.isDisabled()).isTrue();
        assertThat(robot.lookup("#attach-blocked").queryLabeled().getText()).startsWith("exec: pid must be a number");
        assertThat(window.viewModel().errorProperty().get()).isEmpty(); // nothing was tried, nothing failed

        // the same for the other options
        TextField comm = robot.lookup("#option-comm").queryAs(TextField.class);
        robot.interact(() -> {
            pid.setText("");
            comm.setText("a-name-longer-than-15");
        });
        assertThat(pid.getStyleClass()).doesNotContain("field-invalid");
        assertThat(comm.getStyleClass()).contains("field-invalid");
        assertThat(attach.isDisabled()).isTrue();
        robot.interact(() -> comm.setText(""));
        TextField limit = robot.lookup("#option-max-payload").queryAs(TextField.class);
        robot.interact(() -> limit.setText("64k"));
        assertThat(limit.getTooltip().getText()).contains("1 byte to 32k");
        robot.interact(() -> limit.setText("4k"));

        // valid again: Attach is back
        robot.interact(() -> pid.setText("1"));
        assertThat(attach.isDisabled()).isFalse();
        assertThat(row("exec").options().pid()).isEqualTo(1);
        assertThat(row("exec").options().maxPayload()).isEqualTo(4096);
        // a probe not ticked does not block Attach
        robot.interact(() -> {
            row("open").pidProperty().set("x");
            row("exec").selectedProperty().set(true);
        });
        assertThat(attach.isDisabled()).isFalse();
    }

    @Test
    @RequiresBpf
    void openingAFileAfterDetachAsksSaveDiscardOrCancel(FxRobot robot) throws Exception {
        // Attach with nothing ticked: the banner says so, and goes when an Attach works
        robot.interact(() -> window.viewModel().probes().forEach(r -> r.selectedProperty().set(false)));
        OwnProcesses.traceThem(robot);
        robot.clickOn("#attach-button");
        assertThat(window.viewModel().errorProperty().get()).isEqualTo("tick the probes to attach first");
        robot.interact(() -> window.viewModel().probes().forEach(r -> r.selectedProperty().set(r.probe().name().equals("exec"))));
        OwnProcesses.traceThem(robot);
        robot.clickOn("#attach-button");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> row("exec").stateProperty().get().equals("attached"));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> window.title().equals("bpfscope — live"));
        assertThat(window.viewModel().errorProperty().get()).isEmpty();
        assertThat(window.viewModel().table().followingProperty().get()).as("a new live capture is followed").isTrue();
        new ProcessBuilder("/bin/echo", "save-question-" + UUID.randomUUID()).start().waitFor();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.viewModel().unsavedEvents() > 0);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#status-file").queryLabeled().getText()
                .startsWith("recording to "));

        robot.clickOn("#detach-button");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> window.title().startsWith("bpfscope — stopped ("));
        assertThat(window.title()).endsWith(" events, unsaved)");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#status-file").queryLabeled().getText()
                .startsWith("stopped; kept in "));
        assertThat(robot.lookup("#status-file").queryLabeled().getText()).contains("unsaved");
        long events = window.viewModel().onScreen().get().store().size();

        // Attach again starts a new capture (Wireshark's Start after Stop): the same question; Cancel keeps this one
        javafx.application.Platform.runLater(() -> window.attach());
        DialogPane beforeAttach = waitForQuestion(robot);
        assertThat(beforeAttach.getContentText()).startsWith("Attaching starts a new capture and discards the ");
        robot.interact(() -> ((Button) beforeAttach.lookupButton(beforeAttach.getButtonTypes().get(2))).fire());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(row("exec").stateProperty().get()).isEqualTo("detached");
        assertThat(window.title()).startsWith("bpfscope — stopped (");

        // Open: the question; Cancel keeps the capture
        chosen.next = DEMO;
        robot.clickOn("#tool-open");
        DialogPane question = waitForQuestion(robot);
        assertThat(question.getHeaderText()).isEqualTo(String.format("Save the %,d events first?", events));
        assertThat(question.getButtonTypes()).extracting(b -> b.getText()).containsExactly("Save…", "Discard", "Cancel");
        robot.interact(() -> ((Button) question.lookupButton(question.getButtonTypes().get(2))).fire());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(window.viewModel().isLive()).isTrue();

        // Save…: saved first, then opened
        Path saved = tmp.resolve("before-open.bscap");
        chosen.next = saved;
        javafx.application.Platform.runLater(() -> window.openFile()); // the question waits for an answer
        DialogPane again = waitForQuestion(robot);
        // the save dialog picks this file; then Open picks it too
        robot.interact(() -> ((Button) again.lookupButton(again.getButtonTypes().get(0))).fire());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(saved) && !window.viewModel().isLive());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.title().equals("bpfscope — before-open.bscap"));

        // the probe panel starts over with a file on screen
        assertThat(row("exec").stateProperty().get()).isNotEqualTo("detached");
        assertThat(row("exec").failureProperty().get()).isNull();

        // nothing unsaved: Open asks nothing
        chosen.next = DEMO;
        robot.interact(() -> window.openFile());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.title().equals("bpfscope — demo.bscap"));
    }

    private DialogPane waitForQuestion(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#unsaved-question").tryQuery().isPresent());
        Node pane = robot.lookup("#unsaved-question").query();
        return (DialogPane) pane;
    }

    private ProbeRow row(String name) {
        return window.viewModel().probes().stream().filter(r -> r.probe().name().equals(name)).findFirst().orElseThrow();
    }
}
