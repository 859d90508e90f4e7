package io.bpfscope.ui.hex;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Orientation;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;
import javafx.geometry.VPos;

/**
 * The dump itself: offset | 16 hex bytes | their characters, drawn on a
 * canvas one screen of rows at a time (so a 32 KiB payload costs no more
 * than a short one). Dragging on either side selects bytes, highlighted on
 * both. FX thread only.
 */
final class HexCanvas extends Region {
    private static final double PAD = 6;

    private final HexViewModel viewModel;
    private final Canvas canvas = new Canvas();
    private final ScrollBar scroll = new ScrollBar();
    private final BooleanProperty dark = new SimpleBooleanProperty();
    private final Font font = Font.font("Monospaced", 12.5);
    private final double charWidth;
    private final double lineHeight;
    private int firstRow;
    private int anchor = -1;
    private boolean dragOnText;

    HexCanvas(HexViewModel viewModel) {
        this.viewModel = viewModel;
        getStyleClass().add("hex-canvas");
        Text probe = new Text("0123456789abcdef");
        probe.setFont(font);
        charWidth = probe.getLayoutBounds().getWidth() / 16;
        lineHeight = Math.ceil(probe.getLayoutBounds().getHeight() + 3);
        scroll.setOrientation(Orientation.VERTICAL);
        scroll.valueProperty().addListener((obs, old, value) -> {
            firstRow = (int) Math.round(value.doubleValue());
            draw();
        });
        getChildren().addAll(canvas, scroll);
        viewModel.bytesProperty().addListener((obs, old, bytes) -> {
            firstRow = 0;
            scroll.setValue(0);
            requestLayout();
            draw();
        });
        viewModel.selectionStartProperty().addListener((obs, old, now) -> draw());
        viewModel.selectionEndProperty().addListener((obs, old, now) -> draw());
        dark.addListener((obs, old, now) -> draw());
        canvas.setOnMousePressed(this::pressed);
        canvas.setOnMouseDragged(this::dragged);
        setOnScroll(this::scrolled);
        setMinSize(0, 0);
    }

    BooleanProperty darkProperty() {
        return dark;
    }

    @Override
    protected double computePrefWidth(double height) {
        return PAD * 2 + charWidth * (HexText.LINE_CHARS + 1) + 14;
    }

    @Override
    protected double computePrefHeight(double width) {
        return lineHeight * 12;
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double bar = scroll.prefWidth(-1);
        scroll.resizeRelocate(w - bar, 0, bar, h);
        canvas.setWidth(Math.max(0, w - bar));
        canvas.setHeight(h);
        updateScrollBar();
        draw();
    }

    private int visibleRows() {
        return Math.max(1, (int) ((getHeight() - PAD) / lineHeight));
    }

    private int totalRows() {
        byte[] bytes = viewModel.bytes();
        return HexText.rows(bytes.length) + (viewModel.truncatedProperty().get() ? 1 : 0);
    }

    private void updateScrollBar() {
        int max = Math.max(0, totalRows() - visibleRows());
        scroll.setMin(0);
        scroll.setMax(max);
        scroll.setVisibleAmount(visibleRows());
        scroll.setDisable(max == 0);
        if (firstRow > max) {
            firstRow = max;
            scroll.setValue(max);
        }
    }

