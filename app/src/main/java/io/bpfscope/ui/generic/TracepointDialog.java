package io.bpfscope.ui.generic;

import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.tracepoint.GenericTracepointProbe;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import io.bpfscope.probes.tracepoint.TracepointFormat;
import java.util.List;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Picks one of the host's tracepoints from a searchable list, showing the
 * fields its events will carry; gives a {@code tracepoint:GROUP:NAME} probe.
 */
public final class TracepointDialog extends Dialog<Probe> {
    private final HostFacts facts;

    /** {@code facts}: the host's tracepoints, read here or asked of the capture helper (tracefs is root's). */
    public TracepointDialog(Window owner, HostFacts facts) {
        this.facts = facts;
        initOwner(owner);
        setTitle("Add a tracepoint probe");
        setHeaderText("Any tracepoint of this kernel: its fields are decoded from its format file");
        SearchList names = new SearchList();
        Label count = new Label();
        try {
            names.setAll(facts.tracepoints());
            count.setText(names.total() + " tracepoints; type words to narrow, e.g. 'sched fork'");
        } catch (java.io.IOException e) {
            count.setText(e.getMessage());
        }
        TextField search = new TextField();
        search.setId("tracepoint-search");
        search.setPromptText("search: sched fork, syscalls unlinkat…");
        names.queryProperty().bind(search.textProperty());
        ListView<String> list = new ListView<>(names.shown());
        list.setId("tracepoint-list");
        list.setPrefHeight(320);
        TextArea fields = new TextArea();
        fields.setEditable(false);
        fields.setPrefRowCount(8);
        fields.setId("tracepoint-fields");
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, name) ->
                fields.setText(name == null ? "" : describe(name)));
        VBox box = new VBox(8, count, search, list, new Label("Fields (names for filters and JSONL)"), fields);
        VBox.setVgrow(list, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        box.setPrefWidth(560);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).disableProperty()
                .bind(list.getSelectionModel().selectedItemProperty().isNull());
        setResultConverter(button -> button == ButtonType.OK && list.getSelectionModel().getSelectedItem() != null
                ? probe(list.getSelectionModel().getSelectedItem()) : null);
        setOnShown(e -> search.requestFocus());
    }

    /** The probe for {@code group:name}, its format as the facts give it. */
    private GenericTracepointProbe probe(String tracepoint) {
        int colon = tracepoint.indexOf(':');
        try {
            return GenericTracepointProbe.withFormat(tracepoint.substring(0, colon), tracepoint.substring(colon + 1),
                    facts.tracepointFormat(tracepoint));
        } catch (java.io.IOException e) {
            return GenericTracepointProbe.of(GenericTracepointProbe.PREFIX + tracepoint); // says why it is unavailable
        }
    }

    /** The fields a tracepoint's events carry, one per line with its C type. */
    String describe(String tracepoint) {
        GenericTracepointProbe probe = probe(tracepoint);
        TracepointFormat format = probe.parsedFormat();
        if (format == null) {
            return probe.availability().reason();
        }
        List<String> strings = TracepointDecoder.userStringFields(format).stream().map(TracepointFormat.Field::name).toList();
        return format.ownFields().stream()
                .map(f -> TracepointDecoder.fieldName(f.name()) + "  (" + f.type() + ")"
                        + (strings.contains(f.name()) ? "  read as a string" : ""))
                .collect(Collectors.joining("\n"));
    }
}
