package io.bpfscope.ui.table;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.RecordCache;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The event table's rows: every event, or those the filter passes. Filtering
 * runs in stretches through the {@link TaskRunner}, off the FX thread, over
 * the store; on a live capture each pulse hands the new events to the next
 * stretch, so the reader never waits and the FX thread only appends arrays.
 * FX thread only.
 */
public final class EventTableViewModel {
    /** Rows added per pulse without a filter: bounds a pulse's work while a live capture floods in. */
    static final int MAX_NEW_ROWS_PER_PULSE = 250_000;
    /** Events one filter stretch decodes before handing its matches over. */
    static final int SCAN_STRETCH = 65_536;

    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final RecordCache records;
    private final SeqList rows = new SeqList();
    private final LongProperty selected = new SimpleLongProperty(0);
    private final ObjectProperty<Long> revealRequest = new SimpleObjectProperty<>();
    private final BooleanProperty following = new SimpleBooleanProperty(true);
    private final ReadOnlyDoubleWrapper filterProgress = new ReadOnlyDoubleWrapper(1);
    private final ReadOnlyBooleanWrapper filtering = new ReadOnlyBooleanWrapper(false);
    private long revealAfterPass;
    private boolean selectionCheckAfterPass;
    private final AtomicInteger generation = new AtomicInteger();
    private ShownCapture capture = ShownCapture.empty();
    private final javafx.beans.property.ReadOnlyBooleanWrapper severalHosts = new javafx.beans.property.ReadOnlyBooleanWrapper();
    private Predicate<DecodedRecord> predicate;
    private long scannedTo;
    private long lastGrowth;
    private boolean scanInFlight;

    public EventTableViewModel(TaskRunner tasks, ErrorDisplay errors, RecordCache records) {
        this.tasks = tasks;
        this.errors = errors;
        this.records = records;
    }

    public SeqList rows() {
        return rows;
    }

    /** The seq of the selected row, 0 when none. */
    public LongProperty selectedProperty() {
        return selected;
    }

    /** A seq the view should select and scroll to; the view sets it back to null once done. */
    public ObjectProperty<Long> revealRequestProperty() {
        return revealRequest;
    }

    /**
     * Selects {@code seq} (or the first row shown after it) and scrolls to it; autoscroll pauses. While
     * a filter pass runs, the row may not be there yet: it is revealed again when the pass ends.
     */
    public void reveal(long seq) {
        following.set(false);
        revealRequest.set(null);
        revealRequest.set(seq);
        revealAfterPass = filtering.get() ? seq : 0;
    }

    /** Autoscroll: the table follows new rows while true. */
    public BooleanProperty followingProperty() {
        return following;
    }

    /** How far the filter pass has come, 0..1 (1 when not filtering). */
    public ReadOnlyDoubleProperty filterProgressProperty() {
        return filterProgress.getReadOnlyProperty();
    }

    /** True while a filter pass has not caught up with the capture. */
    public ReadOnlyBooleanProperty filteringProperty() {
        return filtering.getReadOnlyProperty();
    }

    public DecodedRecord record(long seq) {
        return records.get(seq);
    }

    /** True while the capture shown holds events of more than one host: the table shows a host column then. */
    public javafx.beans.property.ReadOnlyBooleanProperty severalHostsProperty() {
        return severalHosts.getReadOnlyProperty();
    }

    /** Shows another capture from its start. */
    public void show(ShownCapture newCapture) {
        capture = newCapture;
        severalHosts.set(capture.header().hosts().size() > 1);
        selected.set(0);
        restart();
    }

    /** Filters with {@code newPredicate}; null shows every event. */
    public void filter(Predicate<DecodedRecord> newPredicate) {
        predicate = newPredicate;
        restart();
    }

    public boolean isFiltered() {
        return predicate != null;
    }

    /** The applied test, or null for every event. */
    public Predicate<DecodedRecord> predicate() {
        return predicate;
    }

