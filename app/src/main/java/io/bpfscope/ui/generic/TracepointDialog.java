package io.bpfscope.ui.generic;

import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.probes.Probe;
import io.bpfscope.ui.common.TaskRunner;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Picks one of the host's tracepoints from a searchable list, showing the
 * fields its events will carry; gives a {@code tracepoint:GROUP:NAME} probe.
 * The list and the formats are read in the background ({@link TracepointPicker}).
 */
public final class TracepointDialog extends Dialog<Probe> {
    /** {@code facts}: the host's tracepoints, read here or asked of the capture helper (tracefs is root's). */
    public TracepointDialog(Window owner, HostFacts facts, TaskRunner tasks) {
        TracepointPicker picker = new TracepointPicker(facts, tasks);
        initOwner(owner);
        setTitle("Add a tracepoint probe");
        setHeaderText("Any tracepoint of this kernel: its fields are decoded from its format file");
        Label count = new Label();
        count.setId("tracepoint-status");
        count.setWrapText(true);
        count.textProperty().bind(picker.statusProperty());
        picker.failedProperty().addListener((obs, old, failed) -> {
            if (failed) {
                count.getStyleClass().add("error-text");
            } else {
                count.getStyleClass().remove("error-text");
            }
        });
        ProgressIndicator loading = new ProgressIndicator();
        loading.setPrefSize(16, 16);
        loading.visibleProperty().bind(picker.loadingProperty());
        HBox statusLine = new HBox(6, loading, count);
        statusLine.setAlignment(Pos.CENTER_LEFT);
        TextField search = new TextField();
        search.setId("tracepoint-search");
        search.setPromptText("search: sched fork, syscalls unlinkat…");
        picker.names().queryProperty().bind(search.textProperty());
        ListView<String> list = new ListView<>(picker.names().shown());
        list.setId("tracepoint-list");
        list.setPrefHeight(320);
        Label empty = new Label();
        empty.textProperty().bind(javafx.beans.binding.Bindings.when(picker.loadingProperty())
                .then("loading…").otherwise("no tracepoint"));
        list.setPlaceholder(empty);
        picker.selectedProperty().bind(list.getSelectionModel().selectedItemProperty());
        TextArea fields = new TextArea();
        fields.setEditable(false);
        fields.setPrefRowCount(8);
        fields.setId("tracepoint-fields");
        fields.textProperty().bind(picker.fieldsProperty());
        VBox box = new VBox(8, statusLine, search, list, new Label("Fields (names for filters and JSONL)"), fields);
        VBox.setVgrow(list, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        box.setPrefWidth(560);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        // OK once the chosen tracepoint's format has been read: the probe is made from it.
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(picker.probeProperty().isNull());
        setResultConverter(button -> button == ButtonType.OK ? picker.probeProperty().get() : null);
        setOnShown(e -> search.requestFocus());
        picker.load();
    }
}
