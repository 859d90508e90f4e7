package io.bpfscope.ui.probes;

import io.bpfscope.ui.common.Icons;
import io.bpfscope.ui.generic.TracepointDialog;
import io.bpfscope.ui.generic.UprobeDialog;
import io.bpfscope.ui.common.Tips;
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

    /**
     * @param attach attaches the ticked probes (the window asks first when that starts a new capture)
     * @param detach detaches the ticked probes (the window knows the live capture)
     */
    public ProbePanel(ProbePanelViewModel viewModel, Runnable attach, Runnable detach) {
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

        Button attachButton = new Button("Attach", Icons.attach());
        attachButton.setId("attach-button");
        attachButton.setDefaultButton(false);
        // Disabled while a ticked probe's option does not check out; the tooltip says which.
        attachButton.disableProperty().bind(viewModel.attachBlockedProperty().isNotEmpty().or(
                new javafx.beans.property.SimpleBooleanProperty(viewModel.isOffline())));
        attachButton.setOnAction(e -> attach.run());
        Tips.lazy(attachButton, Bindings.when(viewModel.attachBlockedProperty().isEmpty())
                .then("Attach every ticked probe; each on its own, so one failing stops no other")
                .otherwise(Bindings.concat("Fix first: ", viewModel.attachBlockedProperty())));
        Label blocked = new Label();
        blocked.setId("attach-blocked");
        blocked.getStyleClass().add("field-problem");
        blocked.setWrapText(true);
        blocked.setMinHeight(Region.USE_PREF_SIZE); // the whole reason, wrapped, never cut with "…"
        blocked.textProperty().bind(viewModel.attachBlockedProperty());
        blocked.visibleProperty().bind(viewModel.attachBlockedProperty().isNotEmpty());
        blocked.managedProperty().bind(blocked.visibleProperty());
        Button detachButton = new Button("Detach", Icons.detach());
        detachButton.setId("detach-button");
        detachButton.setDisable(viewModel.isOffline());
        detachButton.setOnAction(e -> detach.run());
        Tips.lazy(detachButton, "Detach the ticked probes; their events stay");
        HBox buttons = new HBox(8, attachButton, detachButton);
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
        Tips.lazy(includeSelf, "Off: the kernel filters leave out this window, its capture helper and the"
                + " processes they start (such as ldconfig). For the probes attached next.");

        root = new VBox(8, heading, list, generic, options(), includeSelf, blocked, buttons);
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
        TextField pid = optionField("option-pid", "any", 7, "Only this process (its pid); empty: any");
        TextField tid = optionField("option-tid", "any", 7, "Only this thread (its tid); empty: any");
        TextField uid = optionField("option-uid", "any", 7, "Only tasks of this user id; empty: any");
        TextField comm = optionField("option-comm", "any", 10, "Only tasks of this name (at most 15 bytes); empty: any");
        TextField limit = optionField("option-max-payload", null, 7, "Payload bytes kept per event, 1 to 32k, e.g. 4096 or 4k");
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
        libraries.setId("option-libraries");

        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(6);
        grid.addRow(0, new Label("pid"), pid);
        grid.addRow(1, new Label("tid"), tid);
        grid.addRow(2, new Label("uid"), uid);
        grid.addRow(3, new Label("comm"), comm);
        grid.addRow(4, new Label("payload limit"), limit);
        VBox box = new VBox(6, grid, libraryBox);

        TitledPane pane = new TitledPane("Options", box);
        pane.setId("probe-options");
        pane.setExpanded(true);
        viewModel.editingProperty().addListener((obs, old, row) -> {
            if (old != null) {
                pid.textProperty().unbindBidirectional(old.pidProperty());
                tid.textProperty().unbindBidirectional(old.tidProperty());
                uid.textProperty().unbindBidirectional(old.uidProperty());
                comm.textProperty().unbindBidirectional(old.commProperty());
                limit.textProperty().unbindBidirectional(old.maxPayloadProperty());
            }
            bind(row, pane, pid, tid, uid, comm, limit, libraries, libraryBox);
        });
        bind(viewModel.editingProperty().get(), pane, pid, tid, uid, comm, limit, libraries, libraryBox);
        return pane;
    }

    private static TextField optionField(String id, String prompt, int columns, String tip) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.setPrefColumnCount(columns);
        field.setUserData(tip); // the usual tip, again once a problem is mended
        Tips.lazy(field, tip);
        return field;
    }

    private static void bind(ProbeRow row, TitledPane pane, TextField pid, TextField tid, TextField uid, TextField comm,
                             TextField limit, ListView<Path> libraries, Node libraryBox) {
        pane.setText("Options: " + row.probe().name());
        pid.textProperty().bindBidirectional(row.pidProperty());
        tid.textProperty().bindBidirectional(row.tidProperty());
        uid.textProperty().bindBidirectional(row.uidProperty());
        comm.textProperty().bindBidirectional(row.commProperty());
        limit.textProperty().bindBidirectional(row.maxPayloadProperty());
        checked(pid, row.pidProblem());
        checked(tid, row.tidProblem());
        checked(uid, row.uidProblem());
        checked(comm, row.commProblem());
        checked(limit, row.maxPayloadProblem());
        checked(libraries, row.librariesProblem());
        libraries.setItems(row.libraries());
        libraryBox.setVisible(row.takesLibraries());
        libraryBox.setManaged(row.takesLibraries());
    }

    /**
     * A field that shows its problem as it is typed: a red border ({@code field-invalid}) and the
     * reason as its tooltip, the field's usual tip once it checks out again.
     */
    private static void checked(javafx.scene.control.Control field, javafx.beans.binding.StringBinding problem) {
        String usual = field.getUserData() instanceof String tip ? tip : null;
        javafx.beans.value.ChangeListener<String> show = (obs, old, now) -> {
            field.getStyleClass().remove("field-invalid");
            if (now.isEmpty()) {
                if (field.getTooltip() != null) { // a problem's: the usual tip again (else it comes on the first hover)
                    field.setTooltip(usual == null ? null : new Tooltip(usual));
                }
            } else {
                field.getStyleClass().add("field-invalid");
                field.setTooltip(new Tooltip(now));
            }
        };
        // one listener per field at a time: the one for the row shown before goes
        Object previous = field.getProperties().put("problem-listener", show);
        Object previousSource = field.getProperties().put("problem-source", problem);
        if (previous != null) {
            @SuppressWarnings("unchecked")
            javafx.beans.value.ChangeListener<String> old = (javafx.beans.value.ChangeListener<String>) previous;
            ((javafx.beans.binding.StringBinding) previousSource).removeListener(old);
        }
        problem.addListener(show);
        show.changed(problem, "", problem.get());
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
            Tooltip why = new Tooltip();
            why.textProperty().bind(Bindings.createStringBinding(() -> row.failureProperty().get() == null ? ""
                    : ProbePanelViewModel.withProbeName(row, row.failureProperty().get()), row.failureProperty()));
            state.tooltipProperty().bind(Bindings.when(row.failureProperty().isNull()).then((Tooltip) null)
                    .otherwise(why));
            Hyperlink details = new Hyperlink("details");
            details.setId("details-" + row.probe().name());
            // the libbpf or verifier log, for real kernel failures only
            details.visibleProperty().bind(Bindings.createBooleanBinding(() -> !row.failureDetails().isBlank(),
                    row.failureProperty()));
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
