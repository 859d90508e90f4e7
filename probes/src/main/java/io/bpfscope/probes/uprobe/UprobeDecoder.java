package io.bpfscope.probes.uprobe;

import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes {@code struct uprobe_event} (uprobe.h). The records do not name
 * their function; a decoder made for one ({@link #UprobeDecoder(String)},
 * from the capture header's target) puts its name in the events. Immutable
 * and thread-safe.
 */
public final class UprobeDecoder implements EventDecoder {
    public static final EventLayout LAYOUT = EventLayout.struct("uprobe_event", 128)
            .field("hdr", 0, EventHeader.SIZE)
            .field("args", 40, 48)
            .field("retval", 88, 8)
            .field("latency_ns", 96, 8)
            .field("buf_addr", 104, 8)
            .field("buf_size", 112, 8)
            .field("len", 120, 4)
            .field("phase", 124, 1)
            .field("flags", 125, 1)
            .field("reserved", 126, 2)
            .field("data", 128, 32768)
            .build();

    private static final int ARGS = LAYOUT.offsetOf("args", 6 * Long.BYTES);
    private static final int RETVAL = LAYOUT.offsetOf("retval", Long.BYTES);
    private static final int LATENCY_NS = LAYOUT.offsetOf("latency_ns", Long.BYTES);
    private static final int BUF_ADDR = LAYOUT.offsetOf("buf_addr", Long.BYTES);
    private static final int BUF_SIZE = LAYOUT.offsetOf("buf_size", Long.BYTES);
    private static final int LEN = LAYOUT.offsetOf("len", Integer.BYTES);
    private static final int PHASE = LAYOUT.offsetOf("phase", Byte.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Byte.BYTES);

    private static final int PHASE_RETURN = 1;
    private static final int ENTRY_SEEN = 1;
    private static final int READ_FAILED = 2;

    private final String binary;
    private final String function;

    /** A decoder that does not know the function: events say {@code ?}. */
    public UprobeDecoder() {
        this("", "?");
    }

    /** For the function {@code target}, written {@code PATH:SYMBOL}. */
    public UprobeDecoder(String target) {
        this(target.substring(0, Math.max(0, target.lastIndexOf(':'))), target.substring(target.lastIndexOf(':') + 1));
    }

    private UprobeDecoder(String binary, String function) {
        this.binary = binary;
        this.function = function;
    }

    @Override
    public UprobeEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] args = new long[6];
        for (int i = 0; i < args.length; i++) {
            args[i] = le.getLong(offset + ARGS + 8 * i);
        }
        int len = le.getInt(offset + LEN);
        if (len < 0 || len > 32768) {
            throw new MalformedEventException("uprobe_event with a buffer of " + Integer.toUnsignedString(len) + " bytes");
        }
        MalformedEventException.requireRoom(LAYOUT, length, LAYOUT.fixedSize(), len);
        int flags = le.get(offset + FLAGS) & 0xff;
        byte[] bytes = null;
        long bufAddr = le.getLong(offset + BUF_ADDR);
        if (bufAddr != 0 || len > 0) {
            bytes = new byte[len];
            le.get(offset + LAYOUT.fixedSize(), bytes);
        }
        return new UprobeEvent(EventHeader.decode(le, offset), binary, function,
                (le.get(offset + PHASE) & 0xff) == PHASE_RETURN, args, le.getLong(offset + RETVAL), le.getLong(offset + LATENCY_NS),
                (flags & ENTRY_SEEN) != 0, bufAddr, le.getLong(offset + BUF_SIZE), bytes, (flags & READ_FAILED) != 0);
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
