package io.bpfscope.capture;

import io.bpfscope.bridge.ring.RecordBatch;
import java.util.Arrays;

/**
 * Every record of a capture, append-only, in arrival order; seq 1 is the
 * first. Batches from the ring reader are kept as they came (no copy); a
 * lookup finds its batch by binary search.
 *
 * <p>One writer ({@link #append}), any number of readers: a reader sees a
 * batch whole or not at all, because {@link #size()} is published after it.
 */
public final class EventStore {
    private volatile RecordBatch[] batches = new RecordBatch[64];
    private volatile long[] firstSeq = new long[64];
    private int batchCount;
    private volatile long size;

    /** Adds a batch; the store keeps it, so the caller must not reuse it. */
    public void append(RecordBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (batchCount == batches.length) {
            int grown = batches.length * 2;
            firstSeq = Arrays.copyOf(firstSeq, grown);
            batches = Arrays.copyOf(batches, grown);
        }
        firstSeq[batchCount] = size + 1;
        batches[batchCount] = batch;
        batchCount++;
        size += batch.count(); // publishes the batch to readers
    }

    /** Records stored. */
    public long size() {
        return size;
    }

    /** Record {@code seq} (1-based, up to {@link #size()}). */
    public RawRecord get(long seq) {
        long limit = size;
        if (seq < 1 || seq > limit) {
            throw new IndexOutOfBoundsException("seq " + seq + " of " + limit);
        }
        long[] starts = firstSeq;
        RecordBatch[] all = batches;
        int lo = 0;
        int hi = all.length - 1;
        while (lo < hi) { // last batch whose first seq <= seq
            int mid = (lo + hi + 1) >>> 1;
            if (all[mid] != null && starts[mid] <= seq) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        RecordBatch batch = all[lo];
        int i = (int) (seq - starts[lo]);
        return new RawRecord(seq, batch.bytes(), batch.offset(i), batch.length(i));
    }

    /** Loads every record of a capture file into a new store. */
    public static EventStore load(CaptureReader reader) throws java.io.IOException {
        EventStore store = new EventStore();
        RecordBatch batch = new RecordBatch(1 << 20, 16384);
        for (RawRecord record = reader.next(); record != null; record = reader.next()) {
            if (!batch.append(record.bytes(), record.offset(), record.length())) {
                store.append(batch);
                batch = new RecordBatch(1 << 20, 16384);
                batch.append(record.bytes(), record.offset(), record.length());
            }
        }
        store.append(batch);
        return store;
    }
}
