package io.bpfscope.capture.file;

import io.bpfscope.probes.EventHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One record as the probe sent it, numbered by its place in the capture
 * (seq starts at 1). {@code bytes} may be shared with other records; do not
 * modify it.
 */
public record RawRecord(long seq, byte[] bytes, int offset, int length) {
    public int kind() {
        return EventHeader.kindOf(bytes, offset);
    }

    public int source() {
        return EventHeader.sourceOf(bytes, offset);
    }

    public long bootNanos() {
        return EventHeader.bootNanosOf(bytes, offset);
    }

    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes);
    }

    public byte[] copy() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    public boolean hasHeader() {
        return length >= EventHeader.SIZE;
    }
}
