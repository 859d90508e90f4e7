package io.bpfscope.capture.live;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.io.PrivateFile;
import io.bpfscope.io.PrivateFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A capture arriving on a stream, e.g. {@code ssh host sudo bpfscope record -o - | bpfscope gui -}:
 * a background thread reads it as it comes into an {@link EventStore}, and
 * into a private temporary file so memory stays bounded and Save is a copy.
 * Views poll the store on their own pulse. Thread-safe.
 */
public final class StreamCapture implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamCapture.class.getName());
    private static final int BATCH_RECORDS = 16384;
    private static final long BATCH_NANOS = 50_000_000L; // show what came within 50 ms

    private final CaptureReader reader;
    private final String name;
    private final Path file;
    private final CaptureWriter writer;
    private final EventStore store;
    private final Thread thread;
    private final Thread publisher;
    private final Object lock = new Object();
    private RecordBatch pending = new RecordBatch(1 << 20, BATCH_RECORDS);
    private volatile boolean readerDone;
    private volatile boolean finished;
    private volatile String problem;
    private int probesWritten;

    private StreamCapture(CaptureReader reader, String name, PrivateFile file, long memoryBudget) throws IOException {
        this.reader = reader;
        this.name = name;
        this.file = file.path();
        this.writer = new CaptureWriter(new BufferedOutputStream(file.stream(), 1 << 16), reader.header()).indexAtEnd();
        this.probesWritten = reader.header().probes().size();
        this.store = new EventStore(memoryBudget, this.file);
        writer.setBlockListener(store::blockWritten);
        this.thread = new Thread(this::readLoop, "bpfscope-stream-reader");
        thread.setDaemon(true);
        this.publisher = new Thread(this::publishLoop, "bpfscope-stream-publisher");
        publisher.setDaemon(true);
    }

    /** Reads the header now (a stream that is not a capture fails here), then the events in the background. */
    public static StreamCapture start(InputStream in, String name, Path directory, long memoryBudget) throws IOException {
        return start(in, name, directory, memoryBudget, "bpfscope-stream-", (type, payload) -> { });
    }

    /**
     * As above, its private copy named {@code filePrefix...}; {@code otherBlocks} is given the blocks
     * that carry no events, probes or counters, on the reader thread.
     */
    public static StreamCapture start(InputStream in, String name, Path directory, long memoryBudget, String filePrefix,
                                      java.util.function.BiConsumer<Integer, byte[]> otherBlocks) throws IOException {
        CaptureReader reader = CaptureReader.open(in, name);
        reader.setOtherBlockListener(otherBlocks);
        PrivateFile file = PrivateFiles.createTemporary(directory, filePrefix, ".bscap");
        try {
            StreamCapture capture = new StreamCapture(reader, name, file, memoryBudget);
            capture.thread.start();
            capture.publisher.start();
            return capture;
        } catch (IOException | RuntimeException e) {
            file.stream().close();
            PrivateFiles.delete(file.path());
            throw e;
        }
    }

    public CaptureHeader header() {
        return reader.header();
    }

    /** What the stream is read from, as the status bar names it: {@code stdin}, {@code sources}. */
    public String name() {
        return name;
    }

    public EventStore store() {
        return store;
    }

    /** The private temporary copy of what has come so far (Save copies it, Export reads it). */
    public Path file() {
        return file;
    }

    /** True once the stream has ended (or failed). */
    public boolean finished() {
        return finished;
    }

    /** Why the stream ended early (cut, damaged, unreadable), if it did. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * The reader thread only gathers records; this thread alone hands them to
     * the file and the store (their single writer), every 50 ms, so records
     * show up even while the reader is blocked on a quiet stream.
     */
    private void publishLoop() {
        try {
            while (true) {
                boolean last = readerDone;
                RecordBatch ready;
                synchronized (lock) {
                    ready = pending;
                    pending = new RecordBatch(1 << 20, BATCH_RECORDS);
                    lock.notifyAll();
                }
                publish(ready);
                if (last) {
                    // The whole stream is in: the private file ends as a complete capture (Export, Save read it).
                    writeNewProbes();
                    writer.finish(countersSoFar());
                    break;
                }
                Thread.sleep(BATCH_NANOS / 1_000_000);
            }
        } catch (IOException e) {
            problem = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished = true;
        }
    }

    private void readLoop() {
        try {
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                synchronized (lock) {
                    if (!pending.append(record.bytes(), record.offset(), record.length())) {
                        // Full: wait for the publisher rather than drop (a stream can wait; the kernel cannot).
                        while (!pending.isEmpty()) {
                            lock.wait(10);
                        }
                        pending.append(record.bytes(), record.offset(), record.length());
                    }
                }
            }
            problem = reader.problem().orElse(null);
        } catch (IOException e) {
            problem = e.getMessage();
        } catch (RuntimeException e) {
            // A bug met on hostile bytes must still end the stream visibly, not kill this thread silently.
            LOG.log(System.Logger.Level.ERROR, "reading the stream failed", e);
            problem = "reading the stream failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readerDone = true;
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
        writeNewProbes();
        writer.append(kept);
        writer.flush(countersSoFar()); // what is shown is also in the file, for Export and Save
        store.append(kept);
    }

    /**
     * The private copy declares the probes the stream declared (PROBE blocks), before their records:
     * every probe read so far goes out ahead of this batch, so the copy decodes on its own.
     */
    private void writeNewProbes() throws IOException {
        java.util.List<CaptureHeader.ProbeEntry> probes = reader.header().probes();
        while (probesWritten < probes.size()) {
            writer.addProbe(probes.get(probesWritten++));
        }
    }

    /** The sender's latest loss counters, as the stream told them. */
    public CaptureCounters countersSoFar() {
        return reader.counters().orElse(new CaptureCounters(0, store.size(), 0, java.util.List.of()));
    }

    /** Stops reading (closing the stream) and removes the temporary file. */
    @Override
    public void close() throws IOException {
        reader.close();
        try {
            thread.join(2000);
            publisher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
        } finally {
            store.close();
            PrivateFiles.delete(file);
        }
    }
}
