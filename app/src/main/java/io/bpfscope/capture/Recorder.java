package io.bpfscope.capture;

import io.bpfscope.bridge.ring.RecordBatch;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Writes a live capture to a {@code .bscap} as it comes, on the capture's
 * dispatcher thread. Batches that arrive while probes are still attaching are
 * held until {@link #begin} gives the header. Stops taking events after
 * {@code maxEvents} (0 = no limit) and then asks the capture to stop.
 */
public final class Recorder implements CaptureSession.Listener {
    private final OutputStream out;
    private final long maxEvents;
    private final Runnable onLimitReached;
    private final List<RecordBatch> early = new ArrayList<>();
    private volatile CaptureHeader header;
    private volatile LongFunction<CaptureCounters> counters;
    private CaptureWriter writer;
    private volatile long events;

    public Recorder(OutputStream out, long maxEvents, Runnable onLimitReached) {
        this.out = out;
        this.maxEvents = maxEvents;
        this.onLimitReached = onLimitReached;
    }

    /** Called once the probes are attached: from here on events go to the file. */
    public void begin(CaptureHeader captureHeader, LongFunction<CaptureCounters> countersSource) {
        this.counters = countersSource;
        this.header = captureHeader;
    }

    public long events() {
        return events;
    }

    @Override
    public void onBatch(RecordBatch batch) throws IOException {
        if (!ready()) {
            early.add(batch);
            return;
        }
        write(batch);
    }

    @Override
    public void onTick() throws IOException {
        if (ready()) {
            writer.flush(counters.apply(events));
        }
    }

    private boolean ready() throws IOException {
        if (writer != null) {
            return true;
        }
        if (header == null) {
            return false;
        }
        writer = new CaptureWriter(out, header);
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
            writer.append(batch.bytes(), batch.offset(i), batch.length(i));
            events++;
        }
        if (maxEvents > 0 && events >= maxEvents) {
            onLimitReached.run();
        }
    }

    /** After the capture has stopped: writes what is left and the END block. */
    public void finish(CaptureCounters finalCounters) throws IOException {
        if (!ready()) {
            throw new IllegalStateException("finish before begin");
        }
        writer.finish(finalCounters);
    }

    /** The writer's byte count so far, for status lines. */
    public long bytesWritten() {
        return writer == null ? 0 : writer.bytesWritten();
    }
}
