package io.bpfscope.ui.timeline;

import io.bpfscope.ui.filter.TimeRange;
import io.bpfscope.ui.common.Tips;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

/**
 * The timeline: events per second as bars stacked by probe, red marks where
 * events were lost, the restricted span shaded. Drag restricts the table to
 * a span; a click goes to the nearest event; the wheel zooms time;
 * shift-drag pans. The chart (JFreeChart) is drawn into an image on a
 * background thread ({@link TimelineChart}); the FX thread only shows the
 * picture and maps the mouse onto its time axis. FX thread only.
 */
public final class TimelineView {
    private static final long REDRAW_NANOS = 400_000_000L; // live data needs no more
    private static final double CLICK_SLOP = 4;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final TimelineViewModel viewModel;
    private final ReadOnlyObjectProperty<TimeRange> timeRange;
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final ImageView picture = new ImageView();
    private final Rectangle dragged = new Rectangle();
    private final Pane chartPane = new Pane(picture, dragged);
    private final Tooltip tip = new Tooltip();
    private final BorderPane root = new BorderPane();
    private final ExecutorService drawer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "bpfscope-timeline");
        thread.setDaemon(true);
        return thread;
    });

    private TimelineChart.Snapshot shownData; // what the picture shows, for tooltips
    private TimelineChart.Picture shown;
    private double lower = Double.NaN; // the time range asked for (epoch ms); NaN: fit the data
    private double upper = Double.NaN;
    private boolean drawing;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(); // drawing, seen from outside
    private boolean drawAgain;
    private long drawnVersion = -1;
    private long lastDraw;
    private double dragStart = Double.NaN;
    private boolean panning;
    private double panFrom;

    public TimelineView(TimelineViewModel viewModel, ReadOnlyObjectProperty<TimeRange> timeRange) {
        this.viewModel = viewModel;
        this.timeRange = timeRange;
        chartPane.setId("timeline-chart");
        chartPane.setMinHeight(80);
        chartPane.setPrefHeight(150);
        chartPane.setMinWidth(100);
        picture.setManaged(false);
        dragged.setManaged(false);
        dragged.setVisible(false);
        dragged.setFill(Color.rgb(30, 110, 220, 0.22));
        chartPane.widthProperty().addListener((obs, old, now) -> draw());
        chartPane.heightProperty().addListener((obs, old, now) -> draw());
        chartPane.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        chartPane.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        chartPane.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        chartPane.addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        chartPane.addEventHandler(ScrollEvent.SCROLL, this::scrolled);

        timeRange.addListener((obs, old, range) -> showRange(range));
        dark.addListener((obs, old, now) -> draw());

        Label title = new Label("Events per second");
        title.getStyleClass().add("pane-caption");
        Label hint = new Label("drag: show a span · click: go to event · wheel: zoom · shift-drag: pan");
        hint.getStyleClass().add("hint");
        Button reset = new Button("Reset zoom");
        reset.setId("timeline-reset");
        Tips.lazy(reset, "Show the whole capture on the timeline");
        reset.setOnAction(e -> setRange(Double.NaN, Double.NaN));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(8, title, hint, grow, reset);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(2, 6, 0, 6));
        header.getStyleClass().add("pane-toolbar");
        root.setTop(header);
        root.setCenter(chartPane);
        root.getStyleClass().add("timeline");
    }

    public Node root() {
        return root;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    /**
     * True from the moment a new picture is asked for until the newest one is
     * shown: what a test waits on after a zoom. Read on the FX thread.
     */
    public ReadOnlyBooleanProperty drawingProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Each pulse: asks for a new picture when the data changed, at most a few times a second. */
    public void refresh() {
        long version = viewModel.versionProperty().get();
        long now = System.nanoTime();
        if (version == drawnVersion || now - lastDraw < REDRAW_NANOS) {
            return;
        }
        drawnVersion = version;
        lastDraw = now;
        draw();
    }

    // ---- drawing, off the FX thread

    /** Draws a new picture in the background; one at a time, the newest state wins. */
    private void draw() {
        if (drawing) {
            drawAgain = true;
            return;
        }
        int width = (int) chartPane.getWidth();
        int height = (int) chartPane.getHeight();
        if (width < 10 || height < 10) {
            return;
        }
        TimelineChart.Snapshot snapshot = snapshot(width, height);
        drawing = true;
        busy.set(true);
        drawer.execute(() -> {
            TimelineChart.Picture drawn;
            try {
                drawn = TimelineChart.draw(snapshot);
            } catch (RuntimeException e) {
                drawn = null; // a chart that cannot be drawn leaves the last picture; the next draw tries again
            }
            TimelineChart.Picture result = drawn;
            Platform.runLater(() -> show(snapshot, result));
        });
    }

    private void show(TimelineChart.Snapshot snapshot, TimelineChart.Picture drawn) {
        drawing = false;
        if (drawn != null) {
            picture.setImage(SwingFXUtils.toFXImage(drawn.image(), null));
            shown = drawn;
            shownData = snapshot;
        }
        if (drawAgain) {
            drawAgain = false;
            draw();
        }
        busy.set(drawing);
    }

    private TimelineChart.Snapshot snapshot(int width, int height) {
        List<String> probes = viewModel.probes();
        int slices = viewModel.slices();
        double[] starts = new double[slices];
        double[][] rates = new double[probes.size()][slices];
        for (int i = 0; i < slices; i++) {
            starts[i] = viewModel.sliceStartMillis(i);
        }
        for (int p = 0; p < probes.size(); p++) {
            for (int i = 0; i < slices; i++) {
                rates[p][i] = viewModel.rate(probes.get(p), i);
            }
        }
        TimeRange shade = timeRange.get();
        return new TimelineChart.Snapshot(probes, starts, rates, viewModel.sliceWidthMillis(),
                List.copyOf(viewModel.lost()),
                shade == null ? Double.NaN : shade.from().toEpochMilli(),
                shade == null ? Double.NaN : shade.to().toEpochMilli(),
                lower, upper, dark.get(), width, height);
    }

    // ---- the time range shown

    /** The table was restricted to a span (or freed): shade it, and show it with some room around. */
    private void showRange(TimeRange range) {
        if (range == null) {
            setRange(Double.NaN, Double.NaN);
            return;
        }
        double from = range.from().toEpochMilli();
        double to = range.to().toEpochMilli();
        double pad = Math.max(1, (to - from) * 0.15);
        setRange(from - pad, to + pad);
    }

    private void setRange(double from, double to) {
        lower = from;
        upper = to;
        draw();
    }

    // ---- the mouse

    private boolean inData(MouseEvent e) {
        return shown != null && shown.dataArea().contains(e.getX(), e.getY());
    }

    private void pressed(MouseEvent e) {
        if (!inData(e)) {
            dragStart = Double.NaN;
            return;
        }
        dragStart = e.getX();
        panning = e.isShiftDown() || e.isAltDown();
        panFrom = e.getX();
    }

    private void dragged(MouseEvent e) {
        if (Double.isNaN(dragStart) || shown == null) {
            return;
        }
        if (panning) {
            double perPixel = (shown.upper() - shown.lower()) / Math.max(1, shown.dataArea().getWidth());
            double shift = (panFrom - e.getX()) * perPixel;
            panFrom = e.getX();
            setRange(rangeLower() + shift, rangeUpper() + shift);
            return;
        }
        double x = clamp(e.getX());
        dragged.setX(Math.min(dragStart, x));
        dragged.setY(shown.dataArea().getMinY());
        dragged.setWidth(Math.abs(x - dragStart));
        dragged.setHeight(shown.dataArea().getHeight());
        dragged.setVisible(true);
    }

    private void released(MouseEvent e) {
        dragged.setVisible(false);
        if (Double.isNaN(dragStart) || shown == null || panning) {
            dragStart = Double.NaN;
            return;
        }
        double x = clamp(e.getX());
        double from = shown.timeAt(dragStart);
        if (Math.abs(x - dragStart) < CLICK_SLOP) {
            viewModel.jumpTo(from);
        } else {
            double to = shown.timeAt(x);
            viewModel.selectRange(Math.min(from, to), Math.max(from, to));
        }
        dragStart = Double.NaN;
    }

    /** The wheel zooms time around the pointer. */
    private void scrolled(ScrollEvent e) {
        if (shown == null || e.getDeltaY() == 0) {
            return;
        }
        double at = shown.timeAt(clamp(e.getX()));
        double factor = e.getDeltaY() > 0 ? 0.8 : 1.25;
        setRange(at - (at - rangeLower()) * factor, at + (rangeUpper() - at) * factor);
        e.consume();
    }

    /** The tooltip: what each probe did in the slice under the pointer. */
    private void moved(MouseEvent e) {
        TimelineChart.Snapshot data = shownData;
        if (!inData(e) || data == null || data.sliceStarts().length == 0) {
            Tooltip.uninstall(chartPane, tip); // no empty bubble outside the bars
            return;
        }
        Tooltip.install(chartPane, tip);
        double at = shown.timeAt(e.getX());
        int slice = (int) Math.floor((at - data.sliceStarts()[0]) / Math.max(1e-9, data.sliceWidthMillis()));
        if (slice < 0 || slice >= data.sliceStarts().length) {
            tip.setText(TIME.format(Instant.ofEpochMilli((long) at)));
            return;
        }
        StringBuilder text = new StringBuilder(TIME.format(Instant.ofEpochMilli((long) data.sliceStarts()[slice])));
        for (int p = 0; p < data.probes().size(); p++) {
            if (data.rates()[p][slice] > 0) {
                text.append(String.format("%n%s: %,.0f events/s", data.probes().get(p), data.rates()[p][slice]));
            }
        }
        tip.setText(text.toString());
    }

    private double rangeLower() {
        return Double.isNaN(lower) ? shown.lower() : lower;
    }

    private double rangeUpper() {
        return Double.isNaN(upper) ? shown.upper() : upper;
    }

    private double clamp(double x) {
        return Math.max(shown.dataArea().getMinX(), Math.min(shown.dataArea().getMaxX(), x));
    }
}
