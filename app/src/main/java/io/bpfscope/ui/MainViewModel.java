package io.bpfscope.ui;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.capture.CaptureSession;
import io.bpfscope.capture.DecodedRecord;
import io.bpfscope.capture.EventStore;
import io.bpfscope.capture.LiveCapture;
import io.bpfscope.capture.helper.HelperConnection;
import io.bpfscope.capture.helper.HelperProtocol;
import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.capture.RawRecord;
import io.bpfscope.capture.StreamCapture;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.ui.detail.DetailViewModel;
import io.bpfscope.ui.files.CaptureSaver;
import io.bpfscope.ui.files.ExportViewModel;
import io.bpfscope.ui.filter.FilterExpressions;
import io.bpfscope.ui.filter.FilterViewModel;
import io.bpfscope.ui.follow.FollowViewModel;
import io.bpfscope.ui.hex.HexViewModel;
import io.bpfscope.ui.probes.ProbePanelViewModel;
import io.bpfscope.ui.probes.ProbeRow;
import io.bpfscope.ui.stats.StatisticsViewModel;
import io.bpfscope.ui.status.StatusViewModel;
import io.bpfscope.ui.table.EventTableViewModel;
import io.bpfscope.ui.timeline.TimelineViewModel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;

/**
 * The main window's state, composed of one view model per pane: probe
 * panel, filter bar, event table, detail tree, hex pane, timeline, status
 * bar; plus what they share — the capture on screen, the record cache, the
 * one error display. Work that touches the kernel or files runs through the
 * {@link TaskRunner}; the rest is on the FX thread.
 */
public final class MainViewModel {
    private final String offlineReason;
    private final TaskRunner tasks;
    private final UiSettings settings;
    private final ErrorDisplay errors = new ErrorDisplay();
    private final ReadOnlyObjectWrapper<ShownCapture> capture = new ReadOnlyObjectWrapper<>(ShownCapture.empty());
    private final RecordCache records;
    private final ProbePanelViewModel probePanel;
    private final FilterViewModel filter;
    private final EventTableViewModel table;
    private final DetailViewModel detail = new DetailViewModel();
    private final HexViewModel hex = new HexViewModel();
    private final TimelineViewModel timeline;
    private final StatusViewModel status = new StatusViewModel();
    private final ExportViewModel export;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("bpfscope");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private PathChooser chooser = PathChooser.NONE;
    private LiveCapture live;
    private HelperConnection helper;
    private ShownCapture liveShown;
    private boolean liveFailureShown;

    public MainViewModel(String offlineReason, TaskRunner tasks) {
        this(offlineReason, tasks, UiSettings.inMemory());
    }

    public MainViewModel(String offlineReason, TaskRunner tasks, UiSettings settings) {
        this.offlineReason = offlineReason;
        this.tasks = tasks;
        this.settings = settings;
        this.records = new RecordCache(capture::get, errors);
        this.probePanel = new ProbePanelViewModel(offlineReason, tasks, errors, new ProbePanelViewModel.LiveCaptures() {
            @Override
            public LiveCapture liveCapture() throws BpfException, IOException {
                return startLive();
            }

            @Override
            public void attached() {
                showLive();
            }

            @Override
            public HostFacts hostFacts() {
                return MainViewModel.this.hostFacts();
            }
        }, () -> chooser);
        this.filter = new FilterViewModel(errors, settings);
        filter.setFieldSource(() -> io.bpfscope.capture.RecordDecoder.fieldNames(capture.get().header()));
        this.table = new EventTableViewModel(tasks, errors, records);
        this.timeline = new TimelineViewModel(tasks, errors, filter.timeRangeProperty()::set, table::reveal);
        this.export = new ExportViewModel(capture::get, table::predicate, tasks, errors, () -> chooser);
        filter.predicateProperty().addListener((obs, old, predicate) -> table.filter(predicate));
        table.selectedProperty().addListener((obs, old, seq) -> showSelected(seq.longValue()));
        title.set(offlineReason == null ? "bpfscope — live" : "bpfscope — offline");
    }

    public boolean isOffline() {
        return offlineReason != null;
    }

    /** Why the app is offline and how to go live, or empty. */
    public String offlineReason() {
        return offlineReason == null ? "" : offlineReason;
    }

    public UiSettings settings() {
        return settings;
    }

    public TaskRunner tasks() {
        return tasks;
    }

    public ErrorDisplay errors() {
        return errors;
    }

    public ProbePanelViewModel probePanel() {
        return probePanel;
    }

    public ObservableList<ProbeRow> probes() {
        return probePanel.probes();
    }

    public FilterViewModel filter() {
        return filter;
    }

    public EventTableViewModel table() {
        return table;
    }

    public DetailViewModel detail() {
        return detail;
    }

    public HexViewModel hex() {
        return hex;
    }

    public TimelineViewModel timeline() {
        return timeline;
    }

