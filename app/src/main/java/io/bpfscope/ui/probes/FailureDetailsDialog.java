package io.bpfscope.ui.probes;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextArea;
import javafx.stage.Window;

/** Why a probe failed, with libbpf's or the verifier's log underneath. */
final class FailureDetailsDialog {
    private FailureDetailsDialog() {
    }

    static void show(ProbeRow row, Window owner) {
        Throwable failure = row.failureProperty().get();
        if (failure == null) {
            return;
        }
        Alert alert = new Alert(Alert.AlertType.ERROR, "", ButtonType.CLOSE);
        alert.initOwner(owner);
        alert.setTitle("bpfscope — " + row.probe().name() + " failed");
        alert.setHeaderText(ProbePanelViewModel.withProbeName(row, failure));
        String details = row.failureDetails();
        TextArea log = new TextArea(details);
        log.setEditable(false);
        log.setWrapText(false);
        log.getStyleClass().add("monospace");
        log.setPrefSize(760, 380);
        alert.getDialogPane().setContent(log);
        alert.setResizable(true);
        alert.show();
    }
}
