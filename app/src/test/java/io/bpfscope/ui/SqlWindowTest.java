package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.ui.common.FxTaskRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
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
 * Analyze → SQL on the demo capture, as a user drives it: the shortcut opens it, a query runs
 * with Ctrl+Enter, Show events filters the main table to the rows' events, Export writes CSV.
 */
@ExtendWith(ApplicationExtension.class)
class SqlWindowTest {
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
    void aQuerysRowsFilterTheEventTableAndExport(FxRobot robot) throws Exception {
        chosen.next = DEMO;
        robot.clickOn("#tool-open");
        TableView<Long> events = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> events.getItems().size() == 549);

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.Q).release(KeyCode.Q, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#sql-editor").tryQuery().isPresent());
        TextArea editor = robot.lookup("#sql-editor").queryAs(TextArea.class);
        robot.interact(() -> editor.setText("SELECT seq, summary FROM tls WHERE comm = 'python3' ORDER BY seq"));
        robot.clickOn(editor).press(KeyCode.CONTROL, KeyCode.ENTER).release(KeyCode.ENTER, KeyCode.CONTROL);
        TableView<List<Object>> results = robot.lookup("#sql-results").queryTableView();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !results.getItems().isEmpty());
        int rows = results.getItems().size();
        assertThat(results.getColumns()).extracting(c -> c.getText()).containsExactly("seq", "summary");
        assertThat(robot.lookup("#sql-status").queryLabeled().getText()).isEqualTo(rows + " rows");

        robot.clickOn("#sql-show-events");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> events.getItems().size() == rows);
        for (Long seq : List.copyOf(events.getItems())) {
            assertThat(window.viewModel().record(seq).probe()).isEqualTo("tls");
            assertThat(window.viewModel().record(seq).event().header().comm()).isEqualTo("python3");
        }

        Path csv = tmp.resolve("rows.csv");
        chosen.next = csv;
        robot.clickOn("#sql-export");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> Files.exists(csv));
        assertThat(Files.readAllLines(csv)).hasSize(rows + 1).first().isEqualTo("seq,summary");
    }
}
