package io.bpfscope.sql;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.arrow.c.ArrowArrayStream;
import org.duckdb.DuckDBConnection;

/**
 * The batches of one table on their way into DuckDB: an Arrow C stream
 * ({@code ArrowArrayStream}, arrow/c/abi.h) over a small queue, built here with
 * JNA, registered on a connection of its own and read by one statement
 * ({@code INSERT INTO ... SELECT ... FROM stream}, or a {@code COPY} to Parquet)
 * on a thread of its own while the loading threads still send. DuckDB scans the
 * batches column by column, in parallel, without a call per row: the appender
 * this replaces crossed JNI for every string and flushed every 2,048 rows.
 * Arrow's Java library gives only the type that
 * {@link DuckDBConnection#registerArrowStream} takes ({@link ArrowArrayStream#wrap}
 * of this stream's address); its JNI library is never loaded.
 */
final class ArrowFeed {
    /** Sealed batches waiting per table: a loading thread waits when DuckDB is behind. */
    private static final int QUEUED = 4;
    private static final ArrowBatch.Sealed END = new ArrowBatch.Sealed(null, 0, 0, null);
    private static final int EIO = 5;
    private static final AtomicLong NAMES = new AtomicLong();

    /** ArrowArrayStream's fields, by offset. */
    private static final int STREAM_GET_SCHEMA = 0;
    private static final int STREAM_GET_NEXT = 8;
    private static final int STREAM_GET_LAST_ERROR = 16;
    private static final int STREAM_RELEASE = 24;
    private static final int STREAM_SIZE = 40;

    /** int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out) and get_next's likewise. */
    public interface Fill extends Callback {
        int invoke(Pointer stream, Pointer out);
    }

    /** const char* (*get_last_error)(struct ArrowArrayStream*). */
    public interface LastError extends Callback {
        Pointer invoke(Pointer stream);
    }

    /** void (*release)(struct ArrowXxx*): the struct's own release member is set to NULL. */
    public interface Release extends Callback {
        void invoke(Pointer struct);
    }

    private final BlockingQueue<ArrowBatch.Sealed> queue = new ArrayBlockingQueue<>(QUEUED);
    /** Batches DuckDB holds, by the id in their private_data, until it releases them. */
    private final Map<Long, ArrowBatch.Sealed> held = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Memory stream = new Memory(STREAM_SIZE);
    private final Memory schema;
    private final Thread reader;
    private volatile Throwable failure;
    private volatile Memory lastError;
    private volatile boolean ended;
    private final AtomicLong rows = new AtomicLong();

    // Held here for as long as native code may call them (JNA frees a callback's stub with its object).
    private final Fill getSchema = this::getSchema;
    private final Fill getNext = this::getNext;
    private final LastError getLastError = s -> lastError;
    private final Release releaseStream = s -> s.setPointer(STREAM_RELEASE, null);
    private final Release releaseSchema = s -> s.setPointer(ArrowBatch.SCHEMA_RELEASE, null); // the schema's memory is this feed's
    private final Release releaseChild = a -> a.setPointer(ArrowBatch.ARRAY_RELEASE, null); // freed with its batch
    private final Release releaseBatch = this::releaseBatch;

    /**
     * Starts the statement {@code statement} gives for the stream's name, on a
     * connection duplicated from {@code database}.
     */
    ArrowFeed(DuckDBConnection database, ProbeTable table, Function<String, String> statement) throws SQLException {
        this(database, table, table.columns(), statement);
    }

    /** As above, for batches of some of the table's columns ({@code loaded}, see {@link ArrowBatch#loaded}). */
    ArrowFeed(DuckDBConnection database, ProbeTable table, List<ProbeTable.Column> loaded, Function<String, String> statement)
            throws SQLException {
        // DuckDB's threads call back into Java once per batch: they stay attached to the JVM (until they end)
        // rather than attach and detach each time, which cost more than the batch's own work.
        for (Callback callback : List.of(getSchema, getNext, getLastError, releaseStream, releaseSchema, releaseChild, releaseBatch)) {
            Native.setCallbackThreadInitializer(callback, new CallbackThreadInitializer(true, false, "bpfscope-duckdb-arrow"));
        }
        this.schema = ArrowBatch.schema(loaded, CallbackReference.getFunctionPointer(releaseSchema));
        stream.clear();
        stream.setPointer(STREAM_GET_SCHEMA, CallbackReference.getFunctionPointer(getSchema));
        stream.setPointer(STREAM_GET_NEXT, CallbackReference.getFunctionPointer(getNext));
        stream.setPointer(STREAM_GET_LAST_ERROR, CallbackReference.getFunctionPointer(getLastError));
        stream.setPointer(STREAM_RELEASE, CallbackReference.getFunctionPointer(releaseStream));
        DuckDBConnection connection = (DuckDBConnection) database.duplicate();
        String name = "bpfscope_arrow_" + NAMES.incrementAndGet();
        this.reader = new Thread(() -> {
            try (connection; Statement run = connection.createStatement()) {
                connection.registerArrowStream(name, ArrowArrayStream.wrap(Pointer.nativeValue(stream)));
                run.execute(statement.apply(name));
            } catch (SQLException | RuntimeException | LinkageError e) {
                failure = e;
            } finally {
                ended = true;
                freeQueued(); // a loading thread waiting to send goes on (its batch is dropped)
            }
        }, "bpfscope-sql-" + table.name());
        reader.setDaemon(true);
        reader.start();
    }

