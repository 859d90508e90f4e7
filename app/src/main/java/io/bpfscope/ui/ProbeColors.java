package io.bpfscope.ui;

import java.util.Map;

/** Each probe's colour in the timeline and statistics (the table's row tints in the CSS use the same hues). */
public final class ProbeColors {
    private static final Map<String, String> COLORS = Map.of(
            "exec", "#2e7d32",
            "exit", "#6d4c41",
            "open", "#8e24aa",
            "tcp", "#1565c0",
            "tls", "#c62828",
            "unix", "#ef6c00",
            "dns", "#00838f");

    private ProbeColors() {
    }

    /** {@code #rrggbb}. */
    public static String web(String probe) {
        return COLORS.getOrDefault(probe, "#757575");
    }

    public static java.awt.Color awt(String probe) {
        return java.awt.Color.decode(web(probe));
    }
}