    private void restart() {
        generation.incrementAndGet();
        scannedTo = 0;
        selectionCheckAfterPass = true;
        if (predicate == null) {
            filtering.set(false);
            filterProgress.set(1);
            rows.showEveryEvent(clamp(capture.store().size()));
            keepSelectionInStep();
        } else {
            rows.showOnly(new long[0], 0);
            filtering.set(true);
            filterProgress.set(0);
            scanMore();
        }
    }

    /**
     * After a new filter (or Clear): the selected event, which the detail and hex panes show, is shown
     * and selected in the table too, or — when the filter hides it — no longer selected, so those panes
     * never show an event the table does not.
     */
    private void keepSelectionInStep() {
        if (!selectionCheckAfterPass) {
            return;
        }
        selectionCheckAfterPass = false;
        long seq = selected.get();
        if (seq <= 0) {
            return;
        }
        DecodedRecord record = predicate == null ? null : records.get(seq);
        if (predicate == null || record != null && predicate.test(record)) {
            reveal(seq);
        } else {
            selected.set(0);
        }
    }

    /** Each UI pulse: new events become rows (filtered in the background when a filter is applied). */
    public void pulse() {
        if (!severalHosts.get() && capture.header().probes().size() > 1) { // a stream's hosts come as it does
            severalHosts.set(capture.header().hosts().size() > 1);
        }
        long available = capture.store().size();
        if (predicate == null) {
            long now = System.nanoTime();
            if (available > rows.size() && (following.get() || now - lastGrowth >= growthInterval(rows.size()))) {
                lastGrowth = now;
                rows.growEveryEvent(clamp(Math.min(available, (long) rows.size() + MAX_NEW_ROWS_PER_PULSE)));
            }
        } else {
            scanMore();
        }
    }

    /**
     * How long to gather new rows before handing them to a table that is not
     * following (one that follows shows only the tail; see TailList). JavaFX
     * 21's table re-measures every row when its row count changes (O(rows)),
     * so a long table grows less often: every pulse up to 100,000 rows, then
     * a millisecond per thousand rows, at most once a second.
     */
    static long growthInterval(int rowCount) {
        return Math.min(1_000_000_000L, rowCount * 1_000L);
    }

    private void scanMore() {
        long available = capture.store().size();
        if (scanInFlight) {
            return; // its callback continues
        }
        if (scannedTo >= available) {
            filtering.set(false);
            filterProgress.set(1);
            if (revealAfterPass > 0) {
                reveal(revealAfterPass);
            } else {
                keepSelectionInStep();
            }
            return;
        }
        long from = scannedTo + 1;
        long to = Math.min(available, scannedTo + SCAN_STRETCH);
        int stretchGeneration = generation.get();
        ShownCapture scanned = capture;
        Predicate<DecodedRecord> test = predicate;
        scanInFlight = true;
        tasks.run("filter", () -> RowScan.matching(scanned, test, from, to, () -> generation.get() != stretchGeneration),
                matches -> {
                    scanInFlight = false;
                    if (matches != null && stretchGeneration == generation.get()) {
                        scannedTo = to;
                        rows.append(matches, matches.length);
                        filterProgress.set(available == 0 ? 1 : (double) to / capture.store().size());
                    }
                    if (predicate != null) {
                        scanMore();
                    }
                },
                failure -> {
                    scanInFlight = false;
                    if (stretchGeneration == generation.get()) {
                        filtering.set(false);
                        errors.show("filtering", failure);
                    } else if (predicate != null) {
                        scanMore();
                    }
                });
    }

    /** A copy of the seqs shown (for statistics over the rows shown). */
    public long[] shownSeqs() {
        long[] seqs = new long[rows.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = rows.seqAt(i);
        }
        return seqs;
    }

    /** The row index to show for "go to event {@code seq}": that event, or the first shown after it. */
    public int indexForSeq(long seq) {
        return rows.nearestIndex(seq);
    }

    private static int clamp(long n) {
        return (int) Math.min(Integer.MAX_VALUE - 8, n);
    }
}
