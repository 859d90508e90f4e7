package io.bpfscope.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds why a window cannot open, before JavaFX fails with a stack trace:
 * no DISPLAY, an X authority this user cannot read, or Wayland only. (Under
 * sudo the window runs as the user who ran sudo, with their display: see PrivilegeSplit.)
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
                return "this Wayland session has no X display for JavaFX: enable XWayland (headless: bpfscope record / export)";
            }
            return "no DISPLAY: run it in a desktop session (headless: bpfscope record / export)";
        }
        String xauthority = System.getenv("XAUTHORITY");
        if (xauthority != null && !xauthority.isEmpty() && !Files.isReadable(Path.of(xauthority))) {
            return "cannot read the X authority " + xauthority + ": start bpfscope as the user who owns the display "
                    + "(sudo ./bpfscope runs the window as you)";
        }
        return null;
    }
}
