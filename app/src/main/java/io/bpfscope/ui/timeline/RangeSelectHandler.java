package io.bpfscope.ui.timeline;

import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.function.BiConsumer;
import java.util.function.DoubleConsumer;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.AbstractMouseHandlerFX;
import org.jfree.chart.plot.XYPlot;
import javafx.scene.input.MouseEvent;

/**
 * Drag across the timeline to pick a span of time (shown as the zoom
 * rectangle while dragging); a click without a drag picks one instant.
 * Replaces jfreechart's drag-to-zoom; the wheel still zooms.
 */
final class RangeSelectHandler extends AbstractMouseHandlerFX {
    private static final double CLICK_SLOP = 4;

    private final ChartViewer viewer;
    private final BiConsumer<Double, Double> onRange;
    private final DoubleConsumer onClick;
    private Point2D start;
    private Rectangle2D area;

    RangeSelectHandler(ChartViewer viewer, BiConsumer<Double, Double> onRange, DoubleConsumer onClick) {
        super("select", false, false, false, false);
        this.viewer = viewer;
        this.onRange = onRange;
        this.onClick = onClick;
    }

    @Override
    public void handleMousePressed(ChartCanvas canvas, MouseEvent e) {
        Point2D point = new Point2D.Double(e.getX(), e.getY());
        Rectangle2D dataArea = canvas.getRenderingInfo() == null ? null : canvas.findDataArea(point);
        if (dataArea == null || !dataArea.contains(point)) {
            start = null;
            return;
        }
        start = point;
        area = dataArea;
    }

    @Override
    public void handleMouseDragged(ChartCanvas canvas, MouseEvent e) {
        if (start == null) {
            return;
        }
        double x = clamp(e.getX());
        viewer.showZoomRectangle(Math.min(start.getX(), x), area.getY(), Math.abs(x - start.getX()), area.getHeight());
    }

    @Override
    public void handleMouseReleased(ChartCanvas canvas, MouseEvent e) {
        viewer.hideZoomRectangle();
        canvas.clearLiveHandler();
        if (start == null) {
            return;
        }
        XYPlot plot = (XYPlot) canvas.getChart().getPlot();
        double x = clamp(e.getX());
        double from = plot.getDomainAxis().java2DToValue(start.getX(), area, plot.getDomainAxisEdge());
        if (Math.abs(x - start.getX()) < CLICK_SLOP) {
            onClick.accept(from);
        } else {
            double to = plot.getDomainAxis().java2DToValue(x, area, plot.getDomainAxisEdge());
            onRange.accept(Math.min(from, to), Math.max(from, to));
        }
        start = null;
    }

    private double clamp(double x) {
        return Math.max(area.getMinX(), Math.min(area.getMaxX(), x));
    }
}
