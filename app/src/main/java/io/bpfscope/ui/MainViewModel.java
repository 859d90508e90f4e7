package io.bpfscope.ui;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.capture.CaptureCounters;
import io.bpfscope.capture.CaptureHeader;
import io.bpfscope.capture.CaptureIndex;
import io.bpfscope.capture.CaptureSession;
import io.bpfscope.capture.DecodedRecord;
import io.bpfscope.capture.EventStore;
import io.bpfscope.capture.LiveCapture;
import io.bpfscope.capture.RecordDecoder;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeCatalog;
import io.bpfscope.probes.ProbeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The main window's state: the probe panel, the events shown, the status
 * line and the one place errors are shown. Work that touches the kernel or
 * files runs through the {@link TaskRunner}; everything else is on the FX
 * thread.
 */
public final class MainViewModel {
    private static final int MAX_ROWS_PER_PULSE = 20_000;
    private static final int CACHE_SIZE = 4096;

    private final String offlineReason;
    private final TaskRunner tasks;
    private final ObservableList<ProbeRow> probes = FXCollections.observableArrayList();
    private final ObservableList<Long> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("bpfscope");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final Map<Long, DecodedRecord> cache = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, DecodedRecord> eldest) {
            return size() > CACHE_SIZE;
        }
    };
    private LiveCapture live;
    private EventStore store = new EventStore();
    private RecordDecoder decoder;
    private CaptureCounters lastCounters;

    public MainViewModel(String offlineReason, TaskRunner tasks) {
        this.offlineReason = offlineReason;
        this.tasks = tasks;
        for (Probe probe : ProbeCatalog.all()) {
            probes.add(new ProbeRow(probe, offlineReason == null ? probe.availability().reason() : "offline"));
        }
        title.set(offlineReason == null ? "bpfscope — live" : "bpfscope — offline");
    }

    public boolean isOffline() {
        return offlineReason != null;
    }

    /** Why the app is offline and how to go live, or empty. */
    public String offlineReason() {
        return offlineReason == null ? "" : offlineReason;
    }

    public ObservableList<ProbeRow> probes() {
        return probes;
    }

    /** Seq numbers of the rows shown; cells decode on demand through {@link #record(long)}. */
    public ObservableList<Long> rows() {
        return rows;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Attaches every ticked probe that is not attached yet; each on its own, so one failure stops no other. */
    public void attachSelected() {
        if (isOffline()) {
            error.set("offline: " + offlineReason);
            return;
        }
        for (ProbeRow row : probes) {
            if (!row.selectedProperty().get() || row.loadedProperty().get() != null) {
                continue;
            }
            row.stateProperty().set("attaching…");
            tasks.run("attach " + row.probe().name(), () -> liveCapture().attach(row.probe(), ProbeOptions.defaults()),
                    loaded -> {
                        row.loadedProperty().set(loaded);
                        row.stateProperty().set("attached");
                    },
                    failure -> {
                        row.stateProperty().set("failed");
                        error.set(row.probe().name() + ": " + failure.getMessage());
                    });
        }
    }

    /** Detaches the ticked probes; their events stay. */
    public void detachSelected() {
        for (ProbeRow row : probes) {
            LoadedProbe loaded = row.loadedProperty().get();
            if (row.selectedProperty().get() && loaded != null) {
                live.detach(loaded);
                row.loadedProperty().set(null);
                row.stateProperty().set("detached");
            }
        }
    }

    private synchronized LiveCapture liveCapture() throws BpfException, java.io.IOException {
        if (live == null) {
            live = LiveCapture.start(Path.of(System.getProperty("java.io.tmpdir")), CaptureSession.DEFAULT_RING_BYTES,
                    EventStore.DEFAULT_MEMORY_BUDGET);
            store = live.store();
        }
        decoder = new RecordDecoder(live.header());
        return live;
    }

    /** Opens a capture file (or - for stdin) in the background. */
    public void open(String file) {
        tasks.run("open " + file, () -> {
            CaptureIndex index = EventStore.index(Path.of(file));
            return new Opened(index.header(), index.store(), index.problem().orElse(""), file);
        }, opened -> {
            store = opened.store;
            decoder = new RecordDecoder(opened.header);
            cache.clear();
            rows.clear();
            title.set("bpfscope — " + Path.of(opened.name).getFileName());
            if (!opened.problem.isEmpty()) {
                error.set(opened.problem);
            }
            pulse();
        }, failure -> error.set(failure.getMessage()));
    }

    private record Opened(CaptureHeader header, EventStore store, String problem, String name) {
    }

    /** Called on every UI pulse: shows new events (a bounded number per pulse) and refreshes the status line. */
    public void pulse() {
        long available = store.size();
        long shown = rows.size();
        if (available > shown) {
            long upTo = Math.min(available, shown + MAX_ROWS_PER_PULSE);
            List<Long> added = new ArrayList<>((int) (upTo - shown));
            for (long seq = shown + 1; seq <= upTo; seq++) {
                added.add(seq);
            }
            rows.addAll(added);
        }
        if (live != null) {
            lastCounters = live.counters();
        }
        long lost = lastCounters == null ? 0 : lastCounters.lost();
        status.set(String.format("events: %,d   lost: %,d%s", rows.size(), lost,
                live == null ? "" : "   ring buffer: " + (CaptureSession.DEFAULT_RING_BYTES >> 20) + " MiB"));
    }

    /** The decoded record for a row, or null if it cannot be decoded (the error line says why). */
    public DecodedRecord record(long seq) {
        DecodedRecord cached = cache.get(seq);
        if (cached != null) {
            return cached;
        }
        if (decoder == null || seq > store.size()) {
            return null;
        }
        try {
            DecodedRecord decoded = decoder.decode(store.get(seq));
            cache.put(seq, decoded);
            return decoded;
        } catch (MalformedEventException e) {
            error.set("event " + seq + ": " + e.getMessage());
            return null;
        }
    }

    /** Detaches everything; called when the window closes. */
    public void close() {
        if (live != null) {
            try {
                live.close();
            } catch (java.io.IOException e) {
                System.getLogger(MainViewModel.class.getName()).log(System.Logger.Level.WARNING, "closing the live capture", e);
            }
        }
    }
}
