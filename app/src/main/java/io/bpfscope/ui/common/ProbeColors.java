package io.bpfscope.ui.common;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeDeclaration.ProbeColor;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

/**
 * Each probe's colour, as its declaration gives it: the hue in the timeline and
 * Statistics, and the tint of its rows in the event table (a style sheet made
 * from the declarations, one per theme). Thread-safe.
 */
public final class ProbeColors {
    /** For probes on a chosen target (tracepoint:…, uprobe:…): muted hues apart from the fixed probes', by name. */
    private static final String[] OTHERS = {"#757575", "#5d4037", "#455a64", "#9e9d24", "#ad1457", "#283593",
            "#00695c", "#4e342e"};

    /** The row class of probes that declare no colour. */
    static final String OTHER_ROW = "probe-other";

    private ProbeColors() {
    }

    /** {@code #rrggbb}; the same name always gets the same colour. */
    public static String web(String probe) {
        ProbeColor color = ProbeCatalog.declaration(probe).color();
        return color != null ? color.hue() : OTHERS[Math.floorMod(probe.hashCode(), OTHERS.length)];
    }

    public static java.awt.Color awt(String probe) {
        return java.awt.Color.decode(web(probe));
    }

    /** The style class that tints a row of this probe's events: {@code probe-exec}, or {@link #OTHER_ROW}. */
    public static String rowClass(String probe) {
        return ProbeCatalog.declaration(probe).color() != null ? "probe-" + probe : OTHER_ROW;
    }

    /** The light theme's row tints, as a style sheet URL. */
    static String lightRows() {
        return rowSheet(ProbeColor::lightRow);
    }

    /** The dark theme's row tints, laid over the light ones. */
    static String darkRows() {
        return rowSheet(ProbeColor::darkRow);
    }

    /** {@code #event-table .table-row-cell.probe-exec { -fx-background: #eef7ee; }} per probe with a colour. */
    static String rowRules(Function<ProbeColor, String> tint) {
        StringBuilder css = new StringBuilder("/* made from the probes' declarations: ProbeColors */\n");
        for (Probe probe : ProbeCatalog.all()) {
            ProbeColor color = probe.declaration().color();
            if (color != null) {
                css.append("#event-table .table-row-cell.").append(rowClass(probe.name()))
                        .append(" { -fx-background: ").append(tint.apply(color)).append("; }\n");
            }
        }
        return css.toString();
    }

    private static String rowSheet(Function<ProbeColor, String> tint) {
        return "data:text/css;base64," + Base64.getEncoder().encodeToString(
                rowRules(tint).getBytes(StandardCharsets.UTF_8));
    }
}
