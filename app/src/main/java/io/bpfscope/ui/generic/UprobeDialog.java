package io.bpfscope.ui.generic;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.uprobe.BufferCapture;
import io.bpfscope.probes.uprobe.UprobeProbe;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.TaskRunner;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Picks a function: a binary or library, then a symbol from a searchable list
 * of its {@code .dynsym} and {@code .symtab} functions; at entry or at return;
 * optionally a buffer an argument points to. Gives an {@code uprobe:} or
 * {@code uretprobe:} probe. The symbols are read in the background ({@link SymbolPicker}).
 */
public final class UprobeDialog extends Dialog<Probe> {
    private static final String NONE = "none";
    private static final String RETURN = "return value";
    private static final String FIXED = "fixed size";

    private final SymbolPicker symbols;
    private final Label problem = new Label();

    public UprobeDialog(Window owner, PathChooser chooser, TaskRunner tasks) {
        symbols = new SymbolPicker(tasks);
        initOwner(owner);
        setTitle("Add a uprobe");
        setHeaderText("Any function of a binary or library: arguments, return value, latency, a buffer");
        TextField path = new TextField("/usr/lib/x86_64-linux-gnu/libc.so.6");
        path.setId("uprobe-path");
        HBox.setHgrow(path, Priority.ALWAYS);
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> chooser.open("A binary or library", List.of(
                new PathChooser.FileType("Shared libraries (*.so*)", List.of("*.so", "*.so.*")), PathChooser.FileType.ANY))
                .ifPresent(p -> path.setText(p.toString())));
        path.textProperty().addListener((obs, old, text) -> symbols.load(text));
        TextField search = new TextField();
        search.setId("uprobe-search");
        search.setPromptText("search symbols: getaddrinfo, SSL_…");
        symbols.symbols().queryProperty().bind(search.textProperty());
        ListView<String> list = new ListView<>(symbols.symbols().shown());
        list.setId("uprobe-symbols");
        Label empty = new Label();
        empty.textProperty().bind(Bindings.when(symbols.loadingProperty()).then("reading the symbols…").otherwise("no symbols"));
        list.setPlaceholder(empty);
        list.setPrefHeight(260);
        CheckBox atReturn = new CheckBox("At return (uretprobe): return value and latency");
        atReturn.setId("uprobe-return");
        atReturn.setSelected(true);

        ChoiceBox<String> bufferArg = new ChoiceBox<>();
        bufferArg.getItems().addAll(NONE, "arg0", "arg1", "arg2", "arg3", "arg4", "arg5");
        bufferArg.setValue(NONE);
        ChoiceBox<String> lengthFrom = new ChoiceBox<>();
        lengthFrom.getItems().addAll("arg0", "arg1", "arg2", "arg3", "arg4", "arg5", RETURN, FIXED);
        lengthFrom.setValue(FIXED);
        TextField fixed = new TextField("64");
        fixed.setPrefColumnCount(6);
        lengthFrom.disableProperty().bind(bufferArg.valueProperty().isEqualTo(NONE));
        fixed.disableProperty().bind(bufferArg.valueProperty().isEqualTo(NONE).or(lengthFrom.valueProperty().isNotEqualTo(FIXED)));
        GridPane buffer = new GridPane();
        buffer.setHgap(6);
        buffer.setVgap(4);
        buffer.addRow(0, new Label("Payload: buffer at"), bufferArg, new Label("length"), lengthFrom, fixed, new Label("bytes"));

        problem.setId("uprobe-problem");
        problem.setWrapText(true);
        problem.getStyleClass().add("error-text");
        symbols.problemProperty().addListener((obs, old, text) -> problem.setText(text));
        ProgressIndicator loading = new ProgressIndicator();
        loading.setPrefSize(16, 16);
        loading.visibleProperty().bind(symbols.loadingProperty());
        HBox pathLine = new HBox(6, path, browse, loading);
        pathLine.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(8, new Label("Binary or library"), pathLine, search, list, atReturn, buffer, problem);
        VBox.setVgrow(list, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        box.setPrefWidth(580);
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).disableProperty()
                .bind(list.getSelectionModel().selectedItemProperty().isNull());
        // A bad buffer choice keeps the dialog open with the reason.
        getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            try {
                capture(bufferArg.getValue(), lengthFrom.getValue(), fixed.getText(), atReturn.isSelected());
            } catch (IllegalArgumentException bad) {
                problem.setText(bad.getMessage());
                e.consume();
            }
        });
        setResultConverter(button -> button != ButtonType.OK ? null
                : new UprobeProbe(Path.of(path.getText().strip()), list.getSelectionModel().getSelectedItem(),
                        atReturn.isSelected(), capture(bufferArg.getValue(), lengthFrom.getValue(), fixed.getText(),
                        atReturn.isSelected())));
        symbols.load(path.getText());
        setOnShown(e -> search.requestFocus());
    }

    static BufferCapture capture(String pointer, String length, String fixed, boolean atReturn) {
        if (pointer == null || pointer.equals(NONE)) {
            return BufferCapture.NONE;
        }
        int arg = pointer.charAt(3) - '0';
        if (length.equals(RETURN)) {
            if (!atReturn) {
                throw new IllegalArgumentException("a length from the return value needs 'At return'");
            }
            return BufferCapture.lengthFromReturn(arg);
        }
        if (length.equals(FIXED)) {
            try {
                long bytes = Long.parseLong(fixed.strip());
                if (bytes <= 0) {
                    throw new NumberFormatException();
                }
                return BufferCapture.fixed(arg, bytes);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the buffer size must be a positive number of bytes, not '" + fixed + "'");
            }
        }
        return BufferCapture.lengthFromArg(arg, length.charAt(3) - '0');
    }
}
