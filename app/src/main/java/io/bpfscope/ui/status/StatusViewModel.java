package io.bpfscope.ui.status;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.ui.common.ShownCapture;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The status bar: events, rows shown, events per second, memory held, lost
 * events, the capture file and its size. Updated each pulse. FX thread only.
 */
public final class StatusViewModel {
    private static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    private final ReadOnlyStringWrapper events = new ReadOnlyStringWrapper("events: 0   lost: 0");
    private final ReadOnlyStringWrapper file = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper lost = new ReadOnlyStringWrapper("");
    private long windowStart;
    private long windowStartCount;
    private double rate;
    private long lastFileCheck;
    private String fileText = "";

    /** {@code events: 1,234   shown: 56   120/s   in memory: 3.2 MiB   lost: 0}. */
    public ReadOnlyStringProperty eventsProperty() {
        return events.getReadOnlyProperty();
    }

    /** The capture file and its size. */
    public ReadOnlyStringProperty fileProperty() {
        return file.getReadOnlyProperty();
    }

    /** Non-empty (a warning) when events were lost. */
    public ReadOnlyStringProperty lostProperty() {
        return lost.getReadOnlyProperty();
    }

    /** A new capture is shown: the rate starts over. */
    public void reset() {
        windowStart = 0;
        rate = 0;
        lastFileCheck = 0;
    }

    /**
     * {@code recording}: a probe is attached to the live capture shown; {@code unsaved}: its events kept
     * only in its private file, which goes when it is closed.
     */
    public void update(ShownCapture capture, boolean recording, long unsaved, int shown, boolean filtered,
                       double filterProgress, long now) {
        long count = capture.store().size();
        if (windowStart == 0 || count < windowStartCount) {
            windowStart = now;
            windowStartCount = count;
        } else if (now - windowStart >= RATE_WINDOW_NANOS) {
            rate = (count - windowStartCount) * 1e9 / (now - windowStart);
            windowStart = now;
            windowStartCount = count;
        }
        CaptureCounters counters = capture.counters();
        long lostCount = counters == null ? 0 : counters.lost();
        StringBuilder text = new StringBuilder(String.format("events: %,d", count));
        if (filtered) {
            text.append(String.format("   shown: %,d", shown));
            if (filterProgress < 1) {
                text.append(String.format(" (filtering %.0f%%)", filterProgress * 100));
            }
        }
        if (recording || capture.stream().isPresent() && !capture.stream().get().finished()) {
            text.append(String.format("   %,.0f/s", rate));
        }
        text.append("   in memory: ").append(bytes(capture.store().memoryBytes()));
        text.append(String.format("   lost: %,d", lostCount));
        events.set(text.toString());
        lost.set(lostCount > 0 ? String.format("%,d events lost", lostCount) : "");
        if (now - lastFileCheck > RATE_WINDOW_NANOS || lastFileCheck == 0) {
            lastFileCheck = now;
            Throwable helperFailure = capture.live().map(l -> l.failure()).orElse(null);
            String doing = helperFailure != null ? "capture stopped (" + helperFailure.getMessage() + "); kept in "
                    : recording ? "recording to "
                    : capture.isLive() ? "stopped; kept in "
                    : capture.stream().isPresent() ? (capture.stream().get().finished() ? "read from " : "reading ")
                    + capture.stream().get().name() + " into " : "";
            String keep = unsaved > 0 ? String.format(", %,d events unsaved (Ctrl+S)", unsaved) : "";
            fileText = capture.file().map(path -> doing + path + "  (" + bytes(capture.fileSize()) + keep + ")")
                    .orElse("no capture file");
        }
        file.set(fileText);
    }

    /** {@code 512 B}, {@code 3.2 KiB}, {@code 1.5 MiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }
}
