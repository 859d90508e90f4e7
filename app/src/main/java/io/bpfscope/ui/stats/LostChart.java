package io.bpfscope.ui.stats;

import io.bpfscope.ui.timeline.LostMark;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.text.SimpleDateFormat;
import java.util.List;
import javafx.scene.Node;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The Statistics window's "lost so far" over time, a step chart (jfreechart-fx).
 * Drawn when the window refreshes, not while events pour in, so it draws on
 * the FX thread. FX thread only.
 */
final class LostChart {
    private static final Font TICKS = new Font("SansSerif", Font.PLAIN, 10);

    private final XYSeries total = new XYSeries("lost so far", true, false);
    private final ChartViewer viewer;

    LostChart() {
        DateAxis time = new DateAxis();
        time.setDateFormatOverride(new SimpleDateFormat("HH:mm:ss.SSS"));
        time.setTickLabelFont(TICKS);
        NumberAxis lost = new NumberAxis("lost so far");
        lost.setTickLabelFont(TICKS);
        lost.setLabelFont(TICKS);
        lost.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYStepRenderer renderer = new XYStepRenderer();
        renderer.setSeriesPaint(0, new Color(0xd0, 0x1c, 0x1c));
        renderer.setSeriesStroke(0, new BasicStroke(1.6f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(total), time, lost, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xe2, 0xe4, 0xe8));
        plot.setDomainGridlinePaint(new Color(0xe2, 0xe4, 0xe8));
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        viewer = new ChartViewer(chart);
        viewer.setId("lost-chart");
        viewer.setMinHeight(60);
    }

    Node root() {
        return viewer;
    }

    /** Shows the marks that have a time (a file's end-of-capture total has none); hidden when there are none. */
    void show(List<LostMark> marks) {
        total.clear();
        for (LostMark mark : marks) {
            if (mark.exactTime()) {
                total.add(mark.epochNanos() / 1e6, mark.total(), false);
            }
        }
        total.fireSeriesChanged();
        viewer.setVisible(!total.isEmpty());
        viewer.setManaged(!total.isEmpty());
    }

    /** How many points the chart holds (for tests). */
    int points() {
        return total.getItemCount();
    }
}
