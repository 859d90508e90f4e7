package io.bpfscope.ui.probes;

import io.bpfscope.ui.common.Icons;
import io.bpfscope.ui.generic.TracepointDialog;
import io.bpfscope.ui.generic.UprobeDialog;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The probe panel: each probe with its tick box, state and description; the
 * options of the probe picked below the list; Attach and Detach.
 */
public final class ProbePanel {
    private final ProbePanelViewModel viewModel;
    private final VBox root;
    private final Runnable detach;

    /** @param detach detaches the ticked probes (the window knows the live capture) */
    public ProbePanel(ProbePanelViewModel viewModel, Runnable detach) {
        this.viewModel = viewModel;
        this.detach = detach;
        Label heading = new Label("Probes");
        heading.getStyleClass().add("panel-heading");
        ListView<ProbeRow> list = new ListView<>(viewModel.probes());
        list.setId("probe-list");
        list.setCellFactory(v -> new ProbeCell());
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> {
            if (row != null) {
                viewModel.editingProperty().set(row);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        Button attach = new Button("Attach", Icons.attach());
        attach.setId("attach-button");
        attach.setDefaultButton(false);
        attach.setDisable(viewModel.isOffline());
        attach.setOnAction(e -> viewModel.attachSelected());
        attach.setTooltip(new Tooltip("Attach every ticked probe; each on its own, so one failing stops no other"));
        Button detachButton = new Button("Detach", Icons.detach());
        detachButton.setId("detach-button");
        detachButton.setDisable(viewModel.isOffline());
        detachButton.setOnAction(e -> detach.run());
        detachButton.setTooltip(new Tooltip("Detach the ticked probes; their events stay"));
        HBox buttons = new HBox(8, attach, detachButton);
        // Probes on a target chosen here: any tracepoint, any function (io.bpfscope.ui.generic).
        Button tracepoint = new Button("+ Tracepoint…");
        tracepoint.setId("add-tracepoint");
        tracepoint.setOnAction(e -> new TracepointDialog(tracepoint.getScene().getWindow(), viewModel.hostFacts(),
                viewModel.tasks()).showAndWait().ifPresent(viewModel::add));
        Button function = new Button("+ Function…");
        function.setId("add-uprobe");
        function.setOnAction(e -> new UprobeDialog(function.getScene().getWindow(), viewModel.pathChooser(),
                viewModel.tasks()).showAndWait().ifPresent(viewModel::add));
        HBox generic = new HBox(8, tracepoint, function);
        CheckBox includeSelf = new CheckBox("Trace bpfscope itself");
        includeSelf.setId("option-include-self");
        includeSelf.selectedProperty().bindBidirectional(viewModel.includeSelfProperty());
        includeSelf.setTooltip(new Tooltip("Off: the kernel filters leave out this window, its capture helper and the"
                + " processes they start (such as ldconfig). For the probes attached next."));

        root = new VBox(8, heading, list, generic, options(), includeSelf, buttons);
        root.setPadding(new Insets(8));
        root.setPrefWidth(290);
        root.setMinWidth(0);
        root.getStyleClass().add("probe-panel");
    }

    public Node root() {
        return root;
    }

    /** The options of the probe picked in the list. */
    private Node options() {
        TextField pid = new TextField();
        pid.setId("option-pid");
        pid.setPromptText("any");
        pid.setPrefColumnCount(7);
        TextField comm = new TextField();
        comm.setId("option-comm");
        comm.setPromptText("any");
        comm.setPrefColumnCount(10);
        TextField limit = new TextField();
        limit.setId("option-max-payload");
        limit.setPrefColumnCount(7);
        limit.setTooltip(new Tooltip("Payload bytes kept per event, e.g. 32768 or 4k"));
        ListView<Path> libraries = new ListView<>();
        libraries.setPrefHeight(60);
        libraries.setPlaceholder(new Label("found automatically"));
        Button add = new Button("Add…");
        add.setOnAction(e -> viewModel.addLibrary(viewModel.editingProperty().get()));
        Button remove = new Button("Remove");
        remove.setOnAction(e -> {
            Path chosen = libraries.getSelectionModel().getSelectedItem();
            if (chosen != null) {
                viewModel.editingProperty().get().libraries().remove(chosen);
            }
        });
        VBox libraryBox = new VBox(4, new Label("TLS libraries to trace as well"), libraries, new HBox(6, add, remove));

        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        grid.addRow(0, new Label("pid"), pid);
        grid.addRow(1, new Label("comm"), comm);
        grid.addRow(2, new Label("payload limit"), limit);
        VBox box = new VBox(6, grid, libraryBox);

        TitledPane pane = new TitledPane("Options", box);
        pane.setId("probe-options");
        pane.setExpanded(true);
        viewModel.editingProperty().addListener((obs, old, row) -> {
            if (old != null) {
                pid.textProperty().unbindBidirectional(old.pidProperty());
                comm.textProperty().unbindBidirectional(old.commProperty());
                limit.textProperty().unbindBidirectional(old.maxPayloadProperty());
            }
            bind(row, pane, pid, comm, limit, libraries, libraryBox);
        });
        bind(viewModel.editingProperty().get(), pane, pid, comm, limit, libraries, libraryBox);
        return pane;
    }

    private static void bind(ProbeRow row, TitledPane pane, TextField pid, TextField comm, TextField limit,
                             ListView<Path> libraries, Node libraryBox) {
        pane.setText("Options: " + row.probe().name());
        pid.textProperty().bindBidirectional(row.pidProperty());
        comm.textProperty().bindBidirectional(row.commProperty());
        limit.textProperty().bindBidirectional(row.maxPayloadProperty());
        libraries.setItems(row.libraries());
        libraryBox.setVisible(row.takesLibraries());
        libraryBox.setManaged(row.takesLibraries());
    }

    /** A probe: tick box with its name, its state (and "details" when it failed), its description. */
    private final class ProbeCell extends ListCell<ProbeRow> {
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
            box.getStyleClass().add("probe-name");
            Label state = new Label();
            state.textProperty().bind(row.stateProperty());
            state.getStyleClass().add("probe-state");
            state.setWrapText(true);
            row.stateProperty().addListener((obs, old, now) -> styleState(state, now));
            styleState(state, row.stateProperty().get());
            Hyperlink details = new Hyperlink("details");
            details.setId("details-" + row.probe().name());
            details.visibleProperty().bind(row.failureProperty().isNotNull());
            details.managedProperty().bind(details.visibleProperty());
            details.setOnAction(e -> FailureDetailsDialog.show(row, getScene().getWindow()));
            Region grow = new Region();
            HBox.setHgrow(grow, Priority.ALWAYS);
            HBox top = new HBox(6, box, grow, state, details);
            top.setAlignment(Pos.CENTER_LEFT);
            Label description = new Label(row.probe().description());
            description.setWrapText(true);
            description.getStyleClass().add("probe-description");
            VBox cell = new VBox(2, top, description);
            description.maxWidthProperty().bind(Bindings.max(80, getListView().widthProperty().subtract(34)));
            state.maxWidthProperty().bind(Bindings.max(40, getListView().widthProperty().subtract(120)));
            setGraphic(cell);
        }

        private void styleState(Label state, String text) {
            state.getStyleClass().removeAll("state-ok", "state-failed", "state-idle");
            state.getStyleClass().add(text.startsWith("attached") ? "state-ok"
                    : text.equals("failed") ? "state-failed" : "state-idle");
        }
    }
}
