package io.bpfscope.export;

import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.MalformedEventException;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Exports a capture, filtered, in one format: the work behind the CLI's
 * {@code export} and the GUI's Export dialog. Reports progress and stops
 * cleanly when asked. Not thread-safe; run it on one thread (JSON Lines uses
 * worker threads of its own, so the filter must be safe to call from several).
 */
public final class ExportJob {
    /** Export formats. PARQUET is a directory, written through DuckDB by {@code io.bpfscope.sql.ParquetExport}, not here. */
    public enum Format {
        JSONL, CSV, PCAPNG, PARQUET;

        public static Format parse(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Called every few thousand events. {@code totalBytes} is -1 when unknown (stdin). */
    public interface Progress {
        void update(long bytesRead, long totalBytes, long eventsWritten);
    }

    /**
     * What happened: events written, events the format has no room for
     * (pcapng: those without a payload; 0 for the others), events that could
     * not be decoded (and the first reason), the capture's own problem (cut or
     * damaged), and whether it was cancelled.
     */
    public record Result(long written, long withoutPayload, long undecodable, String firstUndecodable,
                         Optional<String> captureProblem, boolean cancelled) {
    }

    private final CaptureSource source;
    private final Format format;
    private final Predicate<DecodedRecord> filter;
    private final Progress progress;
    private final BooleanSupplier cancelled;

    public ExportJob(CaptureSource source, Format format, Predicate<DecodedRecord> filter, Progress progress,
                     BooleanSupplier cancelled) {
        this.source = source;
        this.format = format;
        this.filter = filter;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    /** Writes the export to {@code out} and closes it. */
    public Result run(OutputStream out) throws IOException {
        if (format == Format.PARQUET) {
            throw new IllegalArgumentException("Parquet is a directory: io.bpfscope.sql.ParquetExport writes it");
        }
        if (format == Format.JSONL) {
            return runJsonLines(out);
        }
        List<String> csvColumns = format == Format.CSV ? csvColumns() : List.of();
        Tally tally = new Tally();
        boolean stopped = false;
        try (CaptureReader reader = source.open(); EventSink sink = sink(out, reader, csvColumns)) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            long total = source.size();
            long seen = 0;
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                if ((++seen & 4095) == 0) {
                    progress.update(reader.offset(), total, tally.written);
                    if (cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                }
                DecodedRecord record = tally.decode(decoder, raw);
                if (record != null && filter.test(record)) {
                    sink.write(record);
                    tally.written++;
                }
            }
            progress.update(reader.offset(), total, tally.written);
            long left = sink.leftOut();
            return new Result(tally.written - left, left, tally.undecodable, tally.firstUndecodable,
                    stopped ? Optional.empty() : reader.problem(), stopped);
        }
    }

    /** Records per chunk of work a JSON Lines worker decodes, filters and formats. */
    private static final int CHUNK = 2048;

    /** A worker's chunk: its lines, in order, and what it counted. */
    private record Chunk(CharArrayWriter text, Tally tally) {
    }

    /** Events written and events that could not be decoded (with the first reason), for {@link Result}. */
    private static final class Tally {
        long written;
        long undecodable;
        String firstUndecodable;

        /** The record decoded, or null when it cannot be (counted). */
        DecodedRecord decode(RecordDecoder decoder, RawRecord raw) {
            try {
                return decoder.decode(raw);
            } catch (MalformedEventException e) {
                undecodable++;
                firstUndecodable = firstUndecodable == null ? e.getMessage() : firstUndecodable;
                return null;
            }
        }

        /** Adds a later stretch's counts. */
        void add(Tally later) {
            written += later.written;
            undecodable += later.undecodable;
            firstUndecodable = firstUndecodable == null ? later.firstUndecodable : firstUndecodable;
        }
    }

    /**
     * JSON Lines, the common export, on every core: the reader hands chunks of
     * raw records to workers that decode, filter and format them, and the
     * lines go out in capture order. Formatting, not reading, is the cost.
     */
    private Result runJsonLines(OutputStream out) throws IOException {
        int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "bpfscope-export");
            thread.setDaemon(true);
            return thread;
        });
        ArrayDeque<Future<Chunk>> inFlight = new ArrayDeque<>();
        Tally tally = new Tally();
        boolean stopped = false;
        try (CaptureReader reader = source.open(); BufferedWriter writer = writer(out)) {
            RecordDecoder decoder = new RecordDecoder(reader::header); // workers see PROBE blocks read before their chunk
            long total = source.size();
            List<RawRecord> chunk = new ArrayList<>(CHUNK);
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                chunk.add(raw); // a record keeps its block's array: no copy needed
                if (chunk.size() == CHUNK) {
                    List<RawRecord> work = chunk;
                    inFlight.add(pool.submit(() -> format(work, decoder)));
                    chunk = new ArrayList<>(CHUNK);
                    while (inFlight.size() >= 2 * workers) {
                        writeChunk(inFlight.poll(), writer, tally);
                    }
                    progress.update(reader.offset(), total, tally.written);
                    if (cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                }
            }
            if (!stopped && !chunk.isEmpty()) {
                List<RawRecord> work = chunk;
                inFlight.add(pool.submit(() -> format(work, decoder)));
            }
            while (!inFlight.isEmpty() && !stopped) {
                writeChunk(inFlight.poll(), writer, tally);
            }
            progress.update(reader.offset(), total, tally.written);
            return new Result(tally.written, 0, tally.undecodable, tally.firstUndecodable,
                    stopped ? Optional.empty() : reader.problem(), stopped);
        } finally {
            pool.shutdownNow();
        }
    }

    private Chunk format(List<RawRecord> records, RecordDecoder decoder) throws IOException {
        CharArrayWriter text = new CharArrayWriter(records.size() * 256);
        JsonLinesExporter jsonl = new JsonLinesExporter(text);
        Tally tally = new Tally();
        for (RawRecord raw : records) {
            DecodedRecord record = tally.decode(decoder, raw);
            if (record != null && filter.test(record)) {
                jsonl.write(record);
                tally.written++;
            }
        }
        return new Chunk(text, tally);
    }

    private static void writeChunk(Future<Chunk> pending, BufferedWriter writer, Tally total) throws IOException {
        Chunk chunk;
        try {
            chunk = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("export interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause(); // an internal failure (exit 70), not bad input
            }
            throw new IOException(e.getCause());
        }
        chunk.text().writeTo(writer);
        total.add(chunk.tally());
    }

    private boolean csvHosts; // the CSV has a host column: set by csvColumns()

    /** CSV needs its columns before the first row: a first pass collects every field name seen. */
    private List<String> csvColumns() throws IOException {
        List<String> columns = new ArrayList<>();
        try (CaptureReader reader = source.open()) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                try {
                    DecodedRecord record = decoder.decode(raw);
                    if (filter.test(record)) {
                        CsvExporter.columnsOf(record.event(), columns);
                    }
                } catch (MalformedEventException e) {
                    // counted on the second pass
                }
            }
            // A merged stream declares its hosts' probes as they come: the whole file says how many hosts.
            csvHosts = reader.header().hosts().size() > 1;
        }
        return columns;
    }

    /** One exporter behind one face. */
    private interface EventSink extends AutoCloseable {
        void write(DecodedRecord record) throws IOException;

        /** Events given to {@link #write} that the format has no room for. */
        default long leftOut() {
            return 0;
        }

        @Override
        void close() throws IOException;
    }

    private EventSink sink(OutputStream out, CaptureReader reader, List<String> csvColumns) throws IOException {
        switch (format) {
            case JSONL: {
                JsonLinesExporter jsonl = new JsonLinesExporter(writer(out));
                return new EventSink() {
                    public void write(DecodedRecord record) throws IOException {
                        jsonl.write(record);
                    }

                    public void close() throws IOException {
                        jsonl.close();
                    }
                };
            }
            case CSV: {
                CsvExporter csv = new CsvExporter(writer(out), csvColumns, csvHosts);
                return new EventSink() {
                    public void write(DecodedRecord record) throws IOException {
                        csv.write(record);
                    }

                    public void close() throws IOException {
                        csv.close();
                    }
                };
            }
            case PCAPNG: {
                PcapngExporter pcapng = new PcapngExporter(new BufferedOutputStream(out, 1 << 16), reader.header().hosts());
                return new EventSink() {
                    public void write(DecodedRecord record) throws IOException {
                        pcapng.write(record);
                    }

                    public long leftOut() {
                        return pcapng.withoutPayload();
                    }

                    public void close() throws IOException {
                        pcapng.close();
                    }
                };
            }
            default:
                throw new IllegalStateException("no exporter for " + format);
        }
    }

    private static BufferedWriter writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }
}