    public StatusViewModel status() {
        return status;
    }

    public ExportViewModel export() {
        return export;
    }

    /** Seq numbers of the rows shown; cells decode on demand through {@link #record(long)}. */
    public ObservableList<Long> rows() {
        return table.rows();
    }

    public ReadOnlyObjectProperty<ShownCapture> captureProperty() {
        return capture.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The status bar's event counts. */
    public ReadOnlyStringProperty statusProperty() {
        return status.eventsProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return errors.messageProperty();
    }

    /** What just happened that is worth a line (saved, opened with a problem…). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** True while a file is being opened or saved. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** How Open, Save, Export and the library picker ask for a file. */
    public void setPathChooser(PathChooser newChooser) {
        this.chooser = newChooser;
    }

    public PathChooser pathChooser() {
        return chooser;
    }

    /** The decoded record for a row, or null if it cannot be decoded (the error line says why). */
    public DecodedRecord record(long seq) {
        return records.get(seq);
    }

    public boolean isLive() {
        return capture.get().isLive();
    }

    /** True when a live capture has events that would be lost by opening another capture or quitting. */
    public boolean hasUnsavedLiveEvents() {
        return live != null && live.store().size() > 0;
    }

    // ---- probes

    public void attachSelected() {
        probePanel.attachSelected();
    }

    /** Detaches the ticked probes; their events stay. */
    public void detachSelected() {
        if (live != null) {
            probePanel.detachSelected(live);
        }
    }

    /**
     * The host's tracepoints and TLS users: read here when the window may (it is root, or offline and
     * shows what it can), asked of the capture helper when the window runs as the user under sudo.
     */
    public HostFacts hostFacts() {
        if (HelperConnection.inherited().isEmpty()) {
            return HostFacts.local();
        }
        return HelperProtocol.askedOf(what -> {
            try {
                return startLive().query(what);
            } catch (BpfException e) {
                throw new IOException(e.getMessage(), e);
            }
        });
    }

    private synchronized LiveCapture startLive() throws BpfException, IOException {
        if (live == null) {
            if (helper == null) {
                // Under sudo the root parent is our helper; a window that is root itself starts its own.
                helper = HelperConnection.inherited().orElse(null);
                if (helper == null) {
                    helper = HelperConnection.spawn();
                }
            }
            live = LiveCapture.start(helper, Path.of(System.getProperty("java.io.tmpdir")), EventStore.DEFAULT_MEMORY_BUDGET);
        }
        return live;
    }

    private void showLive() {
        LiveCapture current;
        synchronized (this) {
            current = live;
        }
        if (liveShown == null || capture.get() != liveShown) {
            liveShown = ShownCapture.of(current);
            show(liveShown);
            title.set("bpfscope — live");
        } else {
            liveShown.refreshHeader();
        }
    }

    // ---- files

    /** Asks for a capture and opens it. */
    public void open() {
        chooser.open("Open a capture", List.of(PathChooser.FileType.CAPTURE, PathChooser.FileType.ANY))
                .ifPresent(path -> open(path.toString()));
    }

    /** Opens a capture file in the background; a live capture, if any, is stopped once it has opened. */
    public void open(String file) {
        if (file.equals("-")) {
            openStdin();
            return;
        }
        Path path = Path.of(file);
        busy.set(true);
        notice.set("opening " + file + "…");
        tasks.run("open " + file, () -> EventStore.index(path), index -> {
            busy.set(false);
            stopLive();
            show(ShownCapture.of(index, path));
            title.set("bpfscope — " + path.getFileName());
            notice.set("");
            if (!index.problem().isEmpty()) {
                errors.show(index.problem().get());
            } else {
                errors.clear();
            }
            try {
                settings.addRecentFile(path.toAbsolutePath().toString());
            } catch (IOException e) {
                errors.show("saving the list of recent files", e);
            }
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show("opening " + file, failure);
        });
    }

    /**
     * {@code gui -}: a capture arriving on stdin, e.g. from
     * {@code ssh host sudo bpfscope record -o -}; rows appear as it comes.
     */
    private void openStdin() {
        busy.set(true);
        notice.set("waiting for a capture on stdin…");
        tasks.run("read stdin", () -> StreamCapture.start(System.in, "stdin",
                Path.of(System.getProperty("java.io.tmpdir")), EventStore.DEFAULT_MEMORY_BUDGET), stream -> {
            busy.set(false);
            notice.set("");
            stopLive();
            show(ShownCapture.of(stream));
            title.set("bpfscope — stdin from " + (stream.header().hostname().isEmpty() ? "a pipe" : stream.header().hostname()));
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show("reading a capture from stdin", failure);
        });
    }

    /** Shows a capture that someone else fills (the pulse benchmark feeds a store at a set rate). */
    public void showFilledElsewhere(ShownCapture filled) {
        show(filled);
        title.set("bpfscope — " + filled.header().hostname());
    }

    private void show(ShownCapture next) {
        ShownCapture previous = capture.get();
        records.clear();
        capture.set(next);
        status.reset();
        table.show(next);
        timeline.show(next);
        showSelected(0);
        if (previous != next && previous.stream().isPresent()) {
            closeStream(previous);
        } else if (previous.isFile() && previous != next) {
            try {
                previous.store().close();
            } catch (IOException e) {
                errors.show("closing " + previous.file().map(Path::toString).orElse("the capture"), e);
            }
        }
    }

    /** Ends the live capture (its events go with it unless saved). */
    private void stopLive() {
        LiveCapture ending;
        synchronized (this) {
            ending = live;
            live = null;
        }
        if (ending == null) {
            return;
        }
        probePanel.allDetached();
        liveShown = null;
        try {
            ending.close();
        } catch (IOException e) {
            errors.show("closing the live capture", e);
        }
    }

    /** Asks where, then saves the capture on screen as a .bscap. */
    public void save() {
        if (capture.get().file().isEmpty()) {
            errors.show("nothing to save yet: attach a probe or open a capture");
            return;
        }
        String name = "bpfscope-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".bscap";
        chooser.save("Save capture", name, List.of(PathChooser.FileType.CAPTURE)).ifPresent(this::saveTo);
    }

    public void saveTo(Path target) {
        ShownCapture saved = capture.get();
        busy.set(true);
        notice.set("saving to " + target + "…");
        tasks.run("save " + target, () -> CaptureSaver.save(saved, target, n -> { }, () -> false), events -> {
            busy.set(false);
            notice.set(String.format("saved %,d events to %s", events, target));
            try {
                settings.addRecentFile(target.toAbsolutePath().toString());
            } catch (IOException e) {
                errors.show("saving the list of recent files", e);
            }
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show("saving to " + target, failure);
        });
    }

    // ---- selection, follow, statistics

    private void showSelected(long seq) {
        DecodedRecord record = seq > 0 ? records.get(seq) : null;
        if (record == null) {
            detail.show(null, 0);
            hex.clear();
            return;
        }
        RawRecord raw = capture.get().store().get(seq);
        detail.show(record, raw.length());
        DecodedEvent.Payload payload = record.event().payload();
        if (payload != null) {
            hex.showPayload(payload);
        } else {
            hex.showRawRecord(raw.copy());
        }
    }

    /** Selects event {@code seq} (or the first shown after it). */
    public void goTo(long seq) {
        if (seq < 1 || seq > capture.get().store().size()) {
            errors.show(String.format("there is no event %d: this capture has %,d", seq, capture.get().store().size()));
            return;
        }
        table.reveal(seq);
    }

    /** "Apply as filter" from a cell or a field. */
    public void applyAsFilter(String expression, FilterExpressions.Join join) {
        filter.applyAs(expression, join);
    }

    /** The conversation of event {@code seq}, ready to load; empty (and the error line says why) when it has none. */
    public Optional<FollowViewModel> follow(long seq) {
        DecodedRecord record = records.get(seq);
        if (record == null) {
            errors.show("select an event to follow its stream");
            return Optional.empty();
        }
        Optional<String> key = FollowViewModel.keyOf(record);
        if (key.isEmpty()) {
            errors.show("event " + seq + " (" + record.probe() + ") has no stream: follow works on tls, unix and tcp events");
            return Optional.empty();
        }
        return Optional.of(new FollowViewModel(capture.get(), key.get(), tasks, errors, chooser));
    }

    public StatisticsViewModel statistics() {
        return new StatisticsViewModel(capture::get, table::shownSeqs, timeline::lost, tasks, errors);
    }

    // ---- pulse and lifetime

    /** Called on every UI pulse: new rows (bounded work), the timeline, the status bar. */
    public void pulse() {
        ShownCapture shown = capture.get();
        table.pulse();
        timeline.pulse();
        status.update(shown, table.rows().size(), table.isFiltered(), table.filterProgressProperty().get(),
                System.nanoTime());
        if (!liveFailureShown && shown.live().isPresent() && shown.live().get().failure() != null) {
            liveFailureShown = true;
            errors.show("the live capture stopped taking events", shown.live().get().failure());
        }
    }

    /** Detaches everything and deletes the live capture's private file; called when the window closes. */
    public void close() {
        stopLive();
        synchronized (this) {
            if (helper != null) {
                helper.close(); // the helper detaches everything and exits
                helper = null;
            }
        }
        closeStream(capture.get());
        if (capture.get().isFile()) {
            try {
                capture.get().store().close();
            } catch (IOException e) {
                errors.show("closing the capture", e);
            }
        }
    }

    private void closeStream(ShownCapture shown) {
        shown.stream().ifPresent(stream -> {
            try {
                stream.close();
            } catch (IOException e) {
                errors.show("closing the capture read from stdin", e);
            }
        });
    }
}
