package io.bpfscope.ui.generic;

import io.bpfscope.ui.OwnProcesses;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.MainViewModel;
import io.bpfscope.ui.MainWindow;
import io.bpfscope.ui.common.FxTaskRunner;
import io.bpfscope.ui.probes.ProbeRow;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
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

/**
 * The window, headless on Monocle: pick a tracepoint from the searchable list,
 * attach it, see a fork of a process started afterwards, and filter on the
 * tracepoint's own field.
 */
@Tag("bpf")
@ExtendWith(ApplicationExtension.class)
class GenericProbesWindowTest {
    private static final String FORK = "tracepoint:sched:sched_process_fork";
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(new MainViewModel(null, new FxTaskRunner()));
        stage.setScene(new Scene(window.root(), 1200, 760));
        stage.show();
    }

    @AfterEach
    void detach(FxRobot robot) {
        robot.interact(() -> window.viewModel().close());
    }

    @Test
    @RequiresBpf
    void aTracepointPickedFromTheListShowsItsEventsAndItsFieldsFilter(FxRobot robot) throws Exception {
        robot.clickOn("#add-tracepoint");
        // The dialog may not have focus yet when the robot would type (Monocle has no window manager): set the text.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#tracepoint-search").tryQuery().isPresent());
        javafx.scene.control.TextField search = robot.lookup("#tracepoint-search").query();
        robot.interact(() -> search.setText("sched_process_fork"));
        ListView<String> list = robot.lookup("#tracepoint-list").queryListView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> list.getItems().equals(java.util.List.of("sched:sched_process_fork")));
        robot.interact(() -> list.getSelectionModel().select(0));
        // The format is read in the background: the fields come a moment later.
        javafx.scene.control.TextInputControl fields = robot.lookup("#tracepoint-fields").queryTextInputControl();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fields.getText().contains("parent_comm"));
        assertThat(fields.getText()).contains("child_pid  (pid_t)");
        javafx.scene.control.Button ok = robot.lookup(".button").match(
                (javafx.scene.control.Button b) -> "OK".equals(b.getText())).query();
        robot.interact(ok::fire);

        ProbeRow row = window.viewModel().probes().stream().filter(r -> r.probe().name().equals(FORK)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + FORK));
        assertThat(row.selectedProperty().get()).isTrue();
        robot.interact(() -> window.viewModel().probes().forEach(r -> r.selectedProperty().set(r == row)));
        OwnProcesses.traceThem(robot);
        robot.clickOn("#attach-button");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> row.stateProperty().get().equals("attached"));

        Process child = new ProcessBuilder("true").start();
        child.waitFor(5, TimeUnit.SECONDS);
        long childPid = child.pid();
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().stream()
                .map(seq -> window.viewModel().record(seq))
                .anyMatch(r -> r != null && Long.valueOf(childPid).equals(r.event().field("child_pid"))));

        // The tracepoint's field is a filter field in the window too.
        robot.interact(() -> window.viewModel().filter().apply("child_pid == " + childPid));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> table.getItems().size() == 1);
        DecodedRecord fork = window.viewModel().record(table.getItems().get(0));
        assertThat(fork.probe()).isEqualTo(FORK);
        assertThat(fork.event().fields()).containsEntry("child_pid", childPid).containsKey("parent_comm");
    }

    @Test
    @RequiresBpf
    void functopCountsTheCallsOfALibraryFunction() throws Exception {
        FunctopViewModel functop = new FunctopViewModel(new FxTaskRunner());
        WaitForAsyncUtils.asyncFx(() -> {
            functop.libraryProperty().set("/usr/lib/x86_64-linux-gnu/libc.so.6");
            functop.matchProperty().set("^getaddrinfo$");
            functop.start();
        }).get();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> functop.runningProperty().get());
        for (int i = 0; i < 2; i++) {
            new ProcessBuilder("getent", "ahosts", "localhost").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(10, TimeUnit.SECONDS);
        }
        WaitForAsyncUtils.asyncFx(functop::refresh).get();
        assertThat(functop.rows()).hasSize(1);
        assertThat(functop.rows().get(0).function()).isEqualTo("libc.so.6:getaddrinfo");
        assertThat(functop.rows().get(0).count()).isEqualTo(2);
        assertThat(functop.rows().get(0).minNs()).isPositive();
        WaitForAsyncUtils.asyncFx(functop::stop).get();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !functop.busyProperty().get());
        assertThat(functop.statusProperty().get()).isEqualTo("detached from 1 functions");
        assertThat(functop.rows().get(0).count()).as("the table keeps its last numbers").isEqualTo(2);
    }

    @Test
    void aBadFunctopFormSaysWhatIsMissing() throws Exception {
        FunctopViewModel functop = new FunctopViewModel(new FxTaskRunner());
        WaitForAsyncUtils.asyncFx(functop::start).get();
        assertThat(functop.statusProperty().get()).contains("give a pid").contains("or a library");
        WaitForAsyncUtils.asyncFx(() -> {
            functop.pidProperty().set("12x");
            functop.start();
        }).get();
        assertThat(functop.statusProperty().get()).isEqualTo("the pid must be a number, not '12x'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UprobeDialog.capture("arg1", "return value", "", false))
                .hasMessage("a length from the return value needs 'At return'");
        assertThat(UprobeDialog.capture("arg1", "arg2", "", false))
                .isEqualTo(io.bpfscope.probes.uprobe.BufferCapture.lengthFromArg(1, 2));
        assertThat(UprobeDialog.capture("none", "fixed size", "64", true))
                .isEqualTo(io.bpfscope.probes.uprobe.BufferCapture.NONE);
    }
}
