package io.bpfscope.ui.timeline;

import io.bpfscope.ui.common.ProbeColors;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.text.SimpleDateFormat;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
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
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;

/**
 * Draws the timeline with JFreeChart into an image, on a background thread:
 * a chart redraw costs 5–30 ms, too much for the FX thread while events
 * pour in. Each drawing builds its chart from an immutable {@link Snapshot},
 * so nothing is shared with the FX thread. No JavaFX here.
 */
final class TimelineChart {
    private static final Font TICKS = new Font("SansSerif", Font.PLAIN, 10);
    private static final Color LOST = new Color(0xd0, 0x1c, 0x1c);

    private TimelineChart() {
    }

    /** What to draw: the rates per probe and slice, the losses, the shaded span, the time range shown. */
    record Snapshot(List<String> probes, double[] sliceStarts, double[][] rates, double sliceWidthMillis,
                    List<LostMark> lost, double shadeFrom, double shadeTo, double lower, double upper,
                    boolean dark, int width, int height) {
        /** True when no time range was asked for: the axis fits the data. */
        boolean autoRange() {
            return Double.isNaN(lower);
        }
    }

    /** A drawn chart: the picture, where its data area is, and the time range its axis shows (epoch ms). */
    record Picture(BufferedImage image, Rectangle2D dataArea, double lower, double upper) {
        /** The time (epoch ms) under pixel column {@code x}. */
        double timeAt(double x) {
            double fraction = (x - dataArea.getMinX()) / Math.max(1, dataArea.getWidth());
            return lower + fraction * (upper - lower);
        }

        double xOf(double millis) {
            return dataArea.getMinX() + (millis - lower) / Math.max(1e-9, upper - lower) * dataArea.getWidth();
        }
    }

    static Picture draw(Snapshot snapshot) {
        DateAxis time = new DateAxis();
        time.setDateFormatOverride(new SimpleDateFormat("HH:mm:ss.SSS"));
        time.setTickLabelFont(TICKS);
        time.setLowerMargin(0.01);
        time.setUpperMargin(0.01);
        if (!snapshot.autoRange()) {
            time.setRange(snapshot.lower(), snapshot.upper());
        }
        NumberAxis rate = new NumberAxis("events/s");
        rate.setTickLabelFont(TICKS);
        rate.setLabelFont(TICKS);
        rate.setAutoRangeIncludesZero(true);
        rate.setStandardTickUnits(NumberAxis.createIntegerTickUnits());

        StackedXYBarRenderer renderer = new StackedXYBarRenderer(0.08);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);

        DefaultTableXYDataset dataset = new DefaultTableXYDataset();
        dataset.setIntervalPositionFactor(0);
        dataset.setIntervalWidth(Math.max(snapshot.sliceWidthMillis(), 1e-3));
        for (int p = 0; p < snapshot.probes().size(); p++) {
            String probe = snapshot.probes().get(p);
            XYSeries series = new XYSeries(probe, true, false);
            for (int i = 0; i < snapshot.sliceStarts().length; i++) {
                series.add(snapshot.sliceStarts()[i], snapshot.rates()[p][i], false);
            }
            dataset.addSeries(series);
            renderer.setSeriesPaint(p, ProbeColors.awt(probe));
        }

        XYPlot plot = new XYPlot(dataset, time, rate, renderer);
        plot.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
        addMarkers(plot, snapshot);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setItemFont(TICKS);
        legend.setFrame(new BlockBorder(0, 0, 0, 0));
        chart.setPadding(new RectangleInsets(2, 2, 2, 6));
        theme(chart, plot, time, rate, snapshot.dark());

        BufferedImage image = new BufferedImage(Math.max(1, snapshot.width()), Math.max(1, snapshot.height()),
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            ChartRenderingInfo info = new ChartRenderingInfo(null); // no entities: no tooltips to make per bar
            chart.draw(g, new Rectangle2D.Double(0, 0, image.getWidth(), image.getHeight()), info);
            return new Picture(image, info.getPlotInfo().getDataArea(), time.getLowerBound(), time.getUpperBound());
        } finally {
            g.dispose();
        }
    }

    private static void addMarkers(XYPlot plot, Snapshot snapshot) {
        int slices = snapshot.sliceStarts().length;
        double end = slices == 0 ? 0 : snapshot.sliceStarts()[slices - 1] + snapshot.sliceWidthMillis();
        for (LostMark mark : snapshot.lost()) {
            double at = mark.exactTime() ? mark.epochNanos() / 1e6 : end;
            ValueMarker marker = new ValueMarker(at, LOST, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 4f, new float[] {4f, 3f}, 0f));
            marker.setLabel(mark.exactTime() ? String.format("%,d lost", mark.lost())
                    : String.format("%,d lost in all", mark.total()));
            marker.setLabelFont(TICKS);
            marker.setLabelPaint(LOST);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(marker, Layer.FOREGROUND);
        }
        if (!Double.isNaN(snapshot.shadeFrom())) {
            plot.addDomainMarker(1, new IntervalMarker(snapshot.shadeFrom(), snapshot.shadeTo(),
                    new Color(30, 110, 220, 40)), Layer.BACKGROUND);
        }
    }

    private static void theme(JFreeChart chart, XYPlot plot, DateAxis time, NumberAxis rate, boolean night) {
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
