package io.bpfscope.ui.timeline;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import io.bpfscope.ui.filter.TimeRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * The timeline: events per second per probe over the capture, and where
 * events were lost. Records are read in stretches off the FX thread (their
 * headers only); a live capture's counters are polled each pulse and a loss
 * is marked when it grows; a file's losses come from its counters blocks.
 * Dragging a range restricts the table to it; a click jumps to the nearest
 * event. FX thread only.
 */
public final class TimelineViewModel {
    private static final int STRETCH = 200_000;
    /** Files with more events than this draw their chart from their index, not from every record. */
    static final long INDEX_ONLY_ABOVE = 1_000_000;
    static final String ALL_EVENTS = "all probes";

    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final Consumer<TimeRange> restrict;
    private final LongConsumer reveal;
    private final ReadOnlyLongWrapper version = new ReadOnlyLongWrapper();
    private final List<LostMark> lost = new ArrayList<>();
    private RateBuckets buckets = new RateBuckets();
    private ShownCapture capture = ShownCapture.empty();
    private long scannedTo;
    private boolean scanInFlight;
    private long lastLost;
    private int generation;

    /**
     * @param restrict told the range dragged (the table shows only it)
     * @param reveal told the seq to select when the user clicks a time
     */
    public TimelineViewModel(TaskRunner tasks, ErrorDisplay errors, Consumer<TimeRange> restrict, LongConsumer reveal) {
        this.tasks = tasks;
        this.errors = errors;
        this.restrict = restrict;
        this.reveal = reveal;
    }

    /** Changes whenever the chart should be drawn again. */
    public ReadOnlyLongProperty versionProperty() {
        return version.getReadOnlyProperty();
    }

    public void show(ShownCapture newCapture) {
        capture = newCapture;
        generation++;
        buckets = new RateBuckets();
        lost.clear();
        scannedTo = 0;
        lastLost = 0;
        changed();
        boolean bigIndexed = capture.fileIndex().isPresent() && capture.store().size() > INDEX_ONLY_ABOVE;
        if (bigIndexed && capture.counters() != null && capture.counters().lost() > 0) {
            // the per-second counters are spread over the whole file: only the total, without reading it all
            lost.add(new LostMark(Long.MIN_VALUE, capture.counters().lost(), capture.counters().lost(), false));
        }
        if (capture.isFile() && !bigIndexed) {
            int fileGeneration = generation;
            long bootToWall = capture.header().bootToWallNanos();
            CaptureCounters total = capture.counters();
            tasks.run("read losses", () -> TimelineScan.lostMarks(capture.file().orElseThrow(), bootToWall), marks -> {
                if (fileGeneration != generation) {
                    return;
                }
                lost.addAll(marks);
                if (marks.isEmpty() && total != null && total.lost() > 0) {
                    lost.add(new LostMark(Long.MIN_VALUE, total.lost(), total.lost(), false));
                }
                changed();
            }, failure -> {
                if (fileGeneration == generation) {
                    errors.show("reading the capture's loss counters", failure);
                }
            });
        }
        if (bigIndexed) {
            drawFromIndex(capture.fileIndex().get());
        }
        scanMore();
    }

    /**
     * A big file with an index: the chart comes from the index's blocks (records, first and last
     * times each) at once, instead of reading every record. Per probe only when the file has one
     * probe (the index counts blocks' records, not their probes); else one series of all events.
     */
    private void drawFromIndex(io.bpfscope.capture.file.CaptureFileIndex index) {
        java.util.Set<Integer> sources = new java.util.HashSet<>(index.eventsPerSource().keySet());
        sources.remove(io.bpfscope.capture.file.CaptureFileIndex.NO_HEADER);
        String series = sources.size() == 1
                ? capture.header().probe(sources.iterator().next()).map(p -> p.name()).orElse(ALL_EVENTS) : ALL_EVENTS;
        long bootToWall = capture.header().bootToWallNanos();
        for (int i = 0; i < index.counts().length; i++) {
            buckets.addSpan(series, index.firstBoot()[i] + bootToWall, index.lastBoot()[i] + bootToWall, index.counts()[i]);
        }
        scannedTo = capture.store().size(); // nothing left to read
        changed();
    }

    /** Each UI pulse: read new records' times, and mark losses of a live capture. */
    public void pulse() {
        if (capture.isLive()) {
            CaptureCounters counters = capture.counters();
            if (counters != null && counters.lost() > lastLost) {
                lost.add(new LostMark(System.currentTimeMillis() * 1_000_000L, counters.lost() - lastLost,
                        counters.lost(), true));
                lastLost = counters.lost();
                changed();
            }
        }
        scanMore();
    }

    private void scanMore() {
        long available = capture.store().size();
        if (scanInFlight || scannedTo >= available) {
            return;
        }
        long from = scannedTo + 1;
        long to = Math.min(available, scannedTo + STRETCH);
        int stretchGeneration = generation;
        ShownCapture scanned = capture;
        scanInFlight = true;
        tasks.run("timeline", () -> TimelineScan.stretch(scanned, from, to), stretch -> {
            scanInFlight = false;
            if (stretchGeneration != generation) {
                scanMore();
                return;
            }
            for (int i = 0; i < stretch.runs(); i++) {
                buckets.add(stretch.probes()[i], stretch.times()[i], stretch.counts()[i]);
            }
            scannedTo = to;
            changed();
            scanMore();
        }, failure -> {
            scanInFlight = false;
            if (stretchGeneration == generation) {
                errors.show("reading event times for the timeline", failure);
            } else {
                scanMore();
            }
        });
    }

    private void changed() {
        version.set(version.get() + 1);
    }

    /** The probes seen so far, in the order first seen. */
    public List<String> probes() {
        return List.copyOf(buckets.probes());
    }

    /** Slices of time in use. */
    public int slices() {
        return buckets.used();
    }

    /** Where slice {@code i} starts, epoch milliseconds. */
    public double sliceStartMillis(int i) {
        return buckets.start(i) / 1e6;
    }

    public double sliceWidthMillis() {
        return buckets.widthNanos() / 1e6;
    }

    /** Events per second of {@code probe} in slice {@code i}. */
    public double rate(String probe, int i) {
        return buckets.rate(probe, i);
    }

    public long count(String probe, int i) {
        return buckets.count(probe, i);
    }

    /** Losses, oldest first; a mark without an exact time ({@link LostMark#exactTime()} false) is a file's total. */
    public List<LostMark> lost() {
        return Collections.unmodifiableList(lost);
    }

    /** The user dragged from one time to another (epoch ms): the table shows only that span. */
    public void selectRange(double fromMillis, double toMillis) {
        restrict.accept(TimeRange.ofEpochMillis(fromMillis, toMillis));
    }

    /** The user clicked a time (epoch ms): select the event nearest to it. */
    public void jumpTo(double millis) {
        long seq = nearestSeq((long) (millis * 1e6));
        if (seq > 0) {
            reveal.accept(seq);
        }
    }

    /** The seq whose time is nearest {@code epochNanos}, by binary search (records arrive in time order, nearly). */
    long nearestSeq(long epochNanos) {
        EventStore store = capture.store();
        long size = store.size();
        if (size == 0) {
            return 0;
        }
        long lo = 1;
        long hi = size + 1; // the first seq at or after the time is in [lo, hi]
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (capture.epochNanos(store.get(mid)) < epochNanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo > size) {
            return size;
        }
        if (lo > 1) {
            long before = capture.epochNanos(store.get(lo - 1));
            long at = capture.epochNanos(store.get(lo));
            if (epochNanos - before < at - epochNanos) {
                return lo - 1;
            }
        }
        return lo;
    }
}
