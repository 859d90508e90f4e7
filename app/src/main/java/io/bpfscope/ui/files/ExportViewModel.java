package io.bpfscope.ui.files;

import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.export.ExportJob;
import io.bpfscope.io.AtomicOutput;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The Export dialog: a format (JSON Lines, CSV, pcapng), every event or only
 * the rows shown, and a file; the export runs through the {@link TaskRunner}
 * with progress and Cancel. The file is written whole or not at all (an
 * {@link AtomicOutput}: 0600, the user's, never through a link).
 * FX thread only.
 */
public final class ExportViewModel {
    /** Which events go out. */
    public enum Scope {
        ALL("every event"), SHOWN("only the rows shown (the filter applied)");

        private final String label;

        Scope(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Supplier<ShownCapture> capture;
    private final Supplier<Predicate<DecodedRecord>> shown;
    private final TaskRunner tasks;
    private final ErrorDisplay errors;
    private final Supplier<PathChooser> chooser;
    private final ObjectProperty<ExportJob.Format> format = new SimpleObjectProperty<>(ExportJob.Format.JSONL);
    private final ObjectProperty<Scope> scope = new SimpleObjectProperty<>(Scope.SHOWN);
    private final ObjectProperty<Path> target = new SimpleObjectProperty<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ExportJob.Result> result = new ReadOnlyObjectWrapper<>();
    private AtomicBoolean cancel = new AtomicBoolean();

    /**
     * @param shown the test the table applies now (null when it shows every event)
     * @param chooser asks where to write (the test's replaces the file dialog)
     */
    public ExportViewModel(Supplier<ShownCapture> capture, Supplier<Predicate<DecodedRecord>> shown, TaskRunner tasks,
                           ErrorDisplay errors, Supplier<PathChooser> chooser) {
        this.capture = capture;
        this.shown = shown;
        this.tasks = tasks;
        this.errors = errors;
        this.chooser = chooser;
        format.addListener((obs, old, now) -> {
            Path path = target.get();
            if (path != null) {
                target.set(path.resolveSibling(withExtension(path.getFileName().toString(), now)));
            }
        });
    }

    public ObjectProperty<ExportJob.Format> formatProperty() {
        return format;
    }

    public ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    /** Where the export goes; null until chosen. */
    public ObjectProperty<Path> targetProperty() {
        return target;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** 0..1 of the capture read. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** What happened, in a sentence. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The last export's result, null until one finished. */
    public ReadOnlyObjectProperty<ExportJob.Result> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** Asks for the file; returns false when the user chose none. */
    public boolean chooseTarget() {
        String base = capture.get().file().map(p -> p.getFileName().toString().replaceFirst("\\.bscap$", ""))
                .orElse("bpfscope-export");
        if (base.startsWith("bpfscope-live-")) {
            base = "bpfscope-export";
        }
        ExportJob.Format chosen = format.get();
        Optional<Path> path = chooser.get().save("Export events", withExtension(base, chosen), List.of(fileType(chosen),
                PathChooser.FileType.ANY));
        path.ifPresent(target::set);
        return path.isPresent();
    }

    /** Starts the export (asking for the file first if none is chosen). */
    public void export() {
        if (running.get()) {
            return;
        }
        if (target.get() == null && !chooseTarget()) {
            return;
        }
        ShownCapture exported = capture.get();
        Optional<Path> file = exported.file();
        if (file.isEmpty()) {
            message.set("nothing to export yet: open a capture or attach a probe");
            return;
        }
        Path path = target.get();
        ExportJob.Format chosenFormat = format.get();
        Predicate<DecodedRecord> test = scope.get() == Scope.SHOWN && shown.get() != null ? shown.get() : r -> true;
        AtomicBoolean stop = new AtomicBoolean();
        cancel = stop;
        running.set(true);
        progress.set(0);
        result.set(null);
        message.set("exporting to " + path + "…");
        if (chosenFormat == ExportJob.Format.PARQUET) {
            tasks.run("export " + path, () -> ParquetDirectory.export(file.get(), test, stop::get, path), done -> {
                running.set(false);
                progress.set(1);
                result.set(done);
                message.set(describe(done, path, exported.isLive()));
            }, failure -> {
                running.set(false);
                message.set("export failed");
                errors.show("exporting to " + path, failure);
            });
            return;
        }
        tasks.run("export " + path, () -> {
            // The file dialog asked about replacing; the rules on links, devices and owners still hold.
            try (CaptureSource source = CaptureSource.of(file.get().toString(), false);
                 AtomicOutput output = AtomicOutput.open(path, true, List.of(file.get()))) {
                ExportJob job = new ExportJob(source, chosenFormat, test, (read, total, written) -> {
                    double fraction = total > 0 ? Math.min(1, (double) read / total) : -1;
                    tasks.post(() -> progress.set(fraction));
                }, stop::get);
                ExportJob.Result done = job.run(output.stream());
                if (!done.cancelled()) {
                    output.commit(); // cancelled: closed without a commit, nothing is left behind
                }
                return done;
            }
        }, done -> {
            running.set(false);
            progress.set(1);
            result.set(done);
            message.set(describe(done, path, exported.isLive()));
            errors.succeeded(ErrorDisplay.Kind.SAVE);
        }, failure -> {
            running.set(false);
            message.set("export failed");
            errors.show(ErrorDisplay.Kind.SAVE, "exporting to " + path, failure);
        });
    }

    public void cancel() {
        cancel.set(true);
    }

    static String describe(ExportJob.Result done, Path path, boolean live) {
        if (done.cancelled()) {
            return "cancelled; " + path.getFileName() + " was not kept";
        }
        StringBuilder text = new StringBuilder(String.format("exported %,d events to %s", done.written(), path));
        if (done.withoutPayload() > 0) {
            text.append(String.format("; %,d without a payload have no place in pcapng", done.withoutPayload()));
        }
        if (done.undecodable() > 0) {
            text.append(String.format("; %,d could not be decoded (%s)", done.undecodable(), done.firstUndecodable()));
        }
        if (live) {
            text.append("; events of the last second may not be in the live file yet");
        } else {
            done.captureProblem().ifPresent(problem -> text.append("; ").append(problem));
        }
        return text.toString();
    }

    private static String withExtension(String name, ExportJob.Format format) {
        String base = name.replaceFirst("\\.(jsonl|csv|pcapng|parquet)$", "");
        return base + "." + format.name().toLowerCase(Locale.ROOT);
    }

    private static PathChooser.FileType fileType(ExportJob.Format format) {
        switch (format) {
            case CSV:
                return new PathChooser.FileType("CSV (*.csv)", List.of("*.csv"));
            case PCAPNG:
                return new PathChooser.FileType("pcapng (*.pcapng)", List.of("*.pcapng"));
            case PARQUET:
                return new PathChooser.FileType("Parquet dataset (a new directory)", List.of("*.parquet", "*"));
            default:
                return new PathChooser.FileType("JSON Lines (*.jsonl)", List.of("*.jsonl"));
        }
    }
}
