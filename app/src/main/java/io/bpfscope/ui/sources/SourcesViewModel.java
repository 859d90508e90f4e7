package io.bpfscope.ui.sources;

import io.bpfscope.capture.live.MergedSources;
import io.bpfscope.capture.live.RemoteCommand;
import io.bpfscope.capture.live.StreamCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.ShownCapture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The window's sources when it shows several at once ({@code gui ssh://USER@HOST ...}, File → Add remote
 * host…): one {@link MergedSources} put on screen as a stream, and each source's state for the
 * {@link SourcesBar}. Opening something else on screen stops the sources. FX thread only.
 */
public final class SourcesViewModel {
    /** What a remote source records unless told otherwise: {@code record}'s probes, ssh's options, the launcher there. */
    public record RemoteDefaults(List<String> probes, List<String> sshOptions, String remoteBpfscope) {
        public RemoteDefaults {
            probes = List.copyOf(probes);
            sshOptions = List.copyOf(sshOptions);
        }
    }

    private final ErrorDisplay errors;
    private final BiConsumer<StreamCapture, String> showStream;
    private final ObservableList<MergedSources.Status> statuses = FXCollections.observableArrayList();
    private RemoteDefaults defaults = new RemoteDefaults(List.of("exec"), List.of(), "bpfscope");
    private MergedSources current;

    /** {@code showStream}: puts the merged stream on screen with a window title (replacing what was shown). */
    public SourcesViewModel(ErrorDisplay errors, BiConsumer<StreamCapture, String> showStream) {
        this.errors = errors;
        this.showStream = showStream;
    }

    public RemoteDefaults defaults() {
        return defaults;
    }

    public void setDefaults(RemoteDefaults newDefaults) {
        defaults = newDefaults;
    }

    /** The sources shown, with their states; empty when the window shows one capture. */
    public ObservableList<MergedSources.Status> statuses() {
        return statuses;
    }

    /** True for what {@link #open} takes and a plain open does not: a remote host. */
    public static boolean isRemote(String argument) {
        return argument.startsWith("ssh://");
    }

    /**
     * Opens several sources at once: files, {@code -} (stdin) and {@code ssh://USER@HOST[:PORT]}. The files
     * are merged by time ({@link MergedSources#addFiles}, as they are read) and join as one source; streams join
     * as they come.
     */
    public void open(List<String> arguments) {
        List<String> files = arguments.stream().filter(a -> !isRemote(a) && !a.equals("-")).toList();
        if (!files.isEmpty()) {
            try {
                addFiles(files);
            } catch (IOException | RuntimeException e) {
                errors.show("opening " + String.join(", ", files), e);
            }
        }
        for (String argument : arguments) {
            try {
                if (isRemote(argument)) {
                    addRemote(RemoteCommand.parse(argument, defaults.probes(), defaults.sshOptions(),
                            defaults.remoteBpfscope()));
                } else if (argument.equals("-")) {
                    merged().addStream("stdin", System.in);
                }
            } catch (IOException | RuntimeException e) {
                errors.show("opening " + argument, e);
            }
        }
    }

    /** The files join as one source, opened and merged by time off the FX thread; the sources bar shows its progress. */
    private void addFiles(List<String> files) throws IOException {
        String name = files.size() == 1 ? Path.of(files.get(0)).getFileName().toString() : files.size() + " files";
        merged().addFiles(name, files);
    }

    /** Starts recording on a remote host over ssh; its events join what is shown if sources are shown already. */
    public void addRemote(RemoteCommand remote) throws IOException {
        merged().addRemote(remote);
        pulse(null);
    }

    /** The merge on screen, started (and put on screen) if there is none. */
    private MergedSources merged() throws IOException {
        if (current == null) {
            current = MergedSources.start(Path.of(System.getProperty("java.io.tmpdir")), EventStore.DEFAULT_MEMORY_BUDGET);
            showStream.accept(current.stream(), "bpfscope — several sources");
        }
        return current;
    }

    /** On each pulse: the states; the sources stop once something else is on screen. */
    public void pulse(ShownCapture shown) {
        if (current == null) {
            return;
        }
        if (shown != null && shown.stream().orElse(null) != current.stream()) {
            close();
            return;
        }
        List<MergedSources.Status> now = current.statuses();
        if (!now.equals(statuses)) {
            statuses.setAll(now);
        }
    }

    /** Ends every source (their ssh processes too); called when the window closes or shows something else. */
    public void close() {
        if (current == null) {
            return;
        }
        try {
            current.close();
        } catch (IOException e) {
            // the stream was closed already by whatever replaced it on screen
        }
        current = null;
        statuses.clear();
    }
}
