package io.bpfscope.ui.common;

import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.shape.Circle;
import javafx.scene.shape.FillRule;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.SVGPath;

/**
 * The toolbar and menu icons: simple 16×16 shapes drawn by JavaFX and
 * coloured by the theme's CSS ({@code .icon}). The same paths are in
 * {@code assets/icons/*.svg}. Each call makes a new node.
 */
public final class Icons {
    public static final String OPEN = "M1 3h5l1.5 1.5H15v9H1z M2.5 7v5h11V7z";
    public static final String SAVE = "M2 2h10l2 2v10H2z M4 3v3h6V3z M4 9v4h8V9z";
    public static final String EXPORT = "M2 6h3v1.5H3.5v5h9v-5H11V6h3v8H2z M8 1l3.5 3.5H9V10H7V4.5H4.5z";
    public static final String FILTER = "M1 2h14l-5.5 6.5V14l-3-1.5V8.5z";
    public static final String CLOCK = "M8 1a7 7 0 1 0 .001 0z M8 2.6a5.4 5.4 0 1 1-.001 0z M7.2 4h1.6v3.6l2.4 1.5-.8 1.3-3.2-2z";
    public static final String ATTACH = "M4 2l10 6-10 6z";
    public static final String DETACH = "M3 3h10v10H3z";
    public static final String FOLLOW = "M1 4h9V1.5L14 5l-4 3.5V6H1z M15 10H6V7.5L2 11l4 3.5V12h9z";
    public static final String STATISTICS = "M1 14h14v1.2H1z M2 8h3v5H2z M6.5 4h3v9h-3z M11 6h3v7h-3z";
    public static final String AUTOSCROLL = "M7 1h2v7.5h3l-4 4.5-4-4.5h3z M2 14h12v1.5H2z";
    public static final String THEME = "M10 1.5a6.5 6.5 0 1 0 4.5 10A5.5 5.5 0 0 1 10 1.5z";
    public static final String FIND = "M6.5 1a5.5 5.5 0 1 0 3.2 10l3.6 3.6 1.4-1.4-3.6-3.6A5.5 5.5 0 0 0 6.5 1z M6.5 2.8a3.7 3.7 0 1 1-.001 0z";

    private Icons() {
    }

    public static Node open() {
        return icon(OPEN);
    }

    public static Node save() {
        return icon(SAVE);
    }

    public static Node export() {
        return icon(EXPORT);
    }

    public static Node filter() {
        return icon(FILTER);
    }

    public static Node clock() {
        return icon(CLOCK);
    }

    public static Node attach() {
        return icon(ATTACH);
    }

    public static Node detach() {
        return icon(DETACH);
    }

    public static Node follow() {
        return icon(FOLLOW);
    }

    public static Node statistics() {
        return icon(STATISTICS);
    }

    public static Node autoscroll() {
        return icon(AUTOSCROLL);
    }

    public static Node theme() {
        return icon(THEME);
    }

    public static Node find() {
        return icon(FIND);
    }

    /** The logo: a scope's round screen with a trace across it. */
    public static Node logo(double size) {
        double s = size / 16;
        Circle screen = new Circle(8 * s, 8 * s, 7 * s);
        screen.getStyleClass().add("logo-screen");
        Polyline trace = new Polyline(2 * s, 9 * s, 4.5 * s, 9 * s, 6 * s, 4 * s, 8 * s, 12.5 * s, 10 * s, 6 * s,
                11.5 * s, 9 * s, 14 * s, 9 * s);
        trace.getStyleClass().add("logo-trace");
        trace.setStrokeWidth(Math.max(1, 1.4 * s));
        Group logo = new Group(screen, trace);
        logo.getStyleClass().add("logo");
        return logo;
    }

    private static Node icon(String path) {
        SVGPath shape = new SVGPath();
        shape.setContent(path);
        shape.setFillRule(FillRule.EVEN_ODD);
        shape.getStyleClass().add("icon");
        return shape;
    }
}
