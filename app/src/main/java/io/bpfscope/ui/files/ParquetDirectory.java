package io.bpfscope.ui.files;

import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.export.ExportJob;
import io.bpfscope.sql.ParquetExport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The Export dialog's Parquet: the dataset in a new directory (an existing one
 * only when it is the user's and empty; a dataset is never merged into other
 * files from the window), reported as the other formats' {@link ExportJob.Result}.
 * Apart from {@link ExportViewModel} so DuckDB loads only when Parquet is chosen.
 */
final class ParquetDirectory {
    private ParquetDirectory() {
    }

    static ExportJob.Result export(Path capture, Predicate<DecodedRecord> keep, BooleanSupplier cancelled, Path target)
            throws IOException {
        try (CaptureSource source = CaptureSource.of(capture.toString(), false)) {
            ParquetExport.Result done = ParquetExport.run(List.of(source), keep, cancelled, target, false);
            return new ExportJob.Result(done.rows(), 0, done.loaded().undecodable(), done.loaded().firstUndecodable(),
                    done.loaded().problems().stream().findFirst().map(Optional::of).orElse(Optional.empty()),
                    done.loaded().cancelled());
        }
    }
}
