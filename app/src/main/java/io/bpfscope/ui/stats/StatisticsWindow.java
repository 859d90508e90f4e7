package io.bpfscope.ui.stats;

import io.bpfscope.ui.common.Dialogs;
import io.bpfscope.ui.common.ProbeColors;
import io.bpfscope.ui.table.EventColumns;
import io.bpfscope.ui.timeline.LostMark;
import java.time.Instant;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The Statistics window: per probe, top processes, files and hosts, and the losses over time. */
public final class StatisticsWindow {
    private final StatisticsViewModel viewModel;
    private final Stage stage = new Stage();
    private final TableView<Statistics.Count> probes = countTable("probe", "probe-counts");
    private final TableView<Statistics.Count> processes = countTable("process", "process-counts");
    private final TableView<Statistics.Count> files = countTable("file opened", "file-counts");
    private final TableView<Statistics.Count> hosts = countTable("host", "host-counts");
    private final TableView<LostMark> lost = lostTable();
    private final LostChart lostChart = new LostChart();

    public StatisticsWindow(StatisticsViewModel viewModel, Window owner) {
        this.viewModel = viewModel;
        ChoiceBox<StatisticsViewModel.Scope> scope = new ChoiceBox<>();
        scope.getItems().addAll(StatisticsViewModel.Scope.values());
        scope.valueProperty().bindBidirectional(viewModel.scopeProperty());
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> viewModel.refresh());
        Label status = new Label();
        status.setId("statistics-status");
        status.textProperty().bind(viewModel.statusProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox top = new HBox(8, new Label("Count"), scope, refresh, grow, status, Dialogs.closeButton(stage, "statistics"));
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(6, 8, 6, 8));
        top.getStyleClass().add("pane-toolbar");

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.setPadding(new Insets(10));
        grid.add(section("Events per probe", probes), 0, 0);
        grid.add(section("Top processes", processes), 1, 0);
        grid.add(section("Top files (open)", files), 0, 1);
        grid.add(section("Top hosts (tcp peers, dns names)", hosts), 1, 1);
        HBox lostBoth = new HBox(10, lost, lostChart.root());
        HBox.setHgrow(lost, Priority.ALWAYS);
        HBox.setHgrow(lostChart.root(), Priority.ALWAYS);
        lost.setPrefWidth(300);
        grid.add(section("Lost events over time", lostBoth), 0, 2, 2, 1);
        for (int i = 0; i < 2; i++) {
            ColumnConstraints column = new ColumnConstraints();
            column.setPercentWidth(50);
            grid.getColumnConstraints().add(column);
        }
        for (double percent : new double[] {38, 38, 24}) {
            RowConstraints row = new RowConstraints();
            row.setPercentHeight(percent);
            row.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(row);
        }

        viewModel.statisticsProperty().addListener((obs, old, stats) -> show(stats));
        BorderPane root = new BorderPane(grid, top, null, null, null);
        root.getStyleClass().add("statistics-window");
        Scene scene = new Scene(root, 940, 700);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            stage.initOwner(owner);
        }
        stage.setScene(scene);
        Dialogs.closeOnEscape(stage, scene);
        stage.setTitle("bpfscope — statistics");
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        viewModel.refresh();
    }

    private void show(Statistics stats) {
        if (stats == null) {
            return;
        }
        probes.getItems().setAll(stats.probes());
        processes.getItems().setAll(stats.processes());
        files.getItems().setAll(stats.files());
        hosts.getItems().setAll(stats.hosts());
        lost.getItems().setAll(viewModel.lost());
        lostChart.show(viewModel.lost());
        probes.setUserData(stats.events());
        processes.setUserData(stats.events());
        files.setUserData(stats.events());
        hosts.setUserData(stats.events());
        probes.refresh();
    }

    private static Node section(String title, Node content) {
        Label heading = new Label(title);
        heading.getStyleClass().add("panel-heading");
        VBox box = new VBox(4, heading, content);
        VBox.setVgrow(content, Priority.ALWAYS);
        return box;
    }

    private static TableView<Statistics.Count> countTable(String what, String id) {
        TableView<Statistics.Count> table = new TableView<>();
        table.setId(id);
        table.setPlaceholder(new Label("none"));
        TableColumn<Statistics.Count, String> name = new TableColumn<>(what);
        name.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().name()));
        name.setPrefWidth(250);
        TableColumn<Statistics.Count, Statistics.Count> count = new TableColumn<>("events");
        count.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        count.setCellFactory(c -> new ShareCell(what.equals("probe")));
        count.setPrefWidth(170);
        table.getColumns().add(name);
        table.getColumns().add(count);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return table;
    }

    /** The count, with a bar for its share of all events (in the probe's colour in the per-probe table). */
    private static final class ShareCell extends TableCell<Statistics.Count, Statistics.Count> {
        private final boolean probeColours;
        private final Rectangle bar = new Rectangle(0, 10);
        private final Label number = new Label();
        private final HBox box = new HBox(6, new StackPane(bar), number);

        ShareCell(boolean probeColours) {
            this.probeColours = probeColours;
            bar.getStyleClass().add("share-bar");
            box.setAlignment(Pos.CENTER_LEFT);
            ((StackPane) box.getChildren().get(0)).setMinWidth(72);
            ((StackPane) box.getChildren().get(0)).setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(Statistics.Count count, boolean empty) {
            super.updateItem(count, empty);
            if (empty || count == null) {
                setGraphic(null);
                return;
            }
            Object total = getTableView().getUserData();
            double share = total instanceof Long && (Long) total > 0 ? (double) count.count() / (Long) total : 0;
            bar.setWidth(Math.max(1, 70 * share));
            if (probeColours) {
                bar.setStyle("-fx-fill: " + ProbeColors.web(count.name()) + ";");
            }
            number.setText(String.format("%,d  (%.1f%%)", count.count(), share * 100));
            setGraphic(box);
        }
    }

    private static TableView<LostMark> lostTable() {
        TableView<LostMark> table = new TableView<>();
        table.setId("lost-over-time");
        table.setPlaceholder(new Label("No events were lost: the ring buffer kept up."));
        TableColumn<LostMark, String> when = new TableColumn<>("when");
        when.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().exactTime()
                ? EventColumns.clock(Instant.ofEpochSecond(0, c.getValue().epochNanos())) : "by the end (file total)"));
        TableColumn<LostMark, String> lostThen = new TableColumn<>("lost");
        lostThen.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(String.format("%,d", c.getValue().lost())));
        TableColumn<LostMark, String> total = new TableColumn<>("lost so far");
        total.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(String.format("%,d", c.getValue().total())));
        table.getColumns().addAll(List.of(when, lostThen, total));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        return table;
    }
}
