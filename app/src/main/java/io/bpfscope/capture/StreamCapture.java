package io.bpfscope.capture;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.io.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A capture arriving on a stream, e.g. {@code ssh host sudo bpfscope record -o - | bpfscope gui -}:
 * a background thread reads it as it comes into an {@link EventStore}, and
 * into a private temporary file so memory stays bounded and Save is a copy.
 * Views poll the store on their own pulse. Thread-safe.
 */
public final class StreamCapture implements AutoCloseable {
    private static final int BATCH_RECORDS = 4096;
    private static final long BATCH_NANOS = 50_000_000L; // show what came within 50 ms

    private final CaptureReader reader;
    private final Path file;
    private final CaptureWriter writer;
    private final EventStore store;
    private final Thread thread;
    private volatile boolean finished;
    private volatile String problem;

    private StreamCapture(CaptureReader reader, Path file, long memoryBudget) throws IOException {
        this.reader = reader;
        this.file = file;
        this.writer = new CaptureWriter(new BufferedOutputStream(PrivateFiles.create(file), 1 << 16), reader.header());
        this.store = new EventStore(memoryBudget, file);
        writer.setBlockListener(store::blockWritten);
        this.thread = new Thread(this::readLoop, "bpfscope-stream-reader");
        thread.setDaemon(true);
    }

    /** Reads the header now (a stream that is not a capture fails here), then the events in the background. */
    public static StreamCapture start(InputStream in, String name, Path directory, long memoryBudget) throws IOException {
        CaptureReader reader = CaptureReader.open(in, name);
        Path file = Files.createTempFile(directory, "bpfscope-stream-", ".bscap");
        try {
            StreamCapture capture = new StreamCapture(reader, file, memoryBudget);
            capture.thread.start();
            return capture;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public CaptureHeader header() {
        return reader.header();
    }

    public EventStore store() {
        return store;
    }

    /** True once the stream has ended (or failed). */
    public boolean finished() {
        return finished;
    }

    /** Why the stream ended early (cut, damaged, unreadable), if it did. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private void readLoop() {
        RecordBatch batch = new RecordBatch(1 << 20, BATCH_RECORDS);
        long batchStarted = System.nanoTime();
        try {
            while (true) {
                if (!batch.isEmpty() && reader.mayBlock()) {
                    // Nothing more buffered: show what came before waiting on the stream.
                    publish(batch);
                    batch = new RecordBatch(1 << 20, BATCH_RECORDS);
                    batchStarted = System.nanoTime();
                }
                RawRecord record = reader.next();
                if (record == null) {
                    break;
                }
                if (!batch.append(record.bytes(), record.offset(), record.length())) {
                    publish(batch);
                    batch = new RecordBatch(1 << 20, BATCH_RECORDS);
                    batch.append(record.bytes(), record.offset(), record.length());
                    batchStarted = System.nanoTime();
                }
                if (batch.count() >= BATCH_RECORDS || System.nanoTime() - batchStarted > BATCH_NANOS) {
                    publish(batch);
                    batch = new RecordBatch(1 << 20, BATCH_RECORDS);
                    batchStarted = System.nanoTime();
                }
            }
            publish(batch);
            problem = reader.problem().orElse(null);
        } catch (IOException e) {
            problem = e.getMessage();
        } finally {
            finished = true;
        }
    }

    private void publish(RecordBatch batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        RecordBatch kept = batch;
        if (batch.byteSize() < batch.bytes().length / 2) {
            // A trickle: keep a right-sized copy, not a mostly empty megabyte.
            kept = new RecordBatch(batch.byteSize(), batch.count());
            for (int i = 0; i < batch.count(); i++) {
                kept.append(batch.bytes(), batch.offset(i), batch.length(i));
            }
        }
        writer.append(kept);
        store.append(kept);
    }

    /** Stops reading (closing the stream) and removes the temporary file. */
    @Override
    public void close() throws IOException {
        reader.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
        } finally {
            store.close();
            Files.deleteIfExists(file);
        }
    }
}
