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
 * live capture — with the window's title and the busy line of opening and
 * saving. Replacing it tells the panes ({@code panes}) and closes what was
 * shown before. Files are read and written through the {@link TaskRunner}.
 * FX thread only.
 */
public final class CaptureOnScreen {
    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final UiSettings settings;
    private final Supplier<PathChooser> chooser;
    private final Consumer<ShownCapture> panes;
    private final Runnable stopLive;
    private final ReadOnlyObjectWrapper<ShownCapture> capture = new ReadOnlyObjectWrapper<>(ShownCapture.empty());
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("bpfscope");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private boolean liveFailureShown;

    /**
     * {@code panes}: told of each capture put on screen, to show it. {@code stopLive}: ends the live
     * capture, called when a file or stream replaces it.
     */
    CaptureOnScreen(String title, TaskRunner tasks, ErrorDisplay errors, UiSettings settings,
                    Supplier<PathChooser> chooser, Consumer<ShownCapture> panes, Runnable stopLive) {
        this.tasks = tasks;
        this.errors = errors;
        this.settings = settings;
        this.chooser = chooser;
        this.panes = panes;
        this.stopLive = stopLive;
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
            title.set("bpfscope — " + path.getFileName());
            notice.set("");
            if (!index.problem().isEmpty()) {
                errors.show(index.problem().get());
            } else {
                errors.clear();
            }
            rememberRecent(path);
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
            stopLive.run();
            show(ShownCapture.of(stream));
            title.set("bpfscope — stdin from " + (stream.header().hostname().isEmpty() ? "a pipe" : stream.header().hostname()));
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show("reading a capture from stdin", failure);
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
        title.set("bpfscope — live");
    }

    /** Shows a capture that someone else fills (the pulse benchmark feeds a store at a set rate). */
    public void showFilledElsewhere(ShownCapture filled) {
        show(filled);
        title.set("bpfscope — " + filled.header().hostname());
    }

    private void show(ShownCapture next) {
        ShownCapture previous = capture.get();
        capture.set(next);
        panes.accept(next);
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
        if (capture.get().file().isEmpty()) {
            errors.show("nothing to save yet: attach a probe or open a capture");
            return;
        }
        String name = "bpfscope-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".bscap";
        chooser.get().save("Save capture", name, List.of(PathChooser.FileType.CAPTURE)).ifPresent(this::saveTo);
    }

    public void saveTo(Path target) {
        ShownCapture saved = capture.get();
        busy.set(true);
        notice.set("saving to " + target + "…");
        tasks.run("save " + target, () -> CaptureSaver.save(saved, target, n -> { }, () -> false), events -> {
            busy.set(false);
            notice.set(String.format("saved %,d events to %s", events, target));
            rememberRecent(target);
        }, failure -> {
            busy.set(false);
            notice.set("");
            errors.show("saving to " + target, failure);
        });
    }

    private void rememberRecent(Path file) {
        try {
            settings.addRecentFile(file.toAbsolutePath().toString());
        } catch (IOException e) {
            errors.show("saving the list of recent files", e);
        }
    }

    /** On each pulse: says once when the live capture on screen stopped taking events. */
    void checkLive() {
        ShownCapture shown = capture.get();
        if (!liveFailureShown && shown.live().isPresent() && shown.live().get().failure() != null) {
            liveFailureShown = true;
            errors.show("the live capture stopped taking events", shown.live().get().failure());
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
