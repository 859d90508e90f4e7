package io.bpfscope.probes;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header every event starts with ({@code struct event_header} in
 * event_header.h). Times are CLOCK_BOOTTIME nanoseconds as the kernel sent
 * them; the capture turns them into wall-clock instants.
 */
public record EventHeader(long bootNanos, int pid, int tid, int uid, int kind, int source, String comm) {
    public static final EventLayout LAYOUT = EventLayout.struct("event_header", 40)
            .field("ts_ns", 0, 8)
            .field("pid", 8, 4)
            .field("tid", 12, 4)
            .field("uid", 16, 4)
            .field("kind", 20, 2)
            .field("source", 22, 2)
            .field("comm", 24, 16)
            .build();

    public static final int SIZE = 40;
    private static final int PID = LAYOUT.offsetOf("pid", Integer.BYTES);
    private static final int TID = LAYOUT.offsetOf("tid", Integer.BYTES);
    private static final int UID = LAYOUT.offsetOf("uid", Integer.BYTES);
    static final int KIND_OFFSET = LAYOUT.offsetOf("kind", Short.BYTES);
    static final int SOURCE_OFFSET = LAYOUT.offsetOf("source", Short.BYTES);
    private static final int COMM = LAYOUT.offsetOf("comm", 16);
    private static final int TS_NS = LAYOUT.offsetOf("ts_ns", Long.BYTES);

    /** Decodes the header at {@code offset}; the record must be at least {@link #SIZE} bytes. */
    public static EventHeader decode(ByteBuffer record, int offset) {
        ByteBuffer le = record.order() == ByteOrder.LITTLE_ENDIAN ? record : record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new EventHeader(
                le.getLong(offset + TS_NS),
                le.getInt(offset + PID),
                le.getInt(offset + TID),
                le.getInt(offset + UID),
                Short.toUnsignedInt(le.getShort(offset + KIND_OFFSET)),
                Short.toUnsignedInt(le.getShort(offset + SOURCE_OFFSET)),
                CStrings.read(le, offset + COMM, 16));
    }

    /** The kind of a raw record without decoding the rest. */
    public static int kindOf(byte[] bytes, int offset) {
        return (bytes[offset + KIND_OFFSET] & 0xff) | (bytes[offset + KIND_OFFSET + 1] & 0xff) << 8;
    }

    /** The source id of a raw record without decoding the rest. */
    public static int sourceOf(byte[] bytes, int offset) {
        return (bytes[offset + SOURCE_OFFSET] & 0xff) | (bytes[offset + SOURCE_OFFSET + 1] & 0xff) << 8;
    }

    /** The boot-time stamp of a raw record without decoding the rest. */
    public static long bootNanosOf(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = value << 8 | (bytes[offset + TS_NS + i] & 0xff);
        }
        return value;
    }
}
