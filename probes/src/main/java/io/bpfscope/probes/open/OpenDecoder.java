package io.bpfscope.probes.open;

import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes {@code struct open_event} (open.h). */
public final class OpenDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("open_event", 72)
            .field("hdr", 0, EventHeader.SIZE)
            .field("open_flags", 40, 8)
            .field("resolve", 48, 8)
            .field("dfd", 56, 4)
            .field("ret", 60, 4)
            .field("mode", 64, 4)
            .field("path_len", 68, 2)
            .field("syscall", 70, 1)
            .field("flags", 71, 1)
            .field("path", 72, 4096)
            .build();

    private static final int OPEN_FLAGS = LAYOUT.offsetOf("open_flags", Long.BYTES);
    private static final int RESOLVE = LAYOUT.offsetOf("resolve", Long.BYTES);
    private static final int DFD = LAYOUT.offsetOf("dfd", Integer.BYTES);
    private static final int RET = LAYOUT.offsetOf("ret", Integer.BYTES);
    private static final int MODE = LAYOUT.offsetOf("mode", Integer.BYTES);
    private static final int PATH_LEN = LAYOUT.offsetOf("path_len", Short.BYTES);
    private static final int SYSCALL = LAYOUT.offsetOf("syscall", Byte.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Byte.BYTES);

    private static final int PATH_TRUNCATED = 1;

    @Override
    public OpenEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int pathLength = Short.toUnsignedInt(le.getShort(offset + PATH_LEN));
        MalformedEventException.requireRoom(LAYOUT, length, LAYOUT.fixedSize(), pathLength);
        int flags = Byte.toUnsignedInt(le.get(offset + FLAGS));
        return new OpenEvent(EventHeader.decode(le, offset),
                OpenEvent.Syscall.of(Byte.toUnsignedInt(le.get(offset + SYSCALL))),
                CStrings.read(le, offset + LAYOUT.fixedSize(), pathLength),
                (flags & PATH_TRUNCATED) != 0,
                le.getLong(offset + OPEN_FLAGS), le.getInt(offset + MODE), le.getLong(offset + RESOLVE),
                le.getInt(offset + DFD), le.getInt(offset + RET));
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
