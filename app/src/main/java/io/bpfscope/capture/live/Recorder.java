package io.bpfscope.capture.live;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.MalformedEventException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * Writes a live capture to {@code .bscap} files as it comes, on the capture's
 * dispatcher thread. Batches that arrive while probes are still attaching are
 * held until {@link #begin} gives the header. Optionally keeps only events a
 * display filter matches, rotates to a new file past a size, and stops after
 * {@code maxEvents} (0 = no limit), asking the capture to stop.
 */
public final class Recorder implements CaptureSession.Listener {
    /** Opens the n-th output (0 first); rotation asks for 1, 2, ... */
    public interface Outputs {
        OutputStream open(int index) throws IOException;
    }

    private final Outputs outputs;
    private final long maxEvents;
    private final long maxFileBytes;
    private final Runnable onLimitReached;
    private final List<RecordBatch> early = new ArrayList<>();
    private volatile CaptureHeader header;
    private volatile LongFunction<CaptureCounters> counters;
    private volatile Predicate<DecodedRecord> filter;
    private RecordDecoder decoder;
    private CaptureWriter writer;
    private int fileIndex;
    private volatile long events;
    private volatile long filteredOut;
    private volatile long undecodable;
    private long bytesInEarlierFiles;
    private volatile java.util.function.Consumer<String> notices = text -> { };
    private boolean indexFiles;

    /**
     * @param maxFileBytes start a new file once one passes this size (0 = one file)
     */
    public Recorder(Outputs outputs, long maxEvents, long maxFileBytes, Runnable onLimitReached) {
        this.outputs = outputs;
        this.maxEvents = maxEvents;
        this.maxFileBytes = maxFileBytes;
        this.onLimitReached = onLimitReached;
    }

    /** Each file ends with an index (see {@code CaptureFileIndex}): for files, not for a stream such as stdout. */
    public Recorder indexFiles() {
        indexFiles = true;
        return this;
    }

    /** Called once the probes are attached: from here on events go to the file. */
    public void begin(CaptureHeader captureHeader, LongFunction<CaptureCounters> countersSource,
                      Predicate<DecodedRecord> keep) {
        this.counters = countersSource;
        this.filter = keep;
        this.header = captureHeader;
    }

    /** Events written. */
    public long events() {
        return events;
    }

    /** Events the filter did not keep. */
    public long filteredOut() {
        return filteredOut;
    }

    /** Events that could not be decoded to be filtered, so were not kept (counted apart from {@link #filteredOut()}). */
    public long undecodable() {
        return undecodable;
    }

    /** Files started so far. */
    public int files() {
        return fileIndex + (writer == null ? 0 : 1);
    }

    @Override
    public void onBatch(RecordBatch batch) throws IOException {
        try {
            if (!ready()) {
                early.add(batch);
                return;
            }
            write(batch);
        } catch (IOException e) {
            abandon(e);
        }
    }

    /** Where a probe's later notices go (record prints them on stderr); by default nowhere. */
    public void onNotices(java.util.function.Consumer<String> handler) {
        this.notices = handler;
    }

    @Override
    public void onNotice(String text) {
        notices.accept(text);
    }

    @Override
    public void onTick() throws IOException {
        try {
            if (ready()) {
                writer.flush(counters.apply(events));
            }
        } catch (IOException e) {
            abandon(e);
        }
    }

    /** A failed output (a full disk) ends the capture: close the file now, as far as it got, and say why. */
    private void abandon(IOException failure) throws IOException {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException again) {
                failure.addSuppressed(again); // the descriptor is closed all the same
            }
        }
        throw failure;
    }

    private boolean ready() throws IOException {
        if (writer != null) {
            return true;
        }
        if (header == null) {
            return false;
        }
        decoder = new RecordDecoder(header);
        writer = newWriter();
        for (RecordBatch batch : early) {
            write(batch);
        }
        early.clear();
        return true;
    }

    private void write(RecordBatch batch) throws IOException {
        for (int i = 0; i < batch.count(); i++) {
            if (maxEvents > 0 && events >= maxEvents) {
                onLimitReached.run();
                return;
            }
            if (!keep(batch, i)) {
                continue;
            }
            writer.append(batch.bytes(), batch.offset(i), batch.length(i));
            events++;
            if (maxFileBytes > 0 && writer.sizeWithPending() >= maxFileBytes) {
                rotate();
            }
        }
        if (maxEvents > 0 && events >= maxEvents) {
            onLimitReached.run();
        }
    }

    private boolean keep(RecordBatch batch, int i) {
        Predicate<DecodedRecord> keep = filter;
        if (keep == null) {
            return true;
        }
        DecodedRecord record;
        try {
            record = decoder.decode(new RawRecord(events + 1, batch.bytes(), batch.offset(i), batch.length(i)));
        } catch (MalformedEventException e) {
            undecodable++;
            return false;
        }
        if (!keep.test(record)) {
            filteredOut++;
            return false;
        }
        return true;
    }

    /** Closes the current file whole (END block) and starts the next, with the same header. */
    private void rotate() throws IOException {
        writer.finish(counters.apply(events));
        bytesInEarlierFiles += writer.bytesWritten();
        fileIndex++;
        writer = newWriter();
    }

    /** After the capture has stopped: writes what is left and the END block. */
    public void finish(CaptureCounters finalCounters) throws IOException {
        if (!ready()) {
            throw new IllegalStateException("finish before begin");
        }
        writer.finish(finalCounters);
    }

    /** Bytes written to every file so far, for status lines. */
    public long bytesWritten() {
        return bytesInEarlierFiles + (writer == null ? 0 : writer.bytesWritten());
    }

    private CaptureWriter newWriter() throws IOException {
        CaptureWriter created = new CaptureWriter(outputs.open(fileIndex), header);
        return indexFiles ? created.indexAtEnd() : created;
    }
}
