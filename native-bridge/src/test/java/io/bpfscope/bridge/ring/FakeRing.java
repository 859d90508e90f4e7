package io.bpfscope.bridge.ring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An in-memory BPF ring buffer playing the kernel's part, as
 * kernel/bpf/ringbuf.c does: reserve writes a busy header and moves the
 * producer position at once; commit clears the busy bit, discard sets the
 * discard bit. The data area is 2 * size bytes and every byte is written at
 * both of its places, as the kernel's double mapping shows it.
 */
final class FakeRing {
    final int size;
    final ByteBuffer consumerPage = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    final ByteBuffer producerPage = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    final ByteBuffer data;

    FakeRing(int size) {
        this.size = size;
        this.data = ByteBuffer.allocate(2 * size).order(ByteOrder.nativeOrder());
    }

    RingWalk walk() {
        return new RingWalk(consumerPage, producerPage, data, size);
    }

    /** Starts both positions at {@code position}, as if that much had been written and read. */
    FakeRing startingAt(long position) {
        consumerPage.putLong(0, position);
        producerPage.putLong(0, position);
        return this;
    }

    long consumer() {
        return consumerPage.getLong(0);
    }

    long producer() {
        return producerPage.getLong(0);
    }

    /** Reserves a record holding {@code payload}, still busy; returns its position. */
    long reserve(byte[] payload) {
        long position = producer();
        if (position + RingWalk.HEADER_SIZE + payload.length - consumer() > size) {
            throw new IllegalStateException("the fake ring is full");
        }
        putHeader(position, payload.length | RingWalk.BUSY_BIT);
        for (int i = 0; i < payload.length; i++) {
            put(position + RingWalk.HEADER_SIZE + i, payload[i]);
        }
        producerPage.putLong(0, position + ((RingWalk.HEADER_SIZE + payload.length + 7) & ~7L));
        return position;
    }

    void commit(long position) {
        putHeader(position, header(position) & ~RingWalk.BUSY_BIT);
    }

    void discard(long position) {
        putHeader(position, (header(position) & ~RingWalk.BUSY_BIT) | RingWalk.DISCARD_BIT);
    }

    /** Reserves and commits. */
    long write(byte[] payload) {
        long position = reserve(payload);
        commit(position);
        return position;
    }

    private int header(long position) {
        return data.getInt((int) (position & (size - 1)));
    }

    private void putHeader(long position, int header) {
        int at = (int) (position & (size - 1)); // 8-aligned, so a header never wraps
        data.putInt(at, header);
        data.putInt(at + size, header);
        data.putInt(at + 4, 0);  // the kernel's page offset: unused by the reader
        data.putInt(at + 4 + size, 0);
    }

    private void put(long position, byte b) {
        int at = (int) (position & (size - 1));
        data.put(at, b);
        data.put(at + size, b);
    }
}
