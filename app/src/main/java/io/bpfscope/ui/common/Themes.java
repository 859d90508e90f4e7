package io.bpfscope.ui.common;

import javafx.scene.Scene;
import javafx.stage.Window;

/**
 * The light theme (bpfscope.css) and the dark one laid over it (bpfscope-dark.css), each with the
 * probes' row tints ({@link ProbeColors}).
 */
public final class Themes {
    private static final String LIGHT = Themes.class.getResource("/io/bpfscope/ui/bpfscope.css").toExternalForm();
    private static final String DARK = Themes.class.getResource("/io/bpfscope/ui/bpfscope-dark.css").toExternalForm();
    // The probes' row tints, from their declarations: before the theme (its :selected rule wins), the dark ones last.
    private static final String LIGHT_ROWS = ProbeColors.lightRows();
    private static final String DARK_ROWS = ProbeColors.darkRows();

    private Themes() {
    }

    public static void apply(Scene scene, boolean dark) {
        if (dark) {
            scene.getStylesheets().setAll(LIGHT_ROWS, LIGHT, DARK, DARK_ROWS);
        } else {
            scene.getStylesheets().setAll(LIGHT_ROWS, LIGHT);
        }
    }

    /** Every open window of the app. */
    public static void applyEverywhere(boolean dark) {
        for (Window window : Window.getWindows()) {
            if (window.getScene() != null) {
                apply(window.getScene(), dark);
            }
        }
    }
}
