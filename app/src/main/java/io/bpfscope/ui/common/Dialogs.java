package io.bpfscope.ui.common;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Dialog;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.stage.Stage;

/**
 * What every dialog and secondary window of the app does alike: messages
 * wrap whole instead of being cut with "…", and Escape, Ctrl+W or a Close
 * button close a secondary window. Stateless.
 */
public final class Dialogs {
    private static final double MESSAGE_WIDTH = 520;

    private Dialogs() {
    }

    /** Lets a dialog grow to its whole message: it wraps at a readable width and is never cut short. */
    public static void wrap(Dialog<?> dialog) {
        dialog.getDialogPane().setMinHeight(Region.USE_PREF_SIZE);
        dialog.getDialogPane().setPrefWidth(MESSAGE_WIDTH);
        dialog.setResizable(true);
    }

    /** Escape and Ctrl+W close {@code stage} (a window of its own: Follow, Statistics, functop…). */
    public static void closeOnEscape(Stage stage, Scene scene) {
        KeyCombination closeKey = new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN);
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE || closeKey.match(e)) {
                stage.close();
                e.consume();
            }
        });
    }

    /** A Close button for a secondary window, with the id {@code idPrefix-close}. */
    public static Button closeButton(Stage stage, String idPrefix) {
        Button close = new Button("Close");
        close.setId(idPrefix + "-close");
        close.setCancelButton(true);
        close.setOnAction(e -> stage.close());
        return close;
    }
}
