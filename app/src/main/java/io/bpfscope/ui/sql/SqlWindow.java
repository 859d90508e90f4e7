package io.bpfscope.ui.sql;

import io.bpfscope.sql.ResultCells;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Analyze → SQL: a query editor (Ctrl+Enter runs it) with the queries run
 * before, the rows in a table, <b>Show events</b> (the rows' {@code seq} as the
 * main window's filter) and <b>Export…</b> (CSV). DuckDB is loaded when the
 * first query runs, not before (see {@link SqlViewModel}).
 */
public final class SqlWindow {
    private final SqlViewModel viewModel;
    private final Stage stage = new Stage();
    private final TableView<List<Object>> results = new TableView<>();

    public SqlWindow(SqlViewModel viewModel, Window owner, Supplier<PathChooser> chooser) {
        this.viewModel = viewModel;
        TextArea editor = new TextArea();
        editor.setId("sql-editor");
        editor.setPrefRowCount(5);
        editor.setStyle("-fx-font-family: monospace;");
        editor.textProperty().bindBidirectional(viewModel.queryProperty());
        editor.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN).match(e)) {
                viewModel.run();
                e.consume();
            }
        });

        ComboBox<String> history = new ComboBox<>(viewModel.history());
        history.setId("sql-history");
        history.setPromptText("History");
        history.setPrefWidth(220);
        history.setOnAction(e -> {
            if (history.getValue() != null) {
                viewModel.queryProperty().set(history.getValue());
            }
        });
        Button run = new Button("Run (Ctrl+Enter)");
        run.setId("sql-run");
        run.setDefaultButton(false);
        run.disableProperty().bind(viewModel.runningProperty());
        run.setOnAction(e -> viewModel.run());
        Button reload = new Button("Reload capture");
        reload.setOnAction(e -> viewModel.reload());
        Button show = new Button("Show events");
        show.setId("sql-show-events");
        show.setOnAction(e -> viewModel.filterEvents());
        Button export = new Button("Export…");
        export.setId("sql-export");
        export.setOnAction(e -> chooser.get().save("Export the result", "result.csv",
                List.of(new PathChooser.FileType("CSV (*.csv)", List.of("*.csv")), PathChooser.FileType.ANY)).ifPresent(path -> {
            try {
                viewModel.exportResult(path);
            } catch (IOException failure) {
                new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR,
                        io.bpfscope.ui.common.ErrorDisplay.describe(failure)).showAndWait();
            }
        }));
        Label status = new Label();
        status.setId("sql-status");
        status.textProperty().bind(viewModel.statusProperty());
        status.setWrapText(true);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, run, history, reload, grow, show, export);
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(6, editor, buttons, status);
        top.setPadding(new Insets(8));

        results.setId("sql-results");
        results.setPlaceholder(new Label("Tables: events (every event) and one per probe (exec, open, tls, …)."
                + " Run a query to see its rows."));
        viewModel.resultProperty().addListener((obs, old, now) -> show(now));
        SplitPane split = new SplitPane(top, results);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.3);
        stage.setScene(new Scene(new BorderPane(split), 1000, 640));
        stage.setTitle("SQL — bpfscope");
        stage.initOwner(owner);
        stage.setOnHidden(e -> {
            try {
                viewModel.close();
            } catch (IOException failure) {
                System.getLogger(SqlWindow.class.getName()).log(System.Logger.Level.WARNING, "closing DuckDB", failure);
            }
        });
    }

    /**
     * Analyze → SQL from the main window.
     *
     * @param capture what the main window shows
     * @param filter  sets the main window's filter (Show events)
     */
    public static SqlWindow open(Window owner, Supplier<ShownCapture> capture, Consumer<String> filter, TaskRunner tasks,
                                 Supplier<PathChooser> chooser) {
        SqlWindow window = new SqlWindow(new SqlViewModel(capture, filter, tasks), owner, chooser);
        window.stage.show();
        return window;
    }

    public SqlViewModel viewModel() {
        return viewModel;
    }

    public Stage stage() {
        return stage;
    }

    private void show(SqlViewModel.Result result) {
        results.getColumns().clear();
        if (result == null) {
            results.getItems().clear();
            return;
        }
        for (int i = 0; i < result.columns().size(); i++) {
            int index = i;
            TableColumn<List<Object>, String> column = new TableColumn<>(result.columns().get(i));
            column.setCellValueFactory(row -> new ReadOnlyStringWrapper(cell(row.getValue().get(index))));
            if (result.types().get(i).matches("BIGINT|INTEGER|HUGEINT|DOUBLE|DECIMAL.*|SMALLINT|TINYINT|U.*INT|FLOAT")) {
                column.setStyle("-fx-alignment: CENTER-RIGHT;");
                column.setComparator((a, b) -> compareNumbers(a, b));
            }
            results.getColumns().add(column);
        }
        results.getItems().setAll(result.rows());
    }

    /** A value on one line: control characters (from captured names) shown as a middle dot. */
    private static String cell(Object value) {
        if (value == null) {
            return "NULL";
        }
        String text = ResultCells.text(value).replaceAll("\\p{Cntrl}", "·");
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    private static int compareNumbers(String a, String b) {
        try {
            return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
