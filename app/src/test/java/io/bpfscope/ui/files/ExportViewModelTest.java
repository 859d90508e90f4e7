package io.bpfscope.ui.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bench.CaptureBenchmark;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.export.ExportJob;
import io.bpfscope.ui.HeldTasks;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Export dialog's file: Cancel leaves nothing behind and keeps the file
 * it was to replace; the dialog's "replace?" allows replacing the user's own
 * file, never writing through a link. Scope and file name on the demo capture, without a window.
 */
class ExportViewModelTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    private Path capture;
    private CaptureIndex index;
    private final ErrorDisplay errors = new ErrorDisplay();
    private ExportViewModel export;
    private Runnable onProgress = () -> { };

    @BeforeEach
    void writeCapture() throws IOException {
        capture = dir.resolve("big.bscap");
        CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host", "6.1", 0, 0, 1 << 20,
                List.of());
        try (CaptureWriter writer = new CaptureWriter(Files.newOutputStream(capture), header)) {
            for (int i = 0; i < 20_000; i++) {
                byte[] record = CaptureBenchmark.execRecord(i);
                writer.append(record, 0, record.length);
            }
            writer.finish(new CaptureCounters(0, 20_000, 0, List.of()));
        }
        index = EventStore.index(capture);
        ShownCapture shown = ShownCapture.of(index, capture);
        TaskRunner onThisThread = new TaskRunner() {
            @Override
            public <T> void run(String name, Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    onFailure.accept(e);
                    return;
                }
                onSuccess.accept(result);
            }

            @Override
            public void post(Runnable action) {
                action.run();
                onProgress.run();
            }
        };
        export = new ExportViewModel(() -> shown, () -> null, onThisThread, errors, () -> PathChooser.NONE);
    }

    @AfterEach
    void closeIndex() throws IOException {
        index.close();
    }

    @Test
    void cancelLeavesNothingBehindAndKeepsTheFileItWasToReplace() throws IOException {
        Path target = Files.writeString(dir.resolve("events.jsonl"), "the previous export\n");
        onProgress = export::cancel; // the user presses Cancel as soon as the progress moves
        export.targetProperty().set(target);
        export.export();
        assertThat(export.resultProperty().get()).isNotNull();
        assertThat(export.resultProperty().get().cancelled()).isTrue();
        assertThat(export.messageProperty().get()).contains("cancelled");
        assertThat(Files.readString(target)).isEqualTo("the previous export\n");
        assertDirectoryHoldsOnly("big.bscap", "events.jsonl");
    }

    @Test
    void theDialogsReplaceAllowsTheUsersOwnFileButNeverWritesThroughALink() throws IOException {
        Path own = Files.writeString(dir.resolve("own.csv"), "old\n");
        export.formatProperty().set(ExportJob.Format.CSV);
        export.targetProperty().set(own);
        export.export();
        assertThat(errors.messageProperty().get()).isEmpty();
        assertThat(Files.readAllLines(own)).hasSize(20_001); // a header row, then the events
        assertThat((Integer) Files.getAttribute(own, "unix:mode") & 0777).isEqualTo(0600);

        Path victim = Files.writeString(dir.resolve("victim"), "someone's\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), victim);
        export.targetProperty().set(link);
        export.export();
        assertThat(errors.messageProperty().get()).contains(link + " is a symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("someone's\n");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(victim);
        assertDirectoryHoldsOnly("big.bscap", "own.csv", "victim", "link.csv");
    }

    @Test
    void onlyTheRowsShownOrEveryEventAndTheFileIsNamedAfterTheCapture() throws IOException {
        Predicate<DecodedRecord> execOnly = r -> r.probe().equals("exec");
        List<String> suggested = new ArrayList<>();
        PathChooser chooser = new PathChooser() {
            @Override
            public Optional<Path> open(String title, List<FileType> types) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> save(String title, String name, List<FileType> types) {
                suggested.add(name);
                return Optional.of(dir.resolve(name));
            }
        };
        HeldTasks tasks = new HeldTasks();
        try (CaptureIndex demoIndex = EventStore.index(DEMO)) {
            ShownCapture demo = ShownCapture.of(demoIndex, DEMO);
            ExportViewModel shownRows = new ExportViewModel(() -> demo, () -> execOnly, tasks, errors, () -> chooser);
            shownRows.export();
            assertThat(suggested).containsExactly("demo.jsonl");
            assertThat(shownRows.runningProperty().get()).isTrue();
            assertThat(shownRows.messageProperty().get()).isEqualTo("exporting to " + dir.resolve("demo.jsonl") + "…");
            shownRows.export(); // pressed again while it runs: ignored
            assertThat(tasks.names()).hasSize(1);
            tasks.finish(0);
            assertThat(shownRows.runningProperty().get()).isFalse();
            assertThat(Files.readAllLines(dir.resolve("demo.jsonl"))).hasSize(9).allMatch(l -> l.contains("\"probe\":\"exec\""));
            assertThat(shownRows.messageProperty().get()).startsWith("exported 9 events to ");

            ExportViewModel all = new ExportViewModel(() -> demo, () -> execOnly, TaskRunner.onCallingThread(), errors,
                    () -> chooser);
            all.scopeProperty().set(ExportViewModel.Scope.ALL);
            all.formatProperty().set(ExportJob.Format.CSV);
            all.export();
            assertThat(suggested).containsExactly("demo.jsonl", "demo.csv");
            assertThat(Files.readAllLines(dir.resolve("demo.csv"))).hasSize(550); // a header row, then 549 events
        }
        assertThat(errors.messageProperty().get()).isEmpty();
    }

    @Test
    void nothingOnScreenHasNothingToExport() {
        ExportViewModel empty = new ExportViewModel(ShownCapture::empty, () -> null, TaskRunner.onCallingThread(), errors,
                () -> PathChooser.NONE);
        empty.targetProperty().set(dir.resolve("x.jsonl"));
        empty.export();
        assertThat(empty.messageProperty().get()).isEqualTo("nothing to export yet: open a capture or attach a probe");
        assertThat(dir.resolve("x.jsonl")).doesNotExist();
    }

    private void assertDirectoryHoldsOnly(String... names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(names);
        }
    }
}