    /** Scrolls so byte {@code index} is on screen. */
    void reveal(int index) {
        int row = index / HexText.BYTES_PER_ROW;
        if (row < firstRow || row >= firstRow + visibleRows()) {
            scroll.setValue(Math.max(0, Math.min(scroll.getMax(), row - 2)));
        }
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double width = canvas.getWidth();
        double height = canvas.getHeight();
        boolean night = dark.get();
        g.setFill(night ? Color.web("#1e1f22") : Color.WHITE);
        g.fillRect(0, 0, width, height);
        byte[] bytes = viewModel.bytes();
        if (bytes.length == 0) {
            return;
        }
        Color text = night ? Color.web("#d4d4d4") : Color.web("#1e1e1e");
        Color muted = night ? Color.web("#7d8590") : Color.web("#8a8a8a");
        Color selected = night ? Color.web("#264f78") : Color.web("#bcd4ff");
        g.setFont(font);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.LEFT);
        int selStart = viewModel.hasSelection() ? viewModel.selectionStartProperty().get() : -1;
        int selEnd = viewModel.hasSelection() ? viewModel.selectionEndProperty().get() : -1;
        int rows = HexText.rows(bytes.length);
        int last = Math.min(rows, firstRow + visibleRows() + 1);
        for (int row = firstRow; row < last; row++) {
            double y = PAD / 2 + (row - firstRow) * lineHeight;
            int rowStart = row * HexText.BYTES_PER_ROW;
            int rowEnd = Math.min(bytes.length, rowStart + HexText.BYTES_PER_ROW);
            if (selStart >= 0 && selStart < rowEnd && selEnd > rowStart) {
                int a = Math.max(selStart, rowStart) - rowStart;
                int b = Math.min(selEnd, rowEnd) - rowStart - 1;
                g.setFill(selected);
                double hx = x(HexText.hexColumn(a)) - 1;
                g.fillRect(hx, y, x(HexText.hexColumn(b) + 2) - hx + 1, lineHeight);
                double ax = x(HexText.asciiColumn(a));
                g.fillRect(ax, y, x(HexText.asciiColumn(b) + 1) - ax, lineHeight);
            }
            String line = HexText.line(bytes, row);
            g.setFill(muted);
            g.fillText(line.substring(0, HexText.OFFSET_CHARS), x(0), y + 1);
            g.setFill(text);
            g.fillText(line.substring(HexText.HEX_START, HexText.ASCII_START - 1), x(HexText.HEX_START), y + 1);
            if (line.length() > HexText.ASCII_START) {
                g.fillText(line.substring(HexText.ASCII_START), x(HexText.ASCII_START), y + 1);
            }
            g.setStroke(muted.deriveColor(0, 1, 1, 0.35));
            double separator = x(HexText.ASCII_START) - charWidth;
            g.strokeLine(separator, y, separator, y + lineHeight);
        }
        if (viewModel.truncatedProperty().get() && last >= rows) {
            double y = PAD / 2 + (rows - firstRow) * lineHeight;
            g.setFill(night ? Color.web("#e5a50a") : Color.web("#9a6700"));
            g.fillText("— the probe's payload limit cut the rest: it was not captured —", x(HexText.HEX_START), y + 1);
        }
    }

    private double x(int column) {
        return PAD + column * charWidth;
    }

    /** The byte under the mouse, or -1; remembers whether it is on the text side. */
    private int byteAt(double px, double py, boolean pressing) {
        byte[] bytes = viewModel.bytes();
        int row = firstRow + (int) ((py - PAD / 2) / lineHeight);
        int column = (int) ((px - PAD) / charWidth);
        int inRow;
        boolean onText = column >= HexText.ASCII_START - 1;
        if (pressing) {
            dragOnText = onText;
        }
        if (dragOnText) {
            inRow = column - HexText.ASCII_START;
        } else {
            int c = column - HexText.HEX_START;
            inRow = c >= 25 ? (c - 1) / 3 : c / 3;
        }
        inRow = Math.max(0, Math.min(HexText.BYTES_PER_ROW - 1, inRow));
        int index = Math.max(0, row) * HexText.BYTES_PER_ROW + inRow;
        if (index >= bytes.length) {
            return bytes.length == 0 ? -1 : bytes.length - 1;
        }
        return index;
    }

    private void pressed(MouseEvent e) {
        requestFocus();
        int index = byteAt(e.getX(), e.getY(), true);
        if (index < 0) {
            return;
        }
        if (e.isShiftDown() && viewModel.hasSelection()) {
            viewModel.select(viewModel.selectionStartProperty().get(), index + 1);
            return;
        }
        anchor = index;
        viewModel.select(index, index + 1);
    }

    private void dragged(MouseEvent e) {
        if (anchor < 0) {
            return;
        }
        int index = byteAt(e.getX(), e.getY(), false);
        if (index >= 0) {
            viewModel.select(Math.min(anchor, index), Math.max(anchor, index) + 1);
        }
    }

    private void scrolled(ScrollEvent e) {
        double rows = -e.getDeltaY() / lineHeight;
        scroll.setValue(Math.max(scroll.getMin(), Math.min(scroll.getMax(), scroll.getValue() + Math.round(rows))));
        e.consume();
    }
}
