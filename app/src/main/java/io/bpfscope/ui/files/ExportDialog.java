package io.bpfscope.ui.files;

import io.bpfscope.ui.common.Dialogs;
import io.bpfscope.export.ExportJob;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The Export dialog: format, which events, the file, then progress with Cancel. */
public final class ExportDialog {
    private final Stage stage = new Stage();

    public ExportDialog(ExportViewModel viewModel, Window owner) {
        ToggleGroup formats = new ToggleGroup();
        HBox formatBox = new HBox(12);
        for (ExportJob.Format format : ExportJob.Format.values()) {
            RadioButton radio = new RadioButton(label(format));
            radio.setId("export-format-" + format.name().toLowerCase(java.util.Locale.ROOT));
            radio.setToggleGroup(formats);
            radio.setUserData(format);
            radio.setSelected(viewModel.formatProperty().get() == format);
            formatBox.getChildren().add(radio);
        }
        formats.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.formatProperty().set((ExportJob.Format) now.getUserData());
            }
        });

        ToggleGroup scopes = new ToggleGroup();
        VBox scopeBox = new VBox(4);
        for (ExportViewModel.Scope scope : ExportViewModel.Scope.values()) {
            RadioButton radio = new RadioButton(scope.toString());
            radio.setId("export-scope-" + scope.name().toLowerCase(java.util.Locale.ROOT));
            radio.setToggleGroup(scopes);
            radio.setUserData(scope);
            radio.setSelected(viewModel.scopeProperty().get() == scope);
            scopeBox.getChildren().add(radio);
        }
        scopes.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.scopeProperty().set((ExportViewModel.Scope) now.getUserData());
            }
        });

        TextField file = new TextField();
        file.setId("export-file");
        file.setEditable(false);
        file.setPrefColumnCount(34);
        file.setPromptText("choose a file…");
        viewModel.targetProperty().addListener((obs, old, now) -> file.setText(now == null ? "" : now.toString()));
        if (viewModel.targetProperty().get() != null) {
            file.setText(viewModel.targetProperty().get().toString());
        }
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> viewModel.chooseTarget());
        HBox fileBox = new HBox(6, file, browse);
        HBox.setHgrow(file, Priority.ALWAYS);

        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(10);
        form.addRow(0, new Label("Format"), formatBox);
        form.addRow(1, new Label("Events"), scopeBox);
        form.addRow(2, new Label("File"), fileBox);

        ProgressBar progress = new ProgressBar(0);
        progress.setId("export-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        progress.progressProperty().bind(viewModel.progressProperty());
        Label message = new Label();
        message.setId("export-message");
        message.setWrapText(true);
        message.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // the whole message, never "…"
        message.textProperty().bind(viewModel.messageProperty());
        viewModel.messageProperty().addListener((obs, old, now) -> javafx.application.Platform.runLater(() -> {
            if (stage.isShowing()) {
                stage.sizeToScene();
            }
        }));

        Button export = new Button("Export");
        export.setId("export-start");
        export.setDefaultButton(true);
        export.disableProperty().bind(viewModel.runningProperty());
        export.setOnAction(e -> viewModel.export());
        Button cancel = new Button("Cancel");
        cancel.setId("export-cancel");
        cancel.disableProperty().bind(viewModel.runningProperty().not());
        cancel.setOnAction(e -> viewModel.cancel());
        Button close = new Button("Close");
        close.setId("export-close");
        close.setCancelButton(true);
        close.setOnAction(e -> {
            viewModel.cancel();
            stage.close();
        });
        HBox buttons = new HBox(8, export, cancel, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        VBox root = new VBox(12, form, progress, message, buttons);
        root.setPadding(new Insets(14));
        root.setPrefWidth(620);
        root.getStyleClass().add("export-dialog");
        Scene scene = new Scene(root);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            stage.initOwner(owner);
            stage.initModality(Modality.WINDOW_MODAL);
        }
        stage.setScene(scene);
        Dialogs.closeOnEscape(stage, scene);
        stage.setOnHidden(e -> viewModel.cancel());
        stage.setTitle("bpfscope — export");
    }

    public Stage stage() {
        return stage;
    }

    private static String label(ExportJob.Format format) {
        switch (format) {
            case CSV:
                return "CSV";
            case PCAPNG:
                return "pcapng (payloads as packets)";
            case PARQUET:
                return "Parquet (a new directory)";
            default:
                return "JSON Lines";
        }
    }
}
