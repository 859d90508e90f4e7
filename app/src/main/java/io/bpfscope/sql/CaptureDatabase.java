package io.bpfscope.sql;

import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.MalformedEventException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.HashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.duckdb.DuckDBConnection;

/**
 * Captures loaded into an embedded, in-memory DuckDB: one table per probe
 * ({@link ProbeTable}) and the view {@code events} over all of them. Loading
 * decodes chunks of records on every core into Arrow batches per table, which
 * DuckDB reads as they fill ({@link ArrowFeed}). DuckDB spills to a private
 * directory of its own (0700, under java.io.tmpdir) and unpacks its native
 * library into java.io.tmpdir when this class is first used: nothing else in
 * bpfscope loads DuckDB. Not thread-safe: one caller at a time.
 */
public final class CaptureDatabase implements AutoCloseable {
    /** Records per chunk a worker decodes. */
    private static final int CHUNK = 4096;
    /** Rows per Arrow batch: a few MB, so many probes times the threads stay small. */
    private static final int BATCH_ROWS = 16_384;

    /** What a load did. */
    public record Loaded(long events, long undecodable, String firstUndecodable, List<String> problems, boolean cancelled) {
    }

    /** Rows of a query: column names and types first, then each row's values. */
    public interface Rows {
        void columns(List<String> names, List<String> types) throws IOException;

        /**
         * One row. Values are null, Long, Integer, BigInteger, Double, BigDecimal, Boolean,
         * String, byte[] (BLOB), List (SQL lists) or LocalDateTime (timestamps, UTC).
         */
        void row(Object[] values) throws IOException;
    }

    private final DuckDBConnection connection;
    private final Path spillDirectory;
    private final Map<String, ProbeTable> tablesByProbe = new LinkedHashMap<>();
    /** What the load under way reads: a table made during it is narrowed at once ({@link #narrow}). */
    private QueryReads loading = QueryReads.EVERYTHING;
    /** Removes the spill directory when the JVM ends without a close (SIGTERM, a window killed). */
    private final Thread removeAtExit;

    private CaptureDatabase(DuckDBConnection connection, Path spillDirectory) {
        this.connection = connection;
        this.spillDirectory = spillDirectory;
        this.removeAtExit = new Thread(() -> {
            try {
                deleteTree(spillDirectory);
            } catch (IOException e) {
                // exiting: nothing more to do
            }
        }, "bpfscope-sql-cleanup");
        Runtime.getRuntime().addShutdownHook(removeAtExit);
    }

