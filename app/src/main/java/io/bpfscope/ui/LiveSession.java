package io.bpfscope.ui;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.capture.helper.HelperConnection;
import io.bpfscope.capture.helper.HelperProtocol;
import io.bpfscope.capture.helper.HostFacts;
import io.bpfscope.capture.helper.LiveCapture.AttachedProbe;
import io.bpfscope.capture.helper.LiveCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.probes.ProbePanelViewModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The window's live capture and the capture helper it talks to: the helper is
 * the root parent under sudo, or started here when the window is root itself;
 * the live capture starts with the first attach (or host question) and ends
 * when another capture is opened. Attaching runs on any thread; the rest on
 * the FX thread.
 */
final class LiveSession implements ProbePanelViewModel.LiveCaptures {
    private final ErrorDisplay errors;
    private final Supplier<ShownCapture> onScreen;
    private final Consumer<ShownCapture> show;
    private final Runnable ended;
    private LiveCapture live;
    private HelperConnection helper;
    private ShownCapture liveShown;

    /**
     * {@code onScreen}/{@code show}: the capture on screen, and how to put the live one there;
     * {@code ended}: told when the live capture ends (nothing is attached any more).
     */
    LiveSession(ErrorDisplay errors, Supplier<ShownCapture> onScreen, Consumer<ShownCapture> show, Runnable ended) {
        this.errors = errors;
        this.onScreen = onScreen;
        this.show = show;
        this.ended = ended;
    }

    @Override
    public AttachedProbe attach(Probe probe, ProbeOptions options) throws BpfException, IOException {
        return start().attach(probe, options);
    }

    @Override
    public void detach(AttachedProbe probe) throws IOException {
        LiveCapture current;
        synchronized (this) {
            current = live;
        }
        if (current != null) {
            current.detach(probe);
        }
    }

    /** A probe was attached: the live capture goes on screen, or decodes the new probe's records. */
    @Override
    public void attached() {
        LiveCapture current;
        synchronized (this) {
            current = live;
        }
        if (liveShown == null || onScreen.get() != liveShown) {
            liveShown = ShownCapture.of(current);
            show.accept(liveShown);
        } else {
            liveShown.refreshHeader();
        }
    }

    /**
     * The host's tracepoints and TLS users: read here when the window may (it is root, or offline and
     * shows what it can), asked of the capture helper when the window runs as the user under sudo.
     */
    @Override
    public HostFacts hostFacts() {
        if (HelperConnection.inherited().isEmpty()) {
            return HostFacts.local();
        }
        return HelperProtocol.askedOf(what -> {
            try {
                return start().query(what);
            } catch (BpfException e) {
                throw new IOException(e.getMessage(), e);
            }
        });
    }

    private synchronized LiveCapture start() throws BpfException, IOException {
        if (live == null) {
            if (helper == null) {
                // Under sudo the root parent is our helper; a window that is root itself starts its own.
                helper = HelperConnection.inherited().orElse(null);
                if (helper == null) {
                    helper = HelperConnection.spawn();
                }
            }
            live = LiveCapture.start(helper, Path.of(System.getProperty("java.io.tmpdir")), EventStore.DEFAULT_MEMORY_BUDGET);
            live.onNotices(text -> javafx.application.Platform.runLater(() -> errors.show(text)));
        }
        return live;
    }

    /** Ends the live capture (its events go with it unless saved). */
    void stop() {
        LiveCapture ending;
        synchronized (this) {
            ending = live;
            live = null;
        }
        if (ending == null) {
            return;
        }
        ended.run();
        liveShown = null;
        try {
            ending.close();
        } catch (IOException e) {
            errors.show("closing the live capture", e);
        }
    }

    /** Ends the live capture and lets the helper go: it detaches everything and exits. */
    void close() {
        stop();
        synchronized (this) {
            if (helper != null) {
                helper.close();
                helper = null;
            }
        }
    }
}
