package io.bpfscope.bench;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.sql.CaptureDatabase;
import io.bpfscope.sql.ParquetExport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SQL and Parquet on N exec events (the capture benchmark's records, about
 * 150 bytes each, 5,000 processes): loading the capture into DuckDB, a
 * group-by over every event, and the Parquet export (load and write).
 */
public final class SqlBenchmark {
    /** A query that reads two columns of every event. */
    private static final String GROUP_BY_COMM_PID = "SELECT comm, pid, count(*) AS n FROM events GROUP BY ALL ORDER BY n DESC LIMIT 10";

    private final long events;
    private final Path dir;

    public SqlBenchmark(long events, Path dir) {
        this.events = events;
        this.dir = dir;
    }

    public List<CaptureBenchmark.Figure> run() throws IOException, SQLException {
        List<CaptureBenchmark.Figure> figures = new ArrayList<>();
        Path file = dir.resolve("sql-bench.bscap");
        writeCapture(file);
        try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(file.toString(), false)) {
            long start = System.nanoTime();
            long cpu = cpuNanos();
            CaptureDatabase.Loaded loaded = database.load(List.of(source), r -> true, () -> false);
            double seconds = seconds(start);
            double cpuSeconds = (cpuNanos() - cpu) / 1e9;
            if (loaded.events() != events) {
                throw new IllegalStateException("loaded " + loaded.events() + " of " + events + " events");
            }
            figures.add(new CaptureBenchmark.Figure(String.format(Locale.ROOT, "load %,d events into SQL", events),
                    seconds, "s", events == 10_000_000 ? "<= 5 s" : ""));
            figures.add(new CaptureBenchmark.Figure("  load rate", events / seconds, "events/s", ""));
            figures.add(new CaptureBenchmark.Figure("  load CPU time (all threads; steadier than the wall clock on a shared machine)",
                    cpuSeconds, "s", ""));
            for (String query : List.of(GROUP_BY_COMM_PID,
                    "SELECT argv[3] AS url, count(*) AS n FROM exec GROUP BY url ORDER BY n DESC LIMIT 10")) {
                start = System.nanoTime();
                database.query(query, new NoRows(), Long.MAX_VALUE);
                figures.add(new CaptureBenchmark.Figure("group-by: " + query, seconds(start), "s",
                        events == 10_000_000 ? "<= 1 s" : ""));
            }
        }
        for (String query : List.of(GROUP_BY_COMM_PID, "SELECT count(*) FROM exec")) {
            figures.addAll(loadFor(file, query));
        }
        try (CaptureSource source = CaptureSource.of(file.toString(), false)) {
            long start = System.nanoTime();
            long cpu = cpuNanos();
            ParquetExport.run(List.of(source), r -> true, () -> false, dir.resolve("parquet"), false);
            figures.add(new CaptureBenchmark.Figure("export Parquet (decode and write)", events / seconds(start), "events/s",
                    ">= 1,000,000 events/s"));
            figures.add(new CaptureBenchmark.Figure("  export CPU time (all threads)", (cpuNanos() - cpu) / 1e9, "s", ""));
            figures.add(new CaptureBenchmark.Figure("  dataset size", directorySize(dir.resolve("parquet")) / 1e6, "MB", ""));
        }
        figures.add(new CaptureBenchmark.Figure("floor, Java: read, decode and summary only, one thread, CPU",
                decodeOnlyCpuSeconds(file), "s", ""));
        try (CaptureDatabase database = CaptureDatabase.open()) {
            long start = System.nanoTime();
            long cpu = cpuNanos();
            database.query("CREATE TABLE copy AS SELECT * FROM read_parquet('" + dir.resolve("parquet") + "/*/*.parquet')",
                    new NoRows(), 1);
            figures.add(new CaptureBenchmark.Figure("floor, DuckDB: the same rows from the Parquet dataset into a table",
                    seconds(start), "s", ""));
            figures.add(new CaptureBenchmark.Figure("  its CPU time (all threads)", (cpuNanos() - cpu) / 1e9, "s", ""));
        }
        figures.add(new CaptureBenchmark.Figure("  capture size", Files.size(file) / 1e6, "MB", ""));
        return figures;
    }

    /** {@code sql FILE QUERY}'s load, of what the query reads only, then the query. */
    private List<CaptureBenchmark.Figure> loadFor(Path file, String query) throws IOException, SQLException {
        List<CaptureBenchmark.Figure> figures = new ArrayList<>();
        try (CaptureDatabase database = CaptureDatabase.open(); CaptureSource source = CaptureSource.of(file.toString(), false)) {
            long start = System.nanoTime();
            long cpu = cpuNanos();
            CaptureDatabase.Loaded loaded = database.loadFor(query, List.of(source), () -> false);
            double seconds = seconds(start);
            double cpuSeconds = (cpuNanos() - cpu) / 1e9;
            if (loaded.events() != events) {
                throw new IllegalStateException("loaded " + loaded.events() + " of " + events + " events");
            }
            figures.add(new CaptureBenchmark.Figure(String.format(Locale.ROOT, "load %,d events for one query (what it reads): %s",
                    events, query), seconds, "s", events == 10_000_000 ? "<= 5 s" : ""));
            figures.add(new CaptureBenchmark.Figure("  its load CPU time (all threads)", cpuSeconds, "s", ""));
            start = System.nanoTime();
            database.query(query, new NoRows(), Long.MAX_VALUE);
            figures.add(new CaptureBenchmark.Figure("  the query", seconds(start), "s", events == 10_000_000 ? "<= 1 s" : ""));
        }
        return figures;
    }

    private void writeCapture(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            CaptureWriter writer = new CaptureWriter(out, CaptureBenchmark.header());
            for (long i = 0; i < events; i++) {
                byte[] record = CaptureBenchmark.execRecord((int) i);
                writer.append(record, 0, record.length);
            }
            writer.finish(new CaptureCounters(0, events, 0, List.of()));
        }
    }

    private static long directorySize(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Query results nobody reads. */
    private static final class NoRows implements CaptureDatabase.Rows {
        @Override
        public void columns(List<String> names, List<String> types) {
        }

        @Override
        public void row(Object[] values) {
        }
    }

    /** What the load costs before any SQL: reading the file, decoding each event and its summary line. */
    private static double decodeOnlyCpuSeconds(Path file) throws IOException {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long chars = 0;
        try (CaptureSource source = CaptureSource.of(file.toString(), false); CaptureReader reader = source.open()) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                chars += decoder.decode(raw).event().summary().length();
            }
        } catch (MalformedEventException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (chars == 0) {
            throw new IllegalStateException("nothing decoded");
        }
        return (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
    }

    /** CPU time of the whole process, DuckDB's threads included. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
