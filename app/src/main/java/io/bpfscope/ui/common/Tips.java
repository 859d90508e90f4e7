package io.bpfscope.ui.common;

import javafx.beans.value.ObservableValue;
import javafx.event.EventHandler;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;

/**
 * Tooltips made when the pointer first comes over their control, not with the window: each Tooltip is
 * a popup window of its own, and the window's made at start took 6% of the FX thread's work before its
 * first frame (JFR, docs/benchmarks.md start-up). The pointer's next move over the control shows it.
 */
public final class Tips {
    private Tips() {
    }

    /** {@code control}'s tooltip says {@code text}, made on the first hover. */
    public static void lazy(Control control, String text) {
        onFirstHover(control, () -> new Tooltip(text));
    }

    /** As {@link #lazy(Control, String)}, for a tip whose text follows {@code text}. */
    public static void lazy(Control control, ObservableValue<String> text) {
        onFirstHover(control, () -> {
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(text);
            return tip;
        });
    }

    private static void onFirstHover(Control control, java.util.function.Supplier<Tooltip> tip) {
        control.addEventHandler(MouseEvent.MOUSE_ENTERED, new EventHandler<>() {
            @Override
            public void handle(MouseEvent event) {
                control.removeEventHandler(MouseEvent.MOUSE_ENTERED, this);
                if (control.getTooltip() == null) { // one set since (a problem shown instead) stays
                    control.setTooltip(tip.get());
                }
            }
        });
    }
}
