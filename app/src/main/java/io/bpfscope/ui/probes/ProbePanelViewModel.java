package io.bpfscope.ui.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.capture.helper.HelperConnection;
import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.capture.helper.LiveCapture.AttachedProbe;
import io.bpfscope.capture.helper.LiveCapture;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The probe panel: the catalog with tick boxes and options; Attach attaches
 * every ticked probe on its own task, so one that fails (its row says why)
 * stops no other. FX thread only.
 */
public final class ProbePanelViewModel {
    /**
     * The live capture the probes attach to (the main window's {@link LiveCapture}, started on first
     * use); an interface so that a test can attach without a capture helper.
     */
    public interface LiveCaptures {
        /** Attaches {@code probe} to the live capture, starting it first if need be. Any thread. */
        AttachedProbe attach(Probe probe, ProbeOptions options) throws BpfException, IOException;

        /** Detaches {@code probe}; its events stay. FX thread. */
        void detach(AttachedProbe probe) throws IOException;

        /** A probe was attached (FX thread): show the live capture, decode the new probe's records. */
        void attached();

        /** What the host offers (tracepoints, TLS users), as whoever may read it says. */
        HostFacts hostFacts();
    }

    private final String offlineReason;
    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final LiveCaptures live;
    private final Supplier<PathChooser> chooser;
    private final ObservableList<ProbeRow> probes = FXCollections.observableArrayList();
    private final ObjectProperty<ProbeRow> editing = new SimpleObjectProperty<>();
    /** Off (the default): the kernel filters keep bpfscope's own processes out of the probes attached next. */
    private final BooleanProperty includeSelf = new SimpleBooleanProperty(false);
    private final ReadOnlyStringWrapper attachBlocked = new ReadOnlyStringWrapper("");

