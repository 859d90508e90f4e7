package io.bpfscope.ui.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.CaptureIndex;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.export.ExportJob;
import io.bpfscope.ui.common.ErrorDisplay;
import io.bpfscope.ui.common.PathChooser;
import io.bpfscope.ui.common.ShownCapture;
import io.bpfscope.ui.common.TaskRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Export dialog's Parquet: the rows shown, as a new private directory partitioned by probe; a full directory is refused. */
class ParquetExportDialogTest {
    private static final Path DEMO = Path.of(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    @Test
    void writesTheShownRowsAsANewPrivateDataset() throws Exception {
        ErrorDisplay errors = new ErrorDisplay();
        PathChooser chooser = new PathChooser() {
            @Override
            public Optional<Path> open(String title, List<FileType> types) {
                return Optional.empty();
            }

            @Override
            public Optional<Path> save(String title, String name, List<FileType> types) {
                return Optional.of(dir.resolve(name));
            }
        };
        try (CaptureIndex index = EventStore.index(DEMO)) {
            ShownCapture demo = ShownCapture.of(index, DEMO);
            ExportViewModel export = new ExportViewModel(() -> demo, () -> r -> r.probe().equals("tls") || r.probe().equals("exec"),
                    TaskRunner.onCallingThread(), errors, () -> chooser);
            export.formatProperty().set(ExportJob.Format.PARQUET);
            export.export();
            Path dataset = dir.resolve("demo.parquet");
            assertThat(export.messageProperty().get()).startsWith("exported 40 events to " + dataset);
            try (Stream<Path> parts = Files.list(dataset)) {
                assertThat(parts.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("probe=exec", "probe=tls");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataset))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataset.resolve("probe=tls/data.parquet"))))
                    .isEqualTo("rw-------");
            assertThat(errors.messageProperty().get()).isEmpty();

            export.export(); // the same directory again: it is not empty now
            assertThat(errors.messageProperty().get()).contains("not empty");
        }
    }
}
