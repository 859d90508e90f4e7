package io.bpfscope.ui;

import io.bpfscope.capture.live.StreamCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import io.bpfscope.ui.common.UiSettings;
import io.bpfscope.ui.files.CaptureSaver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Which capture is on screen — nothing yet, a file, a stream on stdin or the
 * live capture — with the window's title, which says its real state (live,
 * stopped with N events unsaved, a file's name, a stream live or ended), how
 * many of its events are not saved anywhere yet, and the notice line of
 * opening and saving. Replacing it tells the panes ({@code panes}) and closes
 * what was shown before. Files are read and written through the
 * {@link TaskRunner}. FX thread only.
 */
public final class CaptureOnScreen {
    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final UiSettings settings;
    private final Supplier<PathChooser> chooser;
    private final Consumer<ShownCapture> panes;
    private final Runnable stopLive;
    private final BooleanSupplier recording;
    private final String emptyTitle;
    private final ReadOnlyObjectWrapper<ShownCapture> capture = new ReadOnlyObjectWrapper<>(ShownCapture.empty());
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("bpfscope");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private boolean liveFailureShown;
    /** The live or streamed capture last saved, and how many of its events that save held. */
    private ShownCapture saved;
    private long savedEvents;
    private String savedName = "";

    /**
     * {@code panes}: told of each capture put on screen, to show it. {@code stopLive}: ends the live
     * capture, called when a file or stream replaces it. {@code recording}: true while a probe is attached.
     */
    CaptureOnScreen(String title, TaskRunner tasks, ErrorDisplay errors, UiSettings settings,
                    Supplier<PathChooser> chooser, Consumer<ShownCapture> panes, Runnable stopLive,
                    BooleanSupplier recording) {
        this.tasks = tasks;
        this.errors = errors;
        this.settings = settings;
        this.chooser = chooser;
        this.panes = panes;
        this.stopLive = stopLive;
        this.recording = recording;
        this.emptyTitle = title;
        this.title.set(title);
    }

    public ShownCapture get() {
        return capture.get();
    }

