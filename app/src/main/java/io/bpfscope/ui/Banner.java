package io.bpfscope.ui;

import io.bpfscope.ui.common.Tips;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Above the filter bar: the offline banner (how to go live), and the error line with its dismiss button. */
final class Banner {
    private Banner() {
    }

    static VBox build(MainViewModel viewModel) {
        VBox box = new VBox();
        if (viewModel.isOffline()) {
            Label offline = new Label("Offline — " + viewModel.offlineReason()
                    + ". To go live, start it with: sudo ./bpfscope (the window still runs as you; only its capture helper runs"
                    + " as root). File > Open still works: ./bpfscope gui FILE");
            offline.setId("offline-banner");
            offline.getStyleClass().add("offline-banner");
            offline.setWrapText(true);
            offline.setMaxWidth(Double.MAX_VALUE);
            box.getChildren().add(offline);
        }
        Label error = new Label();
        error.setId("error-line");
        error.getStyleClass().add("error-line");
        error.textProperty().bind(viewModel.errorProperty());
        error.setWrapText(true);
        error.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(error, Priority.ALWAYS);
        Button dismiss = new Button("✕");
        dismiss.setId("error-dismiss");
        dismiss.getStyleClass().add("chip-close");
        Tips.lazy(dismiss, "Dismiss");
        dismiss.setOnAction(e -> viewModel.errors().clear());
        HBox line = new HBox(6, error, dismiss);
        line.setAlignment(Pos.CENTER_LEFT);
        line.getStyleClass().add("error-box");
        line.visibleProperty().bind(viewModel.errorProperty().isNotEmpty());
        line.managedProperty().bind(line.visibleProperty());
        box.getChildren().add(line);
        return box;
    }
}
