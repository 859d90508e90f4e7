package io.bpfscope.ui.timeline;

import io.bpfscope.ui.ProbeColors;
import io.bpfscope.ui.filter.TimeRange;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.SimpleDateFormat;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.PanHandlerFX;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.DefaultTableXYDataset;

/**
 * The timeline chart (jfreechart-fx): events per second as bars stacked by
 * probe, red marks where events were lost, the restricted span shaded. Drag
 * restricts the table to a span; click jumps to the nearest event; the wheel
 * zooms time; shift-drag or alt-drag pans.
 */
public final class TimelineView {
    private static final long REDRAW_NANOS = 400_000_000L; // a chart redraw costs; live data needs no more
    private static final Font TICKS = new Font("SansSerif", Font.PLAIN, 10);

    private final TimelineViewModel viewModel;
    private final ObjectProperty<TimeRange> timeRange;
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final DefaultTableXYDataset dataset = new DefaultTableXYDataset();
    private final StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.08);
    private final DateAxis time = new DateAxis();
    private final NumberAxis rate = new NumberAxis("events/s");
    private static final java.time.format.DateTimeFormatter TOOLTIP_TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(java.time.ZoneId.systemDefault());
    private final XYPlot plot;
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final BorderPane root = new BorderPane();
    private long drawnVersion = -1;
    private long lastDraw;

    public TimelineView(TimelineViewModel viewModel, ObjectProperty<TimeRange> timeRange) {
        this.viewModel = viewModel;
        this.timeRange = timeRange;
        time.setDateFormatOverride(new SimpleDateFormat("HH:mm:ss.SSS"));
        time.setTickLabelFont(TICKS);
        time.setLowerMargin(0.01);
        time.setUpperMargin(0.01);
        rate.setTickLabelFont(TICKS);
        rate.setLabelFont(TICKS);
        rate.setAutoRangeIncludesZero(true);
        rate.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // Called for every bar at every redraw (JFreeChart makes tooltips as it draws): keep it cheap.
        renderer.setDefaultToolTipGenerator((data, series, item) -> data.getSeriesKey(series) + ": "
                + Math.round(data.getYValue(series, item)) + " events/s at "
                + TOOLTIP_TIME.format(java.time.Instant.ofEpochMilli((long) data.getXValue(series, item))));
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        dataset.setIntervalPositionFactor(0);
        plot = new XYPlot(dataset, time, rate, renderer);
        plot.setDomainPannable(true);
        plot.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
        chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setItemFont(TICKS);
        legend.setFrame(new org.jfree.chart.block.BlockBorder(0, 0, 0, 0));
        chart.setPadding(new RectangleInsets(2, 2, 2, 6));
        viewer = new ChartViewer(chart, false);
        viewer.setId("timeline-chart");
        ChartCanvas canvas = viewer.getCanvas();
        canvas.removeMouseHandler(canvas.getMouseHandler("zoom"));
        canvas.addMouseHandler(new RangeSelectHandler(viewer, viewModel::selectRange, viewModel::jumpTo));
        canvas.addMouseHandler(new PanHandlerFX("pan-shift", false, false, false, true));
        canvas.setRangeZoomable(false);
        viewer.setZoomFillPaint(javafx.scene.paint.Color.rgb(30, 110, 220, 0.22));
        viewer.setMinHeight(80);
        viewer.setPrefHeight(150);

        timeRange.addListener((obs, old, range) -> showRange(range));
        dark.addListener((obs, old, now) -> applyTheme());
        applyTheme();

        Label title = new Label("Events per second");
        title.getStyleClass().add("pane-caption");
        Label hint = new Label("drag: show a span · click: go to event · wheel: zoom · shift-drag: pan");
        hint.getStyleClass().add("hint");
        Button reset = new Button("Reset zoom");
        reset.setId("timeline-reset");
        reset.setTooltip(new Tooltip("Show the whole capture on the timeline"));
        reset.setOnAction(e -> time.setAutoRange(true));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(8, title, hint, grow, reset);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(2, 6, 0, 6));
        header.getStyleClass().add("pane-toolbar");
        root.setTop(header);
        root.setCenter(viewer);
        root.getStyleClass().add("timeline");
    }

    public Node root() {
        return root;
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public XYPlot plot() {
        return plot;
    }

    /** Each pulse: redraws when the data changed, at most a few times a second. */
    public void refresh() {
        long version = viewModel.versionProperty().get();
        long now = System.nanoTime();
        if (version == drawnVersion || now - lastDraw < REDRAW_NANOS) {
            return;
        }
        drawnVersion = version;
        lastDraw = now;
        chart.setNotify(false);
        try {
            rebuild();
        } finally {
            chart.setNotify(true);
        }
    }

    private void rebuild() {
        dataset.removeAllSeries();
        List<String> probes = viewModel.probes();
        int slices = viewModel.slices();
        double width = viewModel.sliceWidthMillis();
        dataset.setIntervalWidth(Math.max(width, 1e-3));
        for (int p = 0; p < probes.size(); p++) {
            String probe = probes.get(p);
            XYSeries series = new XYSeries(probe, true, false);
            for (int i = 0; i < slices; i++) {
                series.add(viewModel.sliceStartMillis(i), viewModel.rate(probe, i), false);
            }
            dataset.addSeries(series);
            renderer.setSeriesPaint(p, ProbeColors.awt(probe));
        }
        plot.clearDomainMarkers();
        double end = slices == 0 ? 0 : viewModel.sliceStartMillis(slices - 1) + width;
        for (LostMark mark : viewModel.lost()) {
            double at = mark.exactTime() ? mark.epochNanos() / 1e6 : end;
            ValueMarker marker = new ValueMarker(at, new Color(0xd0, 0x1c, 0x1c), new BasicStroke(1.5f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 4f, new float[] {4f, 3f}, 0f));
            marker.setLabel(mark.exactTime() ? String.format("%,d lost", mark.lost())
                    : String.format("%,d lost in all", mark.total()));
            marker.setLabelFont(TICKS);
            marker.setLabelPaint(new Color(0xd0, 0x1c, 0x1c));
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(marker, Layer.FOREGROUND);
        }
        showRangeMarker(timeRange.get());
    }

    private void showRange(TimeRange range) {
        showRangeMarker(range);
        if (range == null) {
            time.setAutoRange(true);
        } else {
            double from = range.from().toEpochMilli();
            double to = range.to().toEpochMilli();
            double pad = Math.max(1, (to - from) * 0.15);
            time.setRange(from - pad, to + pad);
        }
    }

    private void showRangeMarker(TimeRange range) {
        plot.clearDomainMarkers(1);
        if (range != null) {
            IntervalMarker shade = new IntervalMarker(range.from().toEpochMilli(), range.to().toEpochMilli(),
                    new Color(30, 110, 220, 40));
            plot.addDomainMarker(1, shade, Layer.BACKGROUND);
        }
    }

    private void applyTheme() {
        boolean night = dark.get();
        Color background = night ? new Color(0x25, 0x26, 0x2a) : Color.WHITE;
        Color grid = night ? new Color(0x44, 0x46, 0x4c) : new Color(0xe2, 0xe4, 0xe8);
        Color text = night ? new Color(0xc8, 0xcc, 0xd2) : new Color(0x44, 0x44, 0x44);
        chart.setBackgroundPaint(background);
        plot.setBackgroundPaint(background);
        plot.setDomainGridlinePaint(grid);
        plot.setRangeGridlinePaint(grid);
        plot.setOutlinePaint(grid);
        chart.getLegend().setBackgroundPaint(background);
        chart.getLegend().setItemPaint(text);
        for (var axis : List.of(time, rate)) {
            axis.setTickLabelPaint(text);
            axis.setLabelPaint(text);
            axis.setAxisLinePaint(grid);
            axis.setTickMarkPaint(grid);
        }
    }
}
