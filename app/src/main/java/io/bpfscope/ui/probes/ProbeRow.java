package io.bpfscope.ui.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.VerifierException;
import io.bpfscope.capture.helper.LiveCapture.AttachedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One probe in the probe panel: ticked or not, its options (pid, tid, uid,
 * comm, payload limit, TLS libraries), each checked as it is typed — its
 * problem, empty when it is valid — and its state: attached, or failed with
 * the reason and the details behind it. FX thread only.
 */
public final class ProbeRow {
    /** The kernel keeps 15 bytes of a task's name (TASK_COMM_LEN 16, with its NUL). */
    static final int COMM_BYTES = 15;

    private final Probe probe;
    private final String initialState;
    private final BooleanProperty selected = new SimpleBooleanProperty();
    private final StringProperty state = new SimpleStringProperty("");
    private final ObjectProperty<AttachedProbe> loaded = new SimpleObjectProperty<>();
    private final ObjectProperty<Throwable> failure = new SimpleObjectProperty<>();
    private final StringProperty pid = new SimpleStringProperty("");
    private final StringProperty tid = new SimpleStringProperty("");
    private final StringProperty uid = new SimpleStringProperty("");
    private final StringProperty comm = new SimpleStringProperty("");
    private final StringProperty maxPayload = new SimpleStringProperty(Integer.toString(ProbeOptions.DEFAULT_MAX_PAYLOAD));
    private final ObservableList<Path> libraries = FXCollections.observableArrayList();
    private final StringBinding pidProblem = problem(pid, text -> id(text, "pid", 1));
    private final StringBinding tidProblem = problem(tid, text -> id(text, "tid", 1));
    private final StringBinding uidProblem = problem(uid, text -> id(text, "uid", 0));
    private final StringBinding commProblem = problem(comm, ProbeRow::commProblem);
    private final StringBinding maxPayloadProblem = problem(maxPayload, ProbeRow::payloadProblem);
    private final StringBinding librariesProblem = Bindings.createStringBinding(this::checkLibraries, libraries);
    private final StringBinding problem = Bindings.createStringBinding(this::firstProblem, pidProblem, tidProblem,
            uidProblem, commProblem, maxPayloadProblem, librariesProblem);

    ProbeRow(Probe probe, String initialState) {
        this.probe = probe;
        this.initialState = initialState;
        this.state.set(initialState);
    }