    public ProbePanelViewModel(String offlineReason, TaskRunner tasks, ErrorDisplay errors, LiveCaptures live,
                               Supplier<PathChooser> chooser) {
        this.offlineReason = offlineReason;
        this.tasks = tasks;
        this.errors = errors;
        this.live = live;
        this.chooser = chooser;
        for (Probe probe : ProbeCatalog.all()) {
            probes.add(new ProbeRow(probe, offlineReason == null ? HelperConnection.unavailableReason(probe) : "offline"));
        }
        editing.set(probes.get(0));
        probes.addListener((ListChangeListener<ProbeRow>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(this::watch);
            }
        });
        probes.forEach(this::watch);
    }

    /** A ticked probe whose options do not check out keeps Attach disabled. */
    private void watch(ProbeRow row) {
        row.problem().addListener((obs, old, now) -> updateAttachBlocked());
        row.selectedProperty().addListener((obs, old, now) -> updateAttachBlocked());
        row.loadedProperty().addListener((obs, old, now) -> updateAttachBlocked());
        updateAttachBlocked();
    }

    private void updateAttachBlocked() {
        attachBlocked.set(probes.stream().filter(r -> r.selectedProperty().get() && r.loadedProperty().get() == null)
                .map(r -> r.problem().get()).filter(p -> !p.isEmpty()).findFirst().orElse(""));
    }

    /**
     * Why Attach cannot run now — a ticked probe's option that does not check out, e.g.
     * {@code tls: pid must be a number, not 'abc'} — or empty.
     */
    public ReadOnlyStringProperty attachBlockedProperty() {
        return attachBlocked.getReadOnlyProperty();
    }

    /** True when a probe is ticked that is not attached yet. */
    public boolean hasTicked() {
        return probes.stream().anyMatch(r -> r.selectedProperty().get() && r.loadedProperty().get() == null);
    }

    /** A file went on screen: the panel starts over (no states, failures or options of the session before). */
    public void reset() {
        probes.forEach(ProbeRow::reset);
    }

    /** The host's tracepoints and TLS users, for the dialogs of the panel. */
    public HostFacts hostFacts() {
        return live.hostFacts();
    }

    /** How the dialogs of the panel read files and ask the host without blocking the FX thread. */
    public TaskRunner tasks() {
        return tasks;
    }

    /** How dialogs of the panel ask for a file. */
    public PathChooser pathChooser() {
        return chooser.get();
    }

    public boolean isOffline() {
        return offlineReason != null;
    }

    public ObservableList<ProbeRow> probes() {
        return probes;
    }

    /** The probe whose options the panel shows. */
    public ObjectProperty<ProbeRow> editingProperty() {
        return editing;
    }

    /** Whether probes attached from now on trace bpfscope itself (the window, its helper, their children). */
    public BooleanProperty includeSelfProperty() {
        return includeSelf;
    }

    /** Attaches every ticked probe that is not attached yet, each on its own. */
    public void attachSelected() {
        if (isOffline()) {
            errors.show(ErrorDisplay.Kind.CAPTURE, "offline: " + offlineReason);
            return;
        }
        if (!attachBlocked.get().isEmpty()) {
            errors.show(ErrorDisplay.Kind.CAPTURE, attachBlocked.get());
            return;
        }
        List<ProbeRow> attaching = probes.stream().filter(row -> row.selectedProperty().get()
                && row.loadedProperty().get() == null && !row.stateProperty().get().equals("attaching…")).toList();
        if (attaching.isEmpty()) {
            errors.show(ErrorDisplay.Kind.CAPTURE, "tick the probes to attach first");
            return;
        }
        // One Attach is one action: its error banner (an earlier one's too) goes only when all of it worked.
        boolean[] anyFailed = {false};
        int[] pending = {attaching.size()};
        for (ProbeRow row : attaching) {
            ProbeOptions options = row.options().withIncludeSelf(includeSelf.get());
            row.stateProperty().set("attaching…");
            row.failureProperty().set(null);
            tasks.run("attach " + row.probe().name(), () -> live.attach(row.probe(), options),
                    loaded -> {
                        row.loadedProperty().set(loaded);
                        row.stateProperty().set(loaded.warnings().isEmpty() ? "attached"
                                : "attached (" + loaded.warnings().size() + " skipped)");
                        live.attached();
                        if (--pending[0] == 0 && !anyFailed[0]) {
                            errors.succeeded(ErrorDisplay.Kind.CAPTURE);
                        }
                    },
                    failure -> {
                        pending[0]--;
                        anyFailed[0] = true;
                        row.stateProperty().set("failed");
                        row.failureProperty().set(failure);
                        errors.show(ErrorDisplay.Kind.CAPTURE, withProbeName(row, failure));
                    });
        }
    }

    /** {@code tls: why}, without doubling a name the failure's own sentence starts with. */
    static String withProbeName(ProbeRow row, Throwable failure) {
        String why = ErrorDisplay.describe(failure);
        String name = row.probe().name();
        return why.startsWith(name + ":") || why.startsWith(name + " ") ? why : name + ": " + why;
    }

    /** Detaches the ticked probes; their events stay. */
    public void detachSelected() {
        for (ProbeRow row : probes) {
            AttachedProbe loaded = row.loadedProperty().get();
            if (row.selectedProperty().get() && loaded != null) {
                try {
                    live.detach(loaded);
                    row.stateProperty().set("detached");
                } catch (IOException e) {
                    row.stateProperty().set("detached (" + e.getMessage() + ")");
                    errors.show(ErrorDisplay.Kind.CAPTURE, "detaching " + row.probe().name(), e);
                }
                row.loadedProperty().set(null);
            }
        }
    }

    /** The live capture ended: nothing is attached any more. */
    public void allDetached() {
        for (ProbeRow row : probes) {
            if (row.loadedProperty().get() != null) {
                row.loadedProperty().set(null);
                row.stateProperty().set("detached");
            }
        }
    }

    public boolean anyAttached() {
        return probes.stream().anyMatch(r -> r.loadedProperty().get() != null);
    }

    /** Adds a probe chosen at run time (a tracepoint, a function), ticked and shown; an equal one is reused. */
    public ProbeRow add(Probe probe) {
        ProbeRow row = probes.stream().filter(r -> r.probe().equals(probe)).findFirst().orElseGet(() -> {
            ProbeRow added = new ProbeRow(probe, offlineReason == null ? HelperConnection.unavailableReason(probe) : "offline");
            probes.add(added);
            return added;
        });
        row.selectedProperty().set(true);
        editing.set(row);
        return row;
    }

    /** The TLS coverage map's one click: tls on {@code library}, for process {@code pid} only, attached now. */
    public void traceTls(int pid, java.nio.file.Path library) {
        ProbeRow tls = probes.stream().filter(ProbeRow::takesLibraries).findFirst().orElseThrow();
        if (tls.loadedProperty().get() != null) {
            errors.show(ErrorDisplay.Kind.CAPTURE, "tls is attached already: detach it first to trace pid " + pid + " with " + library);
            return;
        }
        if (!tls.libraries().contains(library)) {
            tls.libraries().add(library);
        }
        tls.pidProperty().set(Integer.toString(pid));
        probes.forEach(r -> r.selectedProperty().set(r == tls));
        editing.set(tls);
        attachSelected();
    }

    /** Asks for a TLS library file to trace besides those found. */
    public void addLibrary(ProbeRow row) {
        chooser.get().open("A TLS library or a binary with TLS built in", List.of(
                new PathChooser.FileType("Shared libraries (*.so*)", List.of("*.so", "*.so.*")), PathChooser.FileType.ANY))
                .ifPresent(path -> {
                    if (!row.libraries().contains(path)) {
                        row.libraries().add(path);
                    }
                });
    }
}
