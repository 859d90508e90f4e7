package io.bpfscope.ui.stats;

import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import io.bpfscope.ui.timeline.LostMark;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The Statistics window: counts over every event or only the rows shown,
 * computed off the FX thread, and the losses the timeline knows. FX thread only.
 */
public final class StatisticsViewModel {
    /** What is counted. */
    public enum Scope {
        ALL("every event"), SHOWN("the rows shown");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Supplier<ShownCapture> capture;
    private final Supplier<long[]> shownRows;
    private final Supplier<List<LostMark>> lost;
    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(Scope.ALL);
    private final ReadOnlyObjectWrapper<Statistics> statistics = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private int generation;

    public StatisticsViewModel(Supplier<ShownCapture> capture, Supplier<long[]> shownRows, Supplier<List<LostMark>> lost,
                               TaskRunner tasks, ErrorDisplay errors) {
        this.capture = capture;
        this.shownRows = shownRows;
        this.lost = lost;
        this.tasks = tasks;
        this.errors = errors;
        scope.addListener((obs, old, now) -> refresh());
    }

    public ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    /** The latest counts; null until the first are ready. */
    public ReadOnlyObjectProperty<Statistics> statisticsProperty() {
        return statistics.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public List<LostMark> lost() {
        return lost.get();
    }

    /**
     * {@code 5,000 events counted; 3 could not be decoded (counted as no probe's)}: records that do
     * not decode are said apart, never mixed with those a filter left out.
     */
    static String statusText(Statistics result, boolean rowsShown) {
        StringBuilder text = new StringBuilder(String.format("%,d %s counted", result.events(),
                rowsShown ? "rows" : "events"));
        if (result.undecodable() > 0) {
            text.append(String.format("; %,d could not be decoded (counted as no probe's)", result.undecodable()));
        }
        long hidden = result.undecodableInCapture() - result.undecodable();
        if (hidden > 0) {
            text.append(String.format("; %,d record%s of the capture could not be decoded, so no filter matches %s",
                    hidden, hidden == 1 ? "" : "s", hidden == 1 ? "it" : "them"));
        }
        return text.toString();
    }

    /** Counts again (the capture may have grown). */
    public void refresh() {
        int run = ++generation;
        ShownCapture counted = capture.get();
        long[] seqs = scope.get() == Scope.SHOWN ? shownRows.get() : null;
        status.set("counting…");
        tasks.run("statistics", () -> Statistics.of(counted, seqs, () -> run != generation), result -> {
            if (run == generation) {
                statistics.set(result);
                status.set(statusText(result, seqs != null));
            }
        }, failure -> errors.show("counting statistics", failure));
    }
}
