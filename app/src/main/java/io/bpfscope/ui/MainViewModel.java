package io.bpfscope.ui;

import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.RecordCache;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import io.bpfscope.ui.common.UiSettings;
import io.bpfscope.ui.detail.DetailViewModel;
import io.bpfscope.ui.files.ExportViewModel;
import io.bpfscope.ui.filter.FilterExpressions;
import io.bpfscope.ui.filter.FilterViewModel;
import io.bpfscope.ui.follow.FollowViewModel;
import io.bpfscope.ui.hex.HexViewModel;
import io.bpfscope.ui.probes.ProbePanelViewModel;
import io.bpfscope.ui.probes.ProbeRow;
import io.bpfscope.ui.sources.SourcesViewModel;
import io.bpfscope.ui.stats.StatisticsViewModel;
import io.bpfscope.ui.status.StatusViewModel;
import io.bpfscope.ui.table.EventTableViewModel;
import io.bpfscope.ui.timeline.TimelineViewModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;

/**
 * The main window's state, composed of one view model per pane: probe
 * panel, filter bar, event table, detail tree and hex pane (the
 * {@link SelectedEvent}), timeline, status bar; plus what they share — the
 * {@link CaptureOnScreen}, the {@link LiveSession} behind it, the record
 * cache, the one error display. Work that touches the kernel or files runs
 * through the {@link TaskRunner}; the rest is on the FX thread.
 */
public final class MainViewModel {
    private final String offlineReason;
    private final TaskRunner tasks;
    private final UiSettings settings;
    private final ErrorDisplay errors = new ErrorDisplay();
    private final CaptureOnScreen onScreen;
    private final LiveSession live;
    private final RecordCache records;
    private final ProbePanelViewModel probePanel;
    private final FilterViewModel filter;
    private final EventTableViewModel table;
    private final SelectedEvent selected;
    private final TimelineViewModel timeline;
    private final StatusViewModel status = new StatusViewModel();
    private final ExportViewModel export;
    private final SourcesViewModel sources;
    private PathChooser chooser = PathChooser.NONE;

    public MainViewModel(String offlineReason, TaskRunner tasks) {
        this(offlineReason, tasks, UiSettings.inMemory());
    }

    public MainViewModel(String offlineReason, TaskRunner tasks, UiSettings settings) {
        this.offlineReason = offlineReason;
        this.tasks = tasks;
        this.settings = settings;
        this.onScreen = new CaptureOnScreen(offlineReason == null ? "bpfscope" : "bpfscope — offline", tasks,
                errors, settings, () -> chooser, this::showPanes, this::stopLive, this::anyAttached);
        this.live = new LiveSession(errors, onScreen::get, onScreen::showLive, this::liveEnded);
        this.records = new RecordCache(onScreen::get, errors);
        this.probePanel = new ProbePanelViewModel(offlineReason, tasks, errors, live, () -> chooser);
        this.filter = new FilterViewModel(errors, settings);
        filter.setFieldSource(() -> RecordDecoder.fieldNames(onScreen.get().header()));
        this.table = new EventTableViewModel(tasks, errors, records);
        this.timeline = new TimelineViewModel(tasks, errors, filter::applyTimeSpan, table::reveal);
        this.export = new ExportViewModel(onScreen::get, table::predicate, tasks, errors, () -> chooser);
        this.selected = new SelectedEvent(onScreen::get, records, table, tasks, errors, () -> chooser);
        filter.predicateProperty().addListener((obs, old, predicate) -> table.filter(predicate));
        this.sources = new SourcesViewModel(errors, onScreen::showStream);
    }

    /** Several sources at once: remote hosts over ssh, stdin, files (see {@code ui.sources}). */
    public SourcesViewModel sources() {
        return sources;
    }

