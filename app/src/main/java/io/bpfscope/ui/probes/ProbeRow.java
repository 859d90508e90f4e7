package io.bpfscope.ui.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.VerifierException;
import io.bpfscope.capture.helper.LiveCapture.AttachedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import java.nio.file.Path;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One probe in the probe panel: ticked or not, its options (pid, comm,
 * payload limit, TLS libraries), and its state — attached, or failed with the
 * reason and the details behind it. FX thread only.
 */
public final class ProbeRow {
    private final Probe probe;
    private final BooleanProperty selected = new SimpleBooleanProperty();
    private final StringProperty state = new SimpleStringProperty("");
    private final ObjectProperty<AttachedProbe> loaded = new SimpleObjectProperty<>();
    private final ObjectProperty<Throwable> failure = new SimpleObjectProperty<>();
    private final StringProperty pid = new SimpleStringProperty("");
    private final StringProperty comm = new SimpleStringProperty("");
    private final StringProperty maxPayload = new SimpleStringProperty(Integer.toString(ProbeOptions.DEFAULT_MAX_PAYLOAD));
    private final ObservableList<Path> libraries = FXCollections.observableArrayList();

    ProbeRow(Probe probe, String initialState) {
        this.probe = probe;
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

    /**
     * The options as typed.
     *
     * @throws IllegalArgumentException with a sentence naming the bad field
     */
    public ProbeOptions options() {
        ProbeOptions options = ProbeOptions.defaults();
        String pidText = pid.get().strip();
        if (!pidText.isEmpty()) {
            options = options.withPid(number(pidText, "pid"));
        }
        String commText = comm.get().strip();
        if (commText.length() > 15) {
            throw new IllegalArgumentException(probe.name() + ": comm is at most 15 characters (the kernel's limit), not '"
                    + commText + "'");
        }
        options = options.withComm(commText);
        String limit = maxPayload.get().strip().toLowerCase(java.util.Locale.ROOT);
        int multiplier = 1;
        if (limit.endsWith("k")) {
            multiplier = 1024;
            limit = limit.substring(0, limit.length() - 1);
        }
        int bytes = number(limit, "payload limit") * multiplier;
        if (bytes <= 0) {
            throw new IllegalArgumentException(probe.name() + ": the payload limit must be positive, not " + bytes);
        }
        options = options.withMaxPayload(bytes);
        if (takesLibraries() && !libraries.isEmpty()) {
            options = options.withLibraries(java.util.List.copyOf(libraries));
        }
        return options;
    }

    private int number(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(probe.name() + ": " + what + " must be a number, not '" + text + "'");
        }
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