    /** An empty database. */
    public static CaptureDatabase open() throws IOException {
        Path spill = Files.createTempDirectory("bpfscope-sql", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try {
            Connection plain = DriverManager.getConnection("jdbc:duckdb:");
            DuckDBConnection connection = plain.unwrap(DuckDBConnection.class);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET temp_directory = " + literal(spill.toString()));
                // No code fetched or loaded behind the user's back: a query naming https:// or an extension's
                // function fails instead of downloading and loading a native extension (Parquet and JSON are built in).
                statement.execute("SET autoinstall_known_extensions = false");
                statement.execute("SET autoload_known_extensions = false");
                statement.execute("SET preserve_insertion_order = false"); // loads and COPY run in parallel
                // Compressing each row group as the appenders flush it took half of the load (bench sql): the
                // tables live for one query or one window, so they stay uncompressed (and spill when memory is short).
                statement.execute("SET force_compression = 'uncompressed'");
            }
            return new CaptureDatabase(connection, spill);
        } catch (SQLException | RuntimeException | LinkageError e) {
            deleteTree(spill);
            throw new IOException("DuckDB could not start (its native library unpacks into java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + ", which must be writable and allow exec): "
                    + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /**
     * Loads every record of {@code sources} that {@code keep} accepts, each with
     * its capture's host name. Records that cannot be decoded are counted.
     */
    public Loaded load(List<CaptureSource> sources, Predicate<DecodedRecord> keep, BooleanSupplier cancelled)
            throws IOException, SQLException {
        List<Opening> openings = sources.stream().map(source -> (Opening) source::open).toList();
        Loaded loaded = feed(openings, keep, cancelled, QueryReads.EVERYTHING, CaptureDatabase::insert);
        createEventsView();
        return loaded;
    }

    /**
     * Loads of {@code sources} only what {@code query} reads, for that one query
     * ({@link QueryReads}): every table is made, with all its columns, but only
     * the tables the query names are filled (all of them for {@code events}),
     * with only the columns it names; the others stay NULL and cost no decoding.
     * A record of a table the query does not read is not decoded at all, so it
     * is not counted among the undecodable either. With {@code query} null,
     * everything, as {@link #load}.
     *
     * @throws SQLException DuckDB's message when it rejects the query already
     *                      over the empty tables (a syntax error, a column that
     *                      does not exist): nothing was loaded
     */
    public Loaded loadFor(String query, List<CaptureSource> sources, BooleanSupplier cancelled) throws IOException, SQLException {
        List<CaptureReader> readers = new ArrayList<>();
        try {
            for (CaptureSource source : sources) {
                CaptureReader reader = source.open();
                readers.add(reader);
                createTables(reader.header());
            }
            createEventsView();
            QueryReads reads = query == null ? QueryReads.EVERYTHING : QueryReads.of(connection, query);
            synchronized (this) {
                loading = reads;
                for (ProbeTable table : tablesByProbe.values()) {
                    narrow(table);
                }
            }
            List<Opening> openings = readers.stream().map(reader -> (Opening) () -> reader).toList();
            Loaded loaded = feed(openings, record -> true, cancelled, reads, CaptureDatabase::insert);
            createEventsView(); // with the tables of probes declared later in the files
            return loaded;
        } finally {
            synchronized (this) {
                loading = QueryReads.EVERYTHING;
            }
            for (CaptureReader reader : readers) {
                reader.close();
            }
        }
    }

    /** Opens one capture for {@link #feed}, which closes it. */
    @FunctionalInterface
    private interface Opening {
        CaptureReader open() throws IOException;
    }

    /** The statement that appends a stream of {@code loaded} columns to {@code table} (or where its rows are, {@link #narrow}). */
    private static Function<String, String> insert(ProbeTable table, List<ProbeTable.Column> loaded) {
        String rows = loaded.size() == table.columns().size() ? identifier(table.name()) : NARROW_SCHEMA + "." + identifier(table.name());
        return stream -> "INSERT INTO " + rows + " SELECT " + selectList(loaded) + " FROM " + stream;
    }

    /**
     * Where a table loaded with some of its columns keeps its rows: a table of
     * those columns only, under this schema. DuckDB's insert into a table of
     * every column cost nearly as much with the others all NULL as with values.
     */
    private static final String NARROW_SCHEMA = "bpfscope_loaded";

    /**
     * When the load under way reads only some of {@code table}'s columns: the
     * rows go into a table of those columns ({@link #NARROW_SCHEMA}), and the
     * table's name becomes a view of every column, NULL but those, so the query
     * sees the columns and types it was bound with.
     */
    private void narrow(ProbeTable table) throws SQLException {
        if (!loading.reads(table)) {
            return; // stays the empty table it is
        }
        List<ProbeTable.Column> loaded = loading.columnsOf(table);
        if (loaded.size() == table.columns().size()) {
            return;
        }
        StringBuilder view = new StringBuilder();
        for (ProbeTable.Column column : table.columns()) {
            view.append(view.length() == 0 ? "" : ", ");
            view.append(loaded.contains(column) ? "" : "NULL::" + column.type().sql() + " AS ").append(identifier(column.name()));
        }
        String name = identifier(table.name());
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + NARROW_SCHEMA);
            statement.execute("CREATE TABLE " + NARROW_SCHEMA + "." + name + " (" + columnDefinitions(loaded) + ")");
            statement.execute("DROP TABLE " + name);
            statement.execute("CREATE VIEW " + name + " AS SELECT " + view + " FROM " + NARROW_SCHEMA + "." + name);
        }
    }

    /** {@code "name" TYPE, ...} for a CREATE TABLE. */
    private static String columnDefinitions(List<ProbeTable.Column> columns) {
        StringBuilder ddl = new StringBuilder();
        for (ProbeTable.Column column : columns) {
            ddl.append(ddl.length() == 0 ? "" : ", ").append(identifier(column.name())).append(' ').append(column.type().sql);
        }
        return ddl.toString();
    }

