package io.bpfscope.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds why a window cannot open, before JavaFX fails with a stack trace:
 * no DISPLAY, an X authority root cannot read under sudo, or Wayland only.
 */
final class DisplayCheck {
    private DisplayCheck() {
    }

    static String problem() {
        if (Boolean.getBoolean("testfx.headless") || "Monocle".equals(System.getProperty("glass.platform"))) {
            return null;
        }
        String display = System.getenv("DISPLAY");
        if (display == null || display.isEmpty()) {
            if (System.getenv("WAYLAND_DISPLAY") != null) {
                return "this Wayland session has no X display for JavaFX; start XWayland, or under sudo run: "
                        + "xhost +si:localuser:root && sudo --preserve-env=DISPLAY,XAUTHORITY ./bpfscope";
            }
            return "no DISPLAY: run it in a desktop session, or under sudo keep it: sudo --preserve-env=DISPLAY,XAUTHORITY ./bpfscope"
                    + " (headless: bpfscope record / export)";
        }
        String xauthority = System.getenv("XAUTHORITY");
        if (xauthority != null && !xauthority.isEmpty() && !Files.isReadable(Path.of(xauthority))) {
            return "cannot read the X authority " + xauthority + ": run xhost +si:localuser:root first, "
                    + "or start bpfscope with sudo --preserve-env=DISPLAY,XAUTHORITY";
        }
        return null;
    }
}
