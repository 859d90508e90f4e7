package io.bpfscope.ui.generic;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.probes.DurationText;
import io.bpfscope.probes.functop.FunctionStats;
import io.bpfscope.probes.functop.FunctionTargets;
import io.bpfscope.probes.functop.Functop;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The functop window: a process or a library, a pattern, and the live table
 * the kernel's per-function stats fill. Attaching and detaching run as tasks
 * (hundreds of uprobes take a while); {@link #refresh()} reads the map, which
 * is quick, on the caller's thread. FX thread only.
 */
public final class FunctopViewModel {
    /** One function's row, as shown. */
    public record Row(String function, long count, long totalNs, long averageNs, long minNs, long maxNs, long p99Ns) {
        public String total() {
            return DurationText.of(totalNs);
        }

        public String average() {
            return DurationText.of(averageNs);
        }

        public String min() {
            return DurationText.of(minNs);
        }

        public String max() {
            return DurationText.of(maxNs);
        }

        public String p99() {
            return DurationText.of(p99Ns);
        }
    }

    private final TaskRunner tasks;
    private final StringProperty pid = new SimpleStringProperty("");
    private final StringProperty library = new SimpleStringProperty("");
    private final StringProperty match = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("Give a pid or a library and a pattern, then Start.");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private Functop functop;

    public FunctopViewModel(TaskRunner tasks) {
        this.tasks = tasks;
    }

    public StringProperty pidProperty() {
        return pid;
    }

    public StringProperty libraryProperty() {
        return library;
    }

    public StringProperty matchProperty() {
        return match;
    }

    /** One line: what is attached, or why not. */
    public StringProperty statusProperty() {
        return status;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Attaching or detaching. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The functions called so far, busiest (by total time) first. */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** Finds the matching functions and attaches to them; the status line says how it went. */
    public void start() {
        if (running.get() || busy.get()) {
            return;
        }
        int processId;
        Pattern pattern;
        String file = library.get().strip();
        try {
            processId = pid.get().isBlank() ? 0 : Integer.parseInt(pid.get().strip());
            pattern = Pattern.compile(match.get());
        } catch (NumberFormatException e) {
            status.set("the pid must be a number, not '" + pid.get() + "'");
            return;
        } catch (PatternSyntaxException e) {
            status.set("the pattern is not a regular expression: " + e.getDescription());
            return;
        }
        if ((processId > 0) == !file.isEmpty()) {
            status.set("give a pid (its executable and libraries) or a library file, one of them");
            return;
        }
        if (match.get().isBlank()) {
            status.set("give a pattern, e.g. ^SSL_ or ^(malloc|free)$");
            return;
        }
        busy.set(true);
        if (io.bpfscope.capture.helper.HelperConnection.inherited().isPresent()) {
            // Under sudo the window runs as the user; functop loads its own BPF and only the helper may.
            status.set("functop needs root, which this window gave up to the capture helper: in a terminal run "
                    + "sudo ./bpfscope functop " + (processId > 0 ? "--pid " + processId : "--lib " + file)
                    + " --match '" + pattern.pattern() + "'");
            return;
        }
        status.set("attaching…");
        List<String> warnings = new ArrayList<>();
        // The status is set before busy drops: whoever waits for busy reads how it went.
        tasks.run("functop attach", () -> attach(processId, file, pattern, warnings), attached -> {
            functop = attached;
            rows.clear();
            status.set("attached to " + attached.targets().size() + " functions"
                    + (warnings.isEmpty() ? "" : "; " + warnings.size() + " skipped (first: " + warnings.get(0) + ")"));
            running.set(true);
            busy.set(false);
        }, failure -> {
            status.set(failure.getMessage());
            busy.set(false);
        });
    }

    private static Functop attach(int pid, String file, Pattern pattern, List<String> warnings)
            throws IOException, BpfException {
        List<FunctionTargets.Target> targets = pid > 0 ? FunctionTargets.inProcess(pid, pattern, warnings::add)
                : FunctionTargets.inFile(Path.of(file), pattern, warnings::add);
        if (targets.isEmpty()) {
            throw new IOException("no function matches '" + pattern + "' in " + (pid > 0 ? "process " + pid : file));
        }
        if (targets.size() > Functop.DEFAULT_LIMIT) {
            throw new IOException(targets.size() + " functions match; narrow the pattern (at most "
                    + Functop.DEFAULT_LIMIT + ")");
        }
        return Functop.attach(targets, pid, warnings::add);
    }

    /** Reads the kernel's stats into the table. */
    public void refresh() {
        if (functop == null) {
            return;
        }
        try {
            Map<FunctionTargets.Target, FunctionStats> stats = functop.read();
            rows.setAll(stats.entrySet().stream().filter(e -> e.getValue().count() > 0)
                    .map(e -> row(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingLong(Row::totalNs).reversed())
                    .toList());
        } catch (BpfException e) {
            status.set("reading the stats failed: " + e.getMessage());
        }
    }

    static Row row(FunctionTargets.Target target, FunctionStats s) {
        return new Row(target.shortName(), s.count(), s.totalNs(), s.averageNs(), s.minNs(), s.maxNs(), s.quantileNs(0.99));
    }

    /** Detaches everything (as a task); the table keeps its last numbers. */
    public void stop() {
        Functop attached = functop;
        if (attached == null) {
            return;
        }
        refresh();
        functop = null;
        running.set(false);
        busy.set(true);
        status.set("detaching…");
        tasks.run("functop detach", () -> {
            attached.close();
            return attached.targets().size();
        }, n -> {
            status.set("detached from " + n + " functions");
            busy.set(false);
        }, failure -> {
            status.set(failure.getMessage());
            busy.set(false);
        });
    }
}
