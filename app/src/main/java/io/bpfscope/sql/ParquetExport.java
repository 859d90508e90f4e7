package io.bpfscope.sql;

import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.io.AtomicDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * {@code export --format parquet -o DIR} and the window's Export dialog: the
 * captures decoded as for SQL, each probe's rows written as
 * {@code DIR/probe=<table>/data.parquet} (Hive partitioning, so Spark, Trino,
 * ClickHouse and DuckDB read DIR as one dataset). DIR is written whole or not
 * at all ({@link AtomicDirectory}: new, 0700, the invoking user's).
 */
public final class ParquetExport {
    /** What was written, and what the load reported. */
    public record Result(long rows, CaptureDatabase.Loaded loaded) {
    }

    private ParquetExport() {
    }

    /**
     * Checks {@code target} first (a refusal costs nothing), then exports.
     *
     * @param replace replace the dataset in an existing directory of the user's
     */
    public static Result run(List<CaptureSource> sources, Predicate<DecodedRecord> keep, BooleanSupplier cancelled,
                             Path target, boolean replace) throws IOException {
        try (AtomicDirectory output = AtomicDirectory.open(target, replace);
             CaptureDatabase database = CaptureDatabase.open()) {
            CaptureDatabase.Loaded loaded = database.exportParquet(sources, keep, cancelled, output.directory());
            if (loaded.cancelled()) {
                return new Result(0, loaded); // the directory is dropped unfinished
            }
            output.commit();
            return new Result(loaded.events(), loaded);
        } catch (SQLException e) {
            throw new IOException("writing Parquet to " + target + ": " + CaptureDatabase.oneLine(e.getMessage()), e);
        }
    }
}