    /**
     * What {@code gui} was given: one capture opens as a file (or stdin); several, or a remote host
     * ({@code ssh://USER@HOST}), are shown merged, each source with its state.
     */
    public void openAll(List<String> arguments) {
        if (arguments.size() == 1 && !SourcesViewModel.isRemote(arguments.get(0))) {
            open(arguments.get(0));
        } else if (!arguments.isEmpty()) {
            sources.open(arguments);
        }
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

    /** Which capture is shown; opening, saving. */
    public CaptureOnScreen onScreen() {
        return onScreen;
    }

    /** The selected event's detail tree and bytes. */
    public SelectedEvent selected() {
        return selected;
    }

    public DetailViewModel detail() {
        return selected.detail();
    }

    public HexViewModel hex() {
        return selected.hex();
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
        return onScreen.captureProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return onScreen.titleProperty();
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
        return onScreen.noticeProperty();
    }

    /** True while a file is being opened or saved. */
    public ReadOnlyBooleanProperty busyProperty() {
        return onScreen.busyProperty();
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
        return onScreen.get().isLive();
    }

    /**
     * How many events would be lost by opening another capture, starting a new live one, closing or
     * quitting: those of the live (or streamed) capture on screen not saved since they arrived.
     */
    public long unsavedEvents() {
        return onScreen.unsavedEvents();
    }

    /** True while a probe is attached to the live capture on screen. */
    public boolean isRecording() {
        return onScreen.isRecording();
    }

    // ---- probes

    public void attachSelected() {
        probePanel.attachSelected();
    }

    /**
     * True when Attach would start a new live capture in place of a stopped one that holds events
     * (as Wireshark's Start after Stop does), rather than add probes to the capture that is recording.
     */
    public boolean attachStartsNewCapture() {
        return isLive() && !probePanel.anyAttached() && onScreen.get().store().size() > 0;
    }

    /** Attach: a new live capture when the one on screen is stopped (see {@link #attachStartsNewCapture}). */
    public void attachAfresh() {
        if (!probePanel.hasTicked()) {
            probePanel.attachSelected(); // says what to do
            return;
        }
        if (attachStartsNewCapture()) {
            live.stop();
        }
        probePanel.attachSelected();
    }

    /** Detaches the ticked probes; their events stay. */
    public void detachSelected() {
        probePanel.detachSelected();
    }

    /** The host's tracepoints and TLS users (see {@link LiveSession#hostFacts()}). */
    public HostFacts hostFacts() {
        return live.hostFacts();
    }

    private boolean anyAttached() {
        return probePanel.anyAttached();
    }

    private void stopLive() {
        live.stop();
    }

    private void liveEnded() {
        probePanel.allDetached();
    }

    /** File > Close: the capture on screen goes (the caller asked about unsaved events first). */
    public void closeCapture() {
        onScreen.closeCapture();
    }

    // ---- files

    /** Asks for a capture and opens it. */
    public void open() {
        onScreen.open();
    }

    /** Opens a capture file in the background; a live capture, if any, is stopped once it has opened. */
    public void open(String file) {
        onScreen.open(file);
    }

    /**
     * A capture went on screen: every pane starts over with it; a live or streamed one is followed as
     * it grows; a file's probes are not the probe panel's, which starts over too.
     */
    private void showPanes(ShownCapture next) {
        records.clear();
        status.reset();
        table.show(next);
        timeline.show(next);
        selected.show(0);
        if (next.isLive() || next.stream().isPresent()) {
            table.followingProperty().set(true);
        } else {
            probePanel.reset();
        }
    }

    /** Asks where, then saves the capture on screen as a .bscap. */
    public void save() {
        onScreen.save();
    }

    public void saveTo(Path target) {
        onScreen.saveTo(target);
    }

    /** Asks where, saves, then runs {@code then} once the save succeeded. */
    public void saveThen(Runnable then) {
        onScreen.saveThen(then);
    }

    // ---- selection, follow, statistics

    /**
     * Selects event {@code seq}. When the filter hides it, the filter text is widened to show it
     * ({@code (filter) || seq == 42}), so the bar still says what the table shows.
     */
    public void goTo(long seq) {
        if (table.isFiltered() && seq >= 1 && seq <= onScreen.get().store().size()) {
            DecodedRecord record = records.get(seq);
            if (record != null && !table.predicate().test(record)) {
                filter.applyAs("seq == " + seq, FilterExpressions.Join.OR);
            }
        }
        selected.goTo(seq);
    }

    /** "Apply as filter" from a cell or a field. */
    public void applyAsFilter(String expression, FilterExpressions.Join join) {
        filter.applyAs(expression, join);
    }

    /** The conversation of event {@code seq}, ready to load; empty (and the error line says why) when it has none. */
    public Optional<FollowViewModel> follow(long seq) {
        return selected.follow(seq);
    }

    public StatisticsViewModel statistics() {
        return new StatisticsViewModel(onScreen::get, table::shownSeqs, timeline::lost, tasks, errors);
    }

    // ---- pulse and lifetime

    /** Called on every UI pulse: new rows (bounded work), the timeline, the status bar. */
    public void pulse() {
        ShownCapture shown = onScreen.get();
        sources.pulse(shown);
        table.pulse();
        timeline.pulse();
        status.update(shown, onScreen.isRecording(), onScreen.unsavedEvents(), table.rows().size(), table.isFiltered(),
                table.filterProgressProperty().get(), System.nanoTime());
        onScreen.checkLive();
    }

    /** Detaches everything and deletes the live capture's private file; called when the window closes. */
    public void close() {
        sources.close();
        live.close();
        onScreen.close();
    }
}
