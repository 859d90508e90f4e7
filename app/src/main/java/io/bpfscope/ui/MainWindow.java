package io.bpfscope.ui;

import io.bpfscope.capture.DecodedRecord;
import io.bpfscope.export.JsonLinesExporter;
import java.util.function.Function;
import javafx.animation.AnimationTimer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The main window: probe panel on the left, live event table in the middle, status below. */
public final class MainWindow {
    private static final long PULSE_NANOS = 100_000_000L; // 10 refreshes a second is live enough

    private final MainViewModel viewModel;
    private final BorderPane root = new BorderPane();
    private final TableView<Long> table = new TableView<>();

    public MainWindow(MainViewModel viewModel) {
        this.viewModel = viewModel;
        root.getStyleClass().add("main-window");
        root.setTop(banner());
        root.setLeft(probePanel());
        root.setCenter(eventTable());
        root.setBottom(statusBar());
        startPulse();
    }

    public Parent root() {
        return root;
    }

    public MainViewModel viewModel() {
        return viewModel;
    }

    public String title() {
        return viewModel.titleProperty().get();
    }

    public ReadOnlyStringProperty titleProperty() {
        return viewModel.titleProperty();
    }

    private VBox banner() {
        VBox box = new VBox();
        if (viewModel.isOffline()) {
            Label offline = new Label("Offline — " + viewModel.offlineReason()
                    + ". To go live, start it with: sudo ./bpfscope. File > Open still works: ./bpfscope gui FILE");
            offline.getStyleClass().add("offline-banner");
            offline.setWrapText(true);
            offline.setMaxWidth(Double.MAX_VALUE);
            box.getChildren().add(offline);
        }
        Label error = new Label();
        error.setId("error-line");
        error.getStyleClass().add("error-line");
        error.textProperty().bind(viewModel.errorProperty());
        error.visibleProperty().bind(viewModel.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        error.setWrapText(true);
        error.setMaxWidth(Double.MAX_VALUE);
        box.getChildren().add(error);
        return box;
    }

    private VBox probePanel() {
        Label heading = new Label("Probes");
        heading.getStyleClass().add("panel-heading");
        ListView<ProbeRow> list = new ListView<>(viewModel.probes());
        list.setId("probe-list");
        list.setCellFactory(v -> new ProbeCell());
        VBox.setVgrow(list, Priority.ALWAYS);
        Button attach = new Button("Attach");
        attach.setId("attach-button");
        attach.setDefaultButton(true);
        attach.setDisable(viewModel.isOffline());
        attach.setOnAction(e -> viewModel.attachSelected());
        Button detach = new Button("Detach");
        detach.setId("detach-button");
        detach.setDisable(viewModel.isOffline());
        detach.setOnAction(e -> viewModel.detachSelected());
        HBox buttons = new HBox(8, attach, detach);
        VBox panel = new VBox(8, heading, list, buttons);
        panel.setPadding(new Insets(8));
        panel.setPrefWidth(300);
        panel.getStyleClass().add("probe-panel");
        return panel;
    }

    private TableView<Long> eventTable() {
        table.setId("event-table");
        table.setItems(viewModel.rows());
        table.setPlaceholder(new Label(viewModel.isOffline()
                ? "No events. Open a capture: ./bpfscope gui FILE" : "No events yet: tick a probe and press Attach."));
        table.getColumns().add(column("seq", 70, r -> Long.toString(r.seq())));
        table.getColumns().add(column("time", 150, r -> JsonLinesExporter.formatTime(r.time()).substring(11, 26)));
        table.getColumns().add(column("probe", 70, DecodedRecord::probe));
        table.getColumns().add(column("pid", 70, r -> Integer.toString(r.event().header().pid())));
        table.getColumns().add(column("tid", 70, r -> Integer.toString(r.event().header().tid())));
        table.getColumns().add(column("comm", 120, r -> r.event().header().comm()));
        TableColumn<Long, String> summary = column("summary", 600, r -> r.event().summary());
        table.getColumns().add(summary);
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        return table;
    }

    private TableColumn<Long, String> column(String name, double width, Function<DecodedRecord, String> text) {
        TableColumn<Long, String> column = new TableColumn<>(name);
        column.setPrefWidth(width);
        column.setSortable(false);
        column.setCellValueFactory(cell -> {
            DecodedRecord record = viewModel.record(cell.getValue());
            return new SimpleStringProperty(record == null ? "?" : text.apply(record));
        });
        return column;
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("status-line");
        status.textProperty().bind(viewModel.statusProperty());
        HBox bar = new HBox(status);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private void startPulse() {
        new AnimationTimer() {
            private long last;

            @Override
            public void handle(long now) {
                if (now - last < PULSE_NANOS) {
                    return;
                }
                last = now;
                boolean atEnd = table.getItems().isEmpty() || isLastRowVisible();
                int before = table.getItems().size();
                viewModel.pulse();
                if (atEnd && table.getItems().size() > before) {
                    table.scrollTo(table.getItems().size() - 1); // autoscroll only while the user is at the end
                }
            }
        }.start();
    }

    private boolean isLastRowVisible() {
        var skin = table.lookup(".virtual-flow");
        if (skin instanceof javafx.scene.control.skin.VirtualFlow<?>) {
            var flow = (javafx.scene.control.skin.VirtualFlow<?>) skin;
            var last = flow.getLastVisibleCell();
            return last == null || last.getIndex() >= table.getItems().size() - 2;
        }
        return true;
    }

    /** A probe: tick box with its name, its description, its state. */
    private static final class ProbeCell extends ListCell<ProbeRow> {
        @Override
        protected void updateItem(ProbeRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            CheckBox box = new CheckBox(row.probe().name());
            box.setId("probe-" + row.probe().name());
            box.selectedProperty().bindBidirectional(row.selectedProperty());
            Label description = new Label(row.probe().description());
            description.setWrapText(true);
            description.setMaxWidth(260);
            description.getStyleClass().add("probe-description");
            Label state = new Label();
            state.textProperty().bind(row.stateProperty());
            state.getStyleClass().add("probe-state");
            setGraphic(new VBox(2, new HBox(8, box, state), description));
        }
    }
}
