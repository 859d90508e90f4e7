package io.bpfscope.ui;

import javafx.scene.Scene;
import javafx.stage.Window;

/** The light theme (bpfscope.css) and the dark one laid over it (bpfscope-dark.css). */
public final class Themes {
    private static final String LIGHT = Themes.class.getResource("bpfscope.css").toExternalForm();
    private static final String DARK = Themes.class.getResource("bpfscope-dark.css").toExternalForm();

    private Themes() {
    }

    public static void apply(Scene scene, boolean dark) {
        if (dark) {
            scene.getStylesheets().setAll(LIGHT, DARK);
        } else {
            scene.getStylesheets().setAll(LIGHT);
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