    /** Hands a batch to DuckDB; waits while it is behind. After a failure, drops it. */
    void send(ArrowBatch.Sealed batch) throws InterruptedException {
        rows.addAndGet(batch.rows());
        while (!ended) {
            if (queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                if (ended) {
                    freeQueued(); // the reader stopped while this one went in
                }
                return;
            }
        }
        batch.free();
    }

    /** Rows sent. */
    long rows() {
        return rows.get();
    }

    /** Ends the stream, waits for the statement, frees what is left; throws the statement's failure. */
    void finish() throws SQLException, InterruptedException {
        while (!ended && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
            // DuckDB is reading what is queued
        }
        reader.join();
        freeQueued();
        held.values().forEach(ArrowBatch.Sealed::free); // not released: the statement failed mid-scan
        held.clear();
        schema.close();
        stream.close();
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure != null) {
            throw new SQLException(CaptureDatabase.oneLine(String.valueOf(failure.getMessage())), failure);
        }
    }

    private void freeQueued() {
        for (ArrowBatch.Sealed batch = queue.poll(); batch != null; batch = queue.poll()) {
            if (batch != END) {
                batch.free();
            }
        }
    }

    private int getSchema(Pointer self, Pointer out) {
        out.write(0, schema.getByteArray(0, ArrowBatch.SCHEMA_SIZE), 0, ArrowBatch.SCHEMA_SIZE);
        return 0;
    }

    /** DuckDB's scan asks for the next batch: moved into {@code out}, or a released struct at the end. */
    private int getNext(Pointer self, Pointer out) {
        try {
            ArrowBatch.Sealed batch = queue.take();
            if (batch == END) {
                out.setPointer(ArrowBatch.ARRAY_RELEASE, null);
                return 0;
            }
            long id = ids.incrementAndGet();
            held.put(id, batch);
            out.write(0, batch.block().getByteArray(batch.topStruct(), ArrowBatch.ARRAY_SIZE), 0, ArrowBatch.ARRAY_SIZE);
            out.setPointer(ArrowBatch.ARRAY_RELEASE, CallbackReference.getFunctionPointer(releaseBatch));
            out.setPointer(ArrowBatch.ARRAY_PRIVATE_DATA, new Pointer(id));
            setChildRelease(batch.block(), batch.topStruct());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("interrupted");
        } catch (RuntimeException e) {
            return error(String.valueOf(e.getMessage()));
        }
    }

    /** Every child array must have a release member (the parent's release frees them all). */
    private void setChildRelease(Memory block, long struct) {
        long children = block.getLong(struct + ArrowBatch.ARRAY_N_CHILDREN);
        Pointer list = block.getPointer(struct + ArrowBatch.ARRAY_CHILDREN);
        for (int i = 0; i < children; i++) {
            Pointer child = list.getPointer(8L * i);
            child.setPointer(ArrowBatch.ARRAY_RELEASE, CallbackReference.getFunctionPointer(releaseChild));
            setChildRelease(block, Pointer.nativeValue(child) - Pointer.nativeValue(block));
        }
    }

    private void releaseBatch(Pointer array) {
        ArrowBatch.Sealed batch = held.remove(Pointer.nativeValue(array.getPointer(ArrowBatch.ARRAY_PRIVATE_DATA)));
        if (batch != null) {
            batch.free();
        }
        array.setPointer(ArrowBatch.ARRAY_RELEASE, null);
    }

    private int error(String message) {
        Memory text = new Memory(message.length() * 3L + 1);
        text.setString(0, message, "UTF-8");
        lastError = text;
        return EIO;
    }
}
