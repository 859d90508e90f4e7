package io.bpfscope.ui;

import io.bpfscope.ui.table.EventTable;
import java.util.function.LongConsumer;
import javafx.animation.AnimationTimer;

/**
 * The window's pulse: ten times a second the view model drains new events (a
 * bounded amount), the table follows new rows when asked to and the timeline
 * redraws. The reader threads never wait for it.
 */
final class WindowPulse {
    private static final long PULSE_NANOS = 100_000_000L; // ten refreshes a second is live enough

    private final MainViewModel viewModel;
    private final EventTable table;
    private final Runnable refreshTimeline;
    private LongConsumer listener = nanos -> { };

    /** {@code refreshTimeline}: redraws the timeline, once it is made. */
    WindowPulse(MainViewModel viewModel, EventTable table, Runnable refreshTimeline) {
        this.viewModel = viewModel;
        this.table = table;
        this.refreshTimeline = refreshTimeline;
    }

    /** Told how long each pulse's work took, in nanoseconds. */
    void setListener(LongConsumer newListener) {
        this.listener = newListener;
    }

    void start() {
        new AnimationTimer() {
            private long last;

            @Override
            public void handle(long now) {
                if (now - last < PULSE_NANOS) {
                    return;
                }
                last = now;
                long start = System.nanoTime();
                int before = table.rowCount();
                viewModel.pulse();
                if (table.rowCount() > before) {
                    table.followIfAsked();
                }
                refreshTimeline.run();
                listener.accept(System.nanoTime() - start);
            }
        }.start();
    }
}
