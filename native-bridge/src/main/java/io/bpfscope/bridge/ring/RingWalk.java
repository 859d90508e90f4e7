package io.bpfscope.bridge.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The consumer's walk over a BPF ring buffer, on three buffers: the consumer
 * position (ours), the producer position (the kernel's) and the data area,
 * which is {@code 2 * size} bytes because the kernel maps it twice in a row, so a
 * record that wraps around the end is still contiguous (kernel/bpf/ringbuf.c).
 *
 * <p>Kept apart from the mapping so that it can run over buffers a test fills
 * (as cilium/ebpf tests {@code ringbuf/ring.go}). Each record starts with an
 * 8-byte header: a u32 length whose top bits say busy (still being written)
 * and discard (skip it), and a u32 the kernel uses to find its page. Records
 * are 8-byte aligned. Not thread-safe: one reader.
 */
final class RingWalk {
    static final int BUSY_BIT = 1 << 31;
    static final int DISCARD_BIT = 1 << 30;
    static final int HEADER_SIZE = 8;

    // Acquire/release views: the kernel publishes positions and headers with
    // smp_store_release, so we read them with acquire and release our position.
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer consumerPage; // read-write: our position, a u64 at 0
    private final ByteBuffer producerPage; // read-only: the kernel's position, a u64 at 0
    private final ByteBuffer data;         // read-only, 2 * size bytes
    private final long mask;

    /** {@code size} is the ring's data size, a power of two; {@code data} holds twice that. */
    RingWalk(ByteBuffer consumerPage, ByteBuffer producerPage, ByteBuffer data, int size) {
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.data = data;
        this.mask = size - 1L;
    }

    /** Bytes written by the kernel and not yet consumed. */
    long pendingBytes() {
        return (long) LONG.getAcquire(producerPage, 0) - (long) LONG.getAcquire(consumerPage, 0);
    }

    /**
     * Copies every complete record into {@code batch}, until the ring is empty,
     * a record is still being written, or the batch is full; then hands the
     * space back to the kernel. Discarded records are stepped over, not copied
     * nor counted. Returns the number of records copied.
     */
    int drain(RecordBatch batch) {
        long consumer = (long) LONG.getAcquire(consumerPage, 0);
        long producer = (long) LONG.getAcquire(producerPage, 0);
        int copied = 0;
        while (consumer < producer) {
            int at = (int) (consumer & mask);
            int header = (int) INT.getAcquire(data, at);
            if ((header & BUSY_BIT) != 0) {
                break; // reserved but not committed: records behind it must wait, in order
            }
            int length = header & ~(BUSY_BIT | DISCARD_BIT);
            if ((header & DISCARD_BIT) == 0) {
                if (!batch.append(data, at + HEADER_SIZE, length)) {
                    break;
                }
                copied++;
            }
            consumer += (length + HEADER_SIZE + 7) & ~7L;
            if (consumer == producer) {
                producer = (long) LONG.getAcquire(producerPage, 0); // more may have come meanwhile
            }
        }
        LONG.setRelease(consumerPage, 0, consumer); // the kernel may now reuse what we read
        return copied;
    }
}
