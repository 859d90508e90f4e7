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

    /** For probes on a chosen target (tracepoint:…, uprobe:…): muted hues apart from the fixed probes', by name. */
    private static final String[] OTHERS = {"#757575", "#5d4037", "#455a64", "#9e9d24", "#ad1457", "#283593",
            "#00695c", "#4e342e"};

    private ProbeColors() {
    }

    /** {@code #rrggbb}; the same name always gets the same colour. */
    public static String web(String probe) {
        String fixed = COLORS.get(probe);
        return fixed != null ? fixed : OTHERS[Math.floorMod(probe.hashCode(), OTHERS.length)];
    }

    public static java.awt.Color awt(String probe) {
        return java.awt.Color.decode(web(probe));
    }
}