    /**
     * Writes the records of {@code sources} that {@code keep} accepts as Parquet
     * under {@code directory}, Hive style: {@code probe=<table>/data.parquet}, the
     * columns of the probe's table; probes without rows are left out. The batches
     * go straight to the files: no table is filled on the way. The directories are
     * made 0700; the caller owns {@code directory}.
     */
    public Loaded exportParquet(List<CaptureSource> sources, Predicate<DecodedRecord> keep, BooleanSupplier cancelled,
                                Path directory) throws IOException, SQLException {
        List<Opening> openings = sources.stream().map(source -> (Opening) source::open).toList();
        return feed(openings, keep, cancelled, QueryReads.EVERYTHING, (table, loaded) -> {
            Path partition = directory.resolve("probe=" + table.name());
            try {
                Files.createDirectory(partition, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return stream -> "COPY (SELECT " + selectList(loaded) + " FROM " + stream + ") TO "
                    + literal(partition.resolve("data.parquet").toString()) + " (FORMAT PARQUET, COMPRESSION ZSTD)";
        });
    }

    /** The statement that reads a table's stream of {@code loaded} columns, given the stream's name. */
    @FunctionalInterface
    private interface Reading {
        Function<String, String> of(ProbeTable table, List<ProbeTable.Column> loaded);
    }

    /**
     * Decodes chunks of records on every core into per-table Arrow batches
     * ({@link ArrowBatch}) that one {@link ArrowFeed} per table hands to DuckDB
     * as they fill, so decoding and DuckDB's inserting overlap. Only what
     * {@code reads} reads: the records of other tables are skipped undecoded.
     */
    private Loaded feed(List<Opening> sources, Predicate<DecodedRecord> keep, BooleanSupplier cancelled, QueryReads reads,
                        Reading reading) throws IOException, SQLException {
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        Map<ProbeTable, ArrowFeed> feeds = new ConcurrentHashMap<>();
        List<ArrowBatch> batches = Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<Map<String, ArrowBatch>> threadBatches = ThreadLocal.withInitial(HashMap::new);
        ThreadLocal<Map<String, Boolean>> threadReads = ThreadLocal.withInitial(HashMap::new);
        Batches filling = new Batches() {
            @Override
            public boolean reads(String probe, CaptureHeader header) throws SQLException {
                Boolean read = threadReads.get().get(probe);
                if (read == null) {
                    read = reads.reads(tableFor(probe, header));
                    threadReads.get().put(probe, read);
                }
                return read;
            }

            @Override
            public ArrowBatch of(String probe, CaptureHeader header) throws SQLException {
                ArrowBatch batch = threadBatches.get().get(probe);
                if (batch == null) {
                    ProbeTable table = tableFor(probe, header);
                    batch = new ArrowBatch(table, reads.columnsOf(table));
                    threadBatches.get().put(probe, batch);
                    batches.add(batch);
                }
                return batch;
            }

            @Override
            public void full(ArrowBatch batch) throws SQLException, InterruptedException {
                send(batch, feeds, reading);
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
            Thread thread = new Thread(task, "bpfscope-sql-load");
            thread.setDaemon(true);
            return thread;
        });
        ArrayDeque<Future<Tally>> inFlight = new ArrayDeque<>();
        Tally total = new Tally();
        List<String> problems = new ArrayList<>();
        boolean stopped = false;
        boolean finished = false;
        boolean skipping = !reads.everything();
        try {
            for (Opening source : sources) {
                try (CaptureReader reader = source.open()) {
                    RecordDecoder decoder = new RecordDecoder(reader::header);
                    String host = reader.header().hostname();
                    createTables(reader.header());
                    List<RawRecord> chunk = new ArrayList<>(CHUNK);
                    for (RawRecord raw = reader.next(); raw != null && !stopped; raw = reader.next()) {
                        chunk.add(raw);
                        if (chunk.size() == CHUNK) {
                            List<RawRecord> work = chunk;
                            inFlight.add(pool.submit(() -> decode(work, decoder, reader::header, host, keep, filling, skipping)));
                            chunk = new ArrayList<>(CHUNK);
                            while (inFlight.size() >= 2 * workers) {
                                total.add(await(inFlight.poll()));
                            }
                            stopped = cancelled.getAsBoolean();
                        }
                    }
                    if (!chunk.isEmpty() && !stopped) {
                        List<RawRecord> work = chunk;
                        inFlight.add(pool.submit(() -> decode(work, decoder, reader::header, host, keep, filling, skipping)));
                    }
                    while (!inFlight.isEmpty()) { // the chunks hold the reader's blocks: done before it closes
                        total.add(await(inFlight.poll()));
                    }
                    reader.problem().ifPresent(problems::add);
                }
                if (stopped) {
                    break;
                }
            }
            for (ArrowBatch batch : batches) { // the workers are idle: their last, partly filled batches
                if (batch.rows() > 0) {
                    send(batch, feeds, reading);
                }
            }
            finished = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("loading interrupted");
        } finally {
            pool.shutdownNow();
            SQLException failed = null;
            for (ArrowFeed feed : feeds.values()) {
                try {
                    feed.finish();
                } catch (SQLException e) {
                    failed = failed == null ? e : failed;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batches.forEach(ArrowBatch::close); // after the feeds: DuckDB has given every block back
            if (failed != null && finished) {
                throw failed;
            }
        }
        return new Loaded(total.appended, total.undecodable, total.firstUndecodable, problems, stopped);
    }

    /** A loading thread's batch of each probe, and where a full one goes. */
    private interface Batches {
        /** Whether the load reads the table of {@code probe}. */
        boolean reads(String probe, CaptureHeader header) throws SQLException;

        ArrowBatch of(String probe, CaptureHeader header) throws SQLException;

        void full(ArrowBatch batch) throws SQLException, InterruptedException;
    }

    /** Seals {@code batch} and hands it to its table's feed, started on its first batch. */
    private void send(ArrowBatch batch, Map<ProbeTable, ArrowFeed> feeds, Reading reading) throws SQLException, InterruptedException {
        ArrowFeed feed;
        synchronized (feeds) {
            feed = feeds.get(batch.table());
            if (feed == null) {
                try {
                    feed = new ArrowFeed(connection, batch.table(), batch.loaded(), reading.of(batch.table(), batch.loaded()));
                } catch (java.io.UncheckedIOException e) {
                    throw new SQLException(e.getCause().getMessage(), e.getCause());
                }
                feeds.put(batch.table(), feed);
            }
        }
        feed.send(batch.seal());
    }

    /** Decodes one chunk into the thread's batches; with {@code skipping}, only the records of tables the load reads. */
    private static Tally decode(List<RawRecord> records, RecordDecoder decoder, Supplier<CaptureHeader> header, String host,
                                Predicate<DecodedRecord> keep, Batches batches, boolean skipping)
            throws SQLException, InterruptedException {
        Tally tally = new Tally();
        for (RawRecord raw : records) {
            DecodedRecord record;
            try {
                if (skipping) {
                    // No probe to tell (too short, an unknown kind): decoded, to be counted as undecodable as a full load does.
                    java.util.Optional<String> probe = decoder.knownProbe(raw);
                    if (probe.isPresent() && !batches.reads(probe.get(), header.get())) {
                        continue; // the source id tells the probe: no decoding
                    }
                    boolean headerOnly = probe.isPresent() && batches.of(probe.get(), header.get()).headerOnly();
                    record = headerOnly ? decoder.decodeHeader(raw) : decoder.decode(raw);
                } else {
                    record = decoder.decode(raw);
                }
            } catch (MalformedEventException e) {
                tally.undecodable++;
                tally.firstUndecodable = tally.firstUndecodable == null ? e.getMessage() : tally.firstUndecodable;
                continue;
            }
            if (!keep.test(record)) {
                continue;
            }
            ArrowBatch batch = batches.of(record.probe(), header.get());
            batch.add(record, host);
            tally.appended++;
            if (batch.rows() == BATCH_ROWS) {
                batches.full(batch);
            }
        }
        return tally;
    }

    /** Events loaded and events that could not be decoded (with the first reason). */
    private static final class Tally {
        long appended;
        long undecodable;
        String firstUndecodable;

        void add(Tally other) {
            appended += other.appended;
            undecodable += other.undecodable;
            firstUndecodable = firstUndecodable == null ? other.firstUndecodable : firstUndecodable;
        }
    }

    /** Columns from a stream's c0, c1, ...: as they come, but HUGEINT, which comes as text. */
    static String selectList(List<ProbeTable.Column> columns) {
        StringBuilder select = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            ProbeTable.Column column = columns.get(i);
            String value = column.type() == ProbeTable.SqlType.HUGEINT ? "CAST(c" + i + " AS HUGEINT)" : "c" + i;
            select.append(i == 0 ? "" : ", ").append(value).append(" AS ").append(identifier(column.name()));
        }
        return select.toString();
    }

    private static Tally await(Future<Tally> pending) throws IOException, SQLException {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("loading interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException) {
                throw new java.io.InterruptedIOException("loading interrupted");
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** The tables of the probes {@code header} declares: a probe that sent nothing still has its (empty) table. */
    private void createTables(CaptureHeader header) throws SQLException {
        for (CaptureHeader.ProbeEntry probe : header.probes()) {
            tableFor(probe.name(), header);
        }
    }

    /** The table of probe {@code probe}, made the first time one of its records comes. */
    private synchronized ProbeTable tableFor(String probe, CaptureHeader header) throws SQLException {
        ProbeTable table = tablesByProbe.get(probe);
        if (table != null) {
            return table;
        }
        CaptureHeader.ProbeEntry entry = header.probes().stream().filter(p -> p.name().equals(probe)).findFirst()
                .orElse(new CaptureHeader.ProbeEntry(0, probe, -1, "", List.of(), null));
        table = ProbeTable.of(entry);
        String name = table.name();
        for (int n = 2; isTaken(name); n++) {
            name = table.name() + "_" + n; // two uprobes on libc.so.6 of two directories
        }
        table = new ProbeTable(name, table.probe(), table.fields());
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + identifier(name) + " (" + columnDefinitions(table.columns()) + ")");
        }
        tablesByProbe.put(probe, table);
        narrow(table); // a probe declared later in a file, during a load of some columns
        return table;
    }

    private boolean isTaken(String name) {
        return ProbeTable.RESERVED.contains(name) || tablesByProbe.values().stream().anyMatch(t -> t.name().equals(name));
    }

    /** {@code events}: every probe table's common and payload columns, with the probe's name. */
    private void createEventsView() throws SQLException {
        List<String> selects = new ArrayList<>();
        for (ProbeTable table : tablesByProbe.values()) {
            selects.add("SELECT seq, time, host, " + literal(table.probe()) + " AS probe, pid, tid, uid, comm, summary,"
                    + " payload, payload_len, truncated FROM " + identifier(table.name()));
        }
        if (selects.isEmpty()) {
            selects.add("SELECT NULL::BIGINT AS seq, NULL::TIMESTAMP_NS AS time, NULL::VARCHAR AS host, NULL::VARCHAR AS probe,"
                    + " NULL::INTEGER AS pid, NULL::INTEGER AS tid, NULL::BIGINT AS uid, NULL::VARCHAR AS comm,"
                    + " NULL::VARCHAR AS summary, NULL::BLOB AS payload, NULL::BIGINT AS payload_len,"
                    + " NULL::BOOLEAN AS truncated WHERE false");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE VIEW events AS " + String.join(" UNION ALL ", selects));
        }
    }

    /** The probes' tables, in the order their first records came. */
    public synchronized List<ProbeTable> tables() {
        return List.copyOf(tablesByProbe.values());
    }

    /** The connection, for this package's tests. */
    Connection connectionForTests() {
        return connection;
    }

    /** Rows in table {@code name}. */
    public long count(String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM " + identifier(name))) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * Runs {@code sql} and hands its rows to {@code rows}, at most {@code limit}.
     *
     * @return whether there were more rows than {@code limit}
     */
    public boolean query(String sql, Rows rows, long limit) throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            if (!statement.execute(sql)) {
                rows.columns(List.of("changed"), List.of("BIGINT"));
                rows.row(new Object[] {(long) statement.getUpdateCount()});
                return false;
            }
            try (ResultSet result = statement.getResultSet()) {
                ResultSetMetaData meta = result.getMetaData();
                int count = meta.getColumnCount();
                List<String> names = new ArrayList<>(count);
                List<String> types = new ArrayList<>(count);
                for (int i = 1; i <= count; i++) {
                    names.add(meta.getColumnLabel(i));
                    types.add(meta.getColumnTypeName(i));
                }
                rows.columns(names, types);
                long given = 0;
                while (result.next()) {
                    if (given++ == limit) {
                        return true;
                    }
                    Object[] values = new Object[count];
                    for (int i = 0; i < count; i++) {
                        values[i] = value(result, i + 1, types.get(i));
                    }
                    rows.row(values);
                }
                return false;
            }
        }
    }

    private static Object value(ResultSet result, int column, String type) throws SQLException {
        if (type.startsWith("TIMESTAMP") && !type.contains("TIME ZONE")) {
            return result.getObject(column, LocalDateTime.class);
        }
        return plain(result.getObject(column));
    }

    /** A JDBC value as one of the plain types {@link Rows#row} names. */
    private static Object plain(Object value) throws SQLException {
        if (value instanceof Blob blob) {
            return blob.getBytes(1, (int) Math.min(Integer.MAX_VALUE, blob.length()));
        }
        if (value instanceof Array array) {
            List<Object> list = new ArrayList<>();
            for (Object element : (Object[]) array.getArray()) {
                list.add(plain(element));
            }
            return list;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        return value;
    }

    /** DuckDB's message on one line: its messages quote the query over several. */
    public static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("closing DuckDB: " + oneLine(e.getMessage()), e);
        } finally {
            deleteTree(spillDirectory);
            try {
                Runtime.getRuntime().removeShutdownHook(removeAtExit);
            } catch (IllegalStateException exiting) {
                // closed by another shutdown hook: the hook runs anyway
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