    public Probe probe() {
        return probe;
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    /** "", "attaching…", "attached", "failed", "detached", or why it cannot attach here. */
    public StringProperty stateProperty() {
        return state;
    }

    public ObjectProperty<AttachedProbe> loadedProperty() {
        return loaded;
    }

    /** Why the last attach failed, or null. */
    public ObjectProperty<Throwable> failureProperty() {
        return failure;
    }

    /** Only this process (empty: any). */
    public StringProperty pidProperty() {
        return pid;
    }

    /** Only this thread (empty: any). */
    public StringProperty tidProperty() {
        return tid;
    }

    /** Only tasks of this user id (empty: any). */
    public StringProperty uidProperty() {
        return uid;
    }

    /** Only tasks with this command name (empty: any). */
    public StringProperty commProperty() {
        return comm;
    }

    /** Payload bytes kept per event. */
    public StringProperty maxPayloadProperty() {
        return maxPayload;
    }

    /** TLS libraries to trace besides those found (tls only). */
    public ObservableList<Path> libraries() {
        return libraries;
    }

    public boolean takesLibraries() {
        return probe.name().equals("tls");
    }

    /** Why the pid typed is not one, or empty. The same for the other options below. */
    public StringBinding pidProblem() {
        return pidProblem;
    }

    public StringBinding tidProblem() {
        return tidProblem;
    }

    public StringBinding uidProblem() {
        return uidProblem;
    }

    public StringBinding commProblem() {
        return commProblem;
    }

    public StringBinding maxPayloadProblem() {
        return maxPayloadProblem;
    }

    public StringBinding librariesProblem() {
        return librariesProblem;
    }

    /** The first option's problem, {@code tls: pid must be a number, not 'abc'}; empty when every option is valid. */
    public StringBinding problem() {
        return problem;
    }

    /** Back to how the panel first showed it: not attached, no failure, options at their defaults (ticks stay). */
    void reset() {
        loaded.set(null);
        failure.set(null);
        state.set(initialState);
        pid.set("");
        tid.set("");
        uid.set("");
        comm.set("");
        maxPayload.set(Integer.toString(ProbeOptions.DEFAULT_MAX_PAYLOAD));
        libraries.clear();
    }

    /**
     * The options as typed.
     *
     * @throws IllegalArgumentException with a sentence naming the bad field (the panel keeps Attach
     *     disabled while {@link #problem()} is not empty, so this is for callers that skip the panel)
     */
    public ProbeOptions options() {
        if (!problem.get().isEmpty()) {
            throw new IllegalArgumentException(problem.get());
        }
        ProbeOptions options = ProbeOptions.defaults().withComm(comm.get().strip())
                .withMaxPayload(payloadBytes(maxPayload.get()));
        if (!pid.get().isBlank()) {
            options = options.withPid(Integer.parseInt(pid.get().strip()));
        }
        if (!tid.get().isBlank()) {
            options = options.withTid(Integer.parseInt(tid.get().strip()));
        }
        if (!uid.get().isBlank()) {
            options = options.withUid(Integer.parseInt(uid.get().strip()));
        }
        if (takesLibraries() && !libraries.isEmpty()) {
            options = options.withLibraries(List.copyOf(libraries));
        }
        return options;
    }

    private static StringBinding problem(StringProperty text, Function<String, String> check) {
        return Bindings.createStringBinding(() -> check.apply(text.get() == null ? "" : text.get().strip()), text);
    }

    private String firstProblem() {
        for (StringBinding each : List.of(pidProblem, tidProblem, uidProblem, commProblem, maxPayloadProblem,
                librariesProblem)) {
            if (!each.get().isEmpty()) {
                return probe.name() + ": " + each.get();
            }
        }
        return "";
    }

    /** A process, thread or user id: empty (any) or a decimal number from {@code least} up. */
    static String id(String text, String what, int least) {
        if (text.isEmpty()) {
            return "";
        }
        if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return what + " must be a number, not '" + text + "' (empty: any)";
        }
        try {
            int value = Integer.parseInt(text);
            return value < least ? what + " must be " + least + " or more (empty: any)" : "";
        } catch (NumberFormatException e) {
            return what + " " + text + " is too large";
        }
    }

    static String commProblem(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return bytes > COMM_BYTES ? "comm is at most " + COMM_BYTES + " bytes (the kernel keeps no more), this is "
                + bytes : "";
    }

    static String payloadProblem(String text) {
        if (!text.toLowerCase(Locale.ROOT).matches("\\d{1,9}k?")) {
            return "the payload limit is a number of bytes, e.g. 4096 or 4k, not '" + text + "'";
        }
        int bytes = payloadBytes(text);
        return bytes < 1 || bytes > ProbeOptions.DEFAULT_MAX_PAYLOAD
                ? "the payload limit is from 1 byte to 32k, not " + text : "";
    }

    private static int payloadBytes(String text) {
        String limit = text.strip().toLowerCase(Locale.ROOT);
        return limit.endsWith("k") ? Integer.parseInt(limit.substring(0, limit.length() - 1)) * 1024
                : Integer.parseInt(limit);
    }

    private String checkLibraries() {
        for (Path library : libraries) {
            if (!Files.isRegularFile(library)) {
                return library + " is not a file";
            }
        }
        return "";
    }

    /** What the failure's "details" shows: libbpf's log or the verifier's; empty when there is nothing more. */
    public String failureDetails() {
        Throwable t = failure.get();
        if (t instanceof VerifierException && !((VerifierException) t).verifierLog().isBlank()) {
            return ((VerifierException) t).verifierLog();
        }
        if (t instanceof BpfException) {
            return ((BpfException) t).details();
        }
        return "";
    }
}
