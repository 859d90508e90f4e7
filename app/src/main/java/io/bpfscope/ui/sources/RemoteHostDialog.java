package io.bpfscope.ui.sources;

import io.bpfscope.capture.live.RemoteCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * File → Add remote host…: {@code USER@HOST[:PORT]}, the probes to record there (the ticked ones),
 * the bpfscope launcher there and ssh options. The command is built by {@link RemoteCommand}, which
 * checks every word; a mistake shows under the fields and keeps the dialog open.
 */
public final class RemoteHostDialog {
    private RemoteHostDialog() {
    }

    /** Asks; empty when cancelled. */
    public static Optional<RemoteCommand> ask(Window owner, List<String> tickedProbes, SourcesViewModel.RemoteDefaults defaults) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Add remote host");
        dialog.setHeaderText("Record on another host over ssh (as you, with your keys) and show its events here.\n"
                + "It runs: sudo -n bpfscope record -p PROBE… -o -  (no sudo when the user is root)");
        TextField target = field("target", "user@host or user@host:2222", "");
        TextField probes = field("probes", "exec tls open", String.join(" ", tickedProbes.isEmpty()
                ? defaults.probes() : tickedProbes));
        TextField program = field("remote-bpfscope", "bpfscope", defaults.remoteBpfscope());
        TextField options = field("ssh-options", "IdentityFile=/home/me/.ssh/lab Port=2222",
                String.join(" ", defaults.sshOptions()));
        Label problem = new Label();
        problem.setId("remote-problem");
        problem.setStyle("-fx-text-fill: #c62828;");
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        grid.addRow(0, new Label("ssh"), target);
        grid.addRow(1, new Label("Probes"), probes);
        grid.addRow(2, new Label("bpfscope there"), program);
        grid.addRow(3, new Label("ssh options"), options);
        grid.add(problem, 0, 4, 2, 1);
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        RemoteCommand[] built = new RemoteCommand[1];
        dialog.getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            try {
                built[0] = RemoteCommand.parse(target.getText().strip(), words(probes.getText()), words(options.getText()),
                        program.getText().strip());
            } catch (IllegalArgumentException mistake) {
                problem.setText(mistake.getMessage());
                e.consume();
            }
        });
        javafx.application.Platform.runLater(target::requestFocus);
        return dialog.showAndWait().filter(ButtonType.OK::equals).map(b -> built[0]);
    }

    private static TextField field(String id, String prompt, String text) {
        TextField field = new TextField(text);
        field.setId("remote-" + id.replace("remote-", ""));
        field.setPromptText(prompt);
        field.setPrefColumnCount(32);
        return field;
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
    }
}
