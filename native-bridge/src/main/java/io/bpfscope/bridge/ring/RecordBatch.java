package io.bpfscope.bridge.ring;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Records copied out of the ring buffer, back to back in one array: the one
 * copy between the kernel and the event store. The receiver of a batch owns
 * it and may keep its arrays; the reader starts a fresh batch each time.
 *
 * <p>Not thread-safe; handed from one thread to another whole.
 */
public final class RecordBatch {
    private byte[] bytes;
    private int[] offsets;
    private int[] lengths;
    private int count;
    private int used;

    public RecordBatch(int byteCapacity, int recordCapacity) {
        this.bytes = new byte[byteCapacity];
        this.offsets = new int[recordCapacity];
        this.lengths = new int[recordCapacity];
    }

    /**
     * Copies a record in; false when the batch is full (the record stays in the
     * ring for the next batch). A record larger than an empty batch grows it.
     */
    boolean append(ByteBuffer source, int index, int length) {
        if (count == offsets.length) {
            return false;
        }
        if (used + length > bytes.length) {
            if (count > 0) {
                return false;
            }
            bytes = new byte[length];
        }
        source.get(index, bytes, used, length);
        offsets[count] = used;
        lengths[count] = length;
        count++;
        used += length;
        return true;
    }

    /** Appends a record from an array (tests, the libbpf callback path). */
    public boolean append(byte[] record, int from, int length) {
        return append(ByteBuffer.wrap(record), from, length);
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The array holding every record; record i is at {@link #offset(int)} for {@link #length(int)} bytes. */
    public byte[] bytes() {
        return bytes;
    }

    public int offset(int i) {
        return offsets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /** Bytes used by records. */
    public int byteSize() {
        return used;
    }

    /** A copy of record i (tests and slow paths). */
    public byte[] record(int i) {
        return Arrays.copyOfRange(bytes, offsets[i], offsets[i] + lengths[i]);
    }
}