    public ReadOnlyObjectProperty<ShownCapture> captureProperty() {
        return capture.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** What just happened that is worth a line (saved, opened with a problem…). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** True while a file is being opened or saved. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Asks for a capture and opens it. */
    public void open() {
        chooser.get().open("Open a capture", List.of(PathChooser.FileType.CAPTURE, PathChooser.FileType.ANY))
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
            stopLive.run();
            show(ShownCapture.of(index, path));
            notice.set(String.format("opened %s: %,d events", path, capture.get().store().size()));
            // Opened from its index, a block's damage is found when the block is first read (scrolling, a filter).
            index.store().setDamageListener(damage -> javafx.application.Platform.runLater(
                    () -> errors.show(ErrorDisplay.Kind.CAPTURE, damage)));
            if (!index.problem().isEmpty()) {
                errors.show(ErrorDisplay.Kind.CAPTURE, index.problem().get());
            } else {
                errors.succeeded(ErrorDisplay.Kind.CAPTURE);
            }
            rememberRecent(path);
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show(ErrorDisplay.Kind.CAPTURE, "opening " + file, failure);
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
            stopLive.run();
            show(ShownCapture.of(stream));
            errors.succeeded(ErrorDisplay.Kind.CAPTURE);
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show(ErrorDisplay.Kind.CAPTURE, "reading a capture from stdin", failure);
        });
    }

    /** Shows a stream filled elsewhere (several sources merged, see {@code ui.sources}); a live capture stops. */
    public void showStream(StreamCapture stream, String windowTitle) {
        stopLive.run();
        show(ShownCapture.of(stream));
        title.set(windowTitle);
        errors.clear();
    }

    /** Puts the live capture on screen. */
    void showLive(ShownCapture live) {
        show(live);
        notice.set(""); // the attach's own errors are the probe panel's to clear (one Attach, one verdict)
    }

    /** File > Close: ends the live capture, if any, and shows nothing. */
    public void closeCapture() {
        stopLive.run();
        show(ShownCapture.empty());
        notice.set("");
        errors.succeeded(ErrorDisplay.Kind.CAPTURE);
    }

    private void show(ShownCapture next) {
        ShownCapture previous = capture.get();
        capture.set(next);
        panes.accept(next);
        refreshTitle();
        if (previous != next) {
            errors.captureReplaced();
        }
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

    /** Asks where, then saves the capture on screen as a .bscap. */
    public void save() {
        saveThen(() -> { });
    }

    /** Asks where, saves, and once the save succeeded runs {@code then} (nothing runs when it is cancelled or fails). */
    public void saveThen(Runnable then) {
        if (capture.get().file().isEmpty()) {
            errors.show(ErrorDisplay.Kind.SAVE, "nothing to save yet: attach a probe or open a capture");
            return;
        }
        String name = "bpfscope-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".bscap";
        chooser.get().save("Save capture", name, List.of(PathChooser.FileType.CAPTURE))
                .ifPresent(target -> saveTo(target, then));
    }

    public void saveTo(Path target) {
        saveTo(target, () -> { });
    }

    private void saveTo(Path target, Runnable then) {
        ShownCapture saving = capture.get();
        busy.set(true);
        notice.set("saving to " + target + "…");
        tasks.run("save " + target, () -> CaptureSaver.save(saving, target, n -> { }, () -> false), events -> {
            busy.set(false);
            notice.set(String.format("saved %,d events to %s", events, target));
            saved = saving;
            savedEvents = events;
            savedName = target.getFileName().toString();
            refreshTitle();
            errors.succeeded(ErrorDisplay.Kind.SAVE);
            rememberRecent(target);
            then.run();
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show(ErrorDisplay.Kind.SAVE, "saving to " + target, failure);
        });
    }

    /**
     * How many events of the capture on screen are kept nowhere but in its private file, which goes when
     * it is closed: those of a live or streamed capture since it was last saved. 0 for a file.
     */
    public long unsavedEvents() {
        ShownCapture shown = capture.get();
        if (!shown.isLive() && shown.stream().isEmpty()) {
            return 0;
        }
        return Math.max(0, shown.store().size() - (saved == shown ? savedEvents : 0));
    }

    /** True while the capture on screen is the live one and a probe is attached. */
    public boolean isRecording() {
        return capture.get().isLive() && recording.getAsBoolean();
    }

    /**
     * The title: {@code bpfscope — live}, {@code — stopped (1,234 events, unsaved)}, {@code — x.bscap},
     * {@code — stdin from host (live)}. Called when the capture changes and on each pulse.
     */
    void refreshTitle() {
        ShownCapture shown = capture.get();
        String state;
        if (shown.isLive()) {
            long events = shown.store().size();
            state = isRecording() ? "live"
                    : String.format("stopped (%,d events, %s)", events, unsavedEvents() > 0 || events == 0 && saved != shown
                    ? "unsaved" : "saved as " + savedName);
        } else if (shown.stream().isPresent()) {
            String host = shown.header().hostname().isEmpty() ? "a pipe" : shown.header().hostname();
            state = "stdin from " + host + (shown.stream().get().finished() ? " (ended)" : " (live)");
        } else if (shown.isFile()) {
            state = shown.file().map(p -> p.getFileName().toString()).orElse("");
        } else if (shown.store().size() > 0) {
            state = shown.header().hostname();
        } else {
            title.set(emptyTitle);
            return;
        }
        title.set("bpfscope — " + state);
    }

    private void rememberRecent(Path file) {
        try {
            settings.addRecentFile(file.toAbsolutePath().toString());
        } catch (IOException e) {
            errors.show("saving the list of recent files", e);
        }
    }

    /** On each pulse: the title follows the capture's state; says once when the live capture stopped taking events. */
    void checkLive() {
        refreshTitle();
        ShownCapture shown = capture.get();
        if (!liveFailureShown && shown.live().isPresent() && shown.live().get().failure() != null) {
            liveFailureShown = true;
            errors.show(ErrorDisplay.Kind.CAPTURE, "the live capture stopped taking events", shown.live().get().failure());
        }
    }

    /** Closes the file or stream on screen; called when the window closes. */
    void close() {
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
