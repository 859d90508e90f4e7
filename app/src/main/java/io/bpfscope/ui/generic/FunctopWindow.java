package io.bpfscope.ui.generic;

import io.bpfscope.ui.common.Dialogs;
import io.bpfscope.ui.common.PathChooser;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

/** The functop window: the form, Start/Stop, and the table refreshed every second. Closing it detaches. */
public final class FunctopWindow {
    private final Stage stage = new Stage();

    public FunctopWindow(Window owner, FunctopViewModel viewModel, PathChooser chooser) {
        stage.initOwner(owner);
        stage.setTitle("Function latency (functop)");
        TextField pid = new TextField();
        pid.setId("functop-pid");
        pid.setPromptText("process id");
        pid.textProperty().bindBidirectional(viewModel.pidProperty());
        TextField library = new TextField();
        library.setId("functop-lib");
        library.setPromptText("or a library / binary path");
        library.textProperty().bindBidirectional(viewModel.libraryProperty());
        HBox.setHgrow(library, Priority.ALWAYS);
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> chooser.open("A binary or library", List.of(PathChooser.FileType.ANY))
                .ifPresent(p -> library.setText(p.toString())));
        TextField match = new TextField();
        match.setId("functop-match");
        match.setPromptText("regular expression, e.g. ^SSL_");
        match.textProperty().bindBidirectional(viewModel.matchProperty());
        Button start = new Button("Start");
        start.setId("functop-start");
        start.setDefaultButton(true);
        start.disableProperty().bind(viewModel.runningProperty().or(viewModel.busyProperty()));
        start.setOnAction(e -> viewModel.start());
        Button stop = new Button("Stop");
        stop.setId("functop-stop");
        stop.disableProperty().bind(viewModel.runningProperty().not());
        stop.setOnAction(e -> viewModel.stop());

        GridPane form = new GridPane();
        form.setHgap(6);
        form.setVgap(6);
        form.addRow(0, new Label("Process"), pid);
        form.addRow(1, new Label("Library"), new HBox(6, library, browse));
        form.addRow(2, new Label("Functions"), match, new HBox(6, start, stop));
        GridPane.setHgrow(match, Priority.ALWAYS);

        TableView<FunctopViewModel.Row> table = new TableView<>(viewModel.rows());
        table.setId("functop-table");
        table.setPlaceholder(new Label("No call yet"));
        table.getColumns().add(ValueColumn.of("Function", 260, FunctopViewModel.Row::function));
        table.getColumns().add(ValueColumn.of("Count", 90, FunctopViewModel.Row::count));
        table.getColumns().add(ValueColumn.of("Total", 100, FunctopViewModel.Row::total));
        table.getColumns().add(ValueColumn.of("Avg", 90, FunctopViewModel.Row::average));
        table.getColumns().add(ValueColumn.of("Min", 90, FunctopViewModel.Row::min));
        table.getColumns().add(ValueColumn.of("Max", 90, FunctopViewModel.Row::max));
        table.getColumns().add(ValueColumn.of("p99 (log2 estimate)", 130, FunctopViewModel.Row::p99));
        VBox.setVgrow(table, Priority.ALWAYS);
        Label status = new Label();
        status.setId("functop-status");
        status.textProperty().bind(viewModel.statusProperty());

        Region push = new Region();
        HBox.setHgrow(push, Priority.ALWAYS);
        HBox bottom = new HBox(8, status, push, Dialogs.closeButton(stage, "functop"));
        bottom.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        VBox root = new VBox(8, form, table, bottom);
        root.setPadding(new Insets(8));
        Scene scene = new Scene(root, 900, 520);
        stage.setScene(scene);
        Dialogs.closeOnEscape(stage, scene);
        // The kernel aggregates; the window only reads the map once a second.
        Timeline pulse = new Timeline(new KeyFrame(Duration.seconds(1), e -> viewModel.refresh()));
        pulse.setCycleCount(Timeline.INDEFINITE);
        stage.setOnShown(e -> pulse.play());
        stage.setOnHidden(e -> {
            pulse.stop();
            viewModel.stop();
        });
    }

    public void show() {
        stage.show();
        stage.toFront();
    }
}
