package io.bpfscope.probes.exec;

import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Decodes {@code struct exec_event} (exec.h). */
public final class ExecDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("exec_event", 60)
            .field("hdr", 0, EventHeader.SIZE)
            .field("ppid", 40, 4)
            .field("retval", 44, 4)
            .field("argc", 48, 4)
            .field("filename_len", 52, 2)
            .field("args_len", 54, 2)
            .field("flags", 56, 4)
            .field("data", 60, 8192)
            .build();

    private static final int PPID = LAYOUT.offsetOf("ppid", Integer.BYTES);
    private static final int RETVAL = LAYOUT.offsetOf("retval", Integer.BYTES);
    private static final int FILENAME_LEN = LAYOUT.offsetOf("filename_len", Short.BYTES);
    private static final int ARGS_LEN = LAYOUT.offsetOf("args_len", Short.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Integer.BYTES);

    private static final int ARGS_TRUNCATED = 1;
    private static final int FILENAME_TRUNCATED = 2;

    @Override
    public ExecEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int filenameLength = Short.toUnsignedInt(le.getShort(offset + FILENAME_LEN));
        int argsLength = Short.toUnsignedInt(le.getShort(offset + ARGS_LEN));
        int flags = le.getInt(offset + FLAGS);
        int data = offset + LAYOUT.fixedSize();
        MalformedEventException.requireRoom(LAYOUT, length, LAYOUT.fixedSize(), (long) filenameLength + argsLength);
        String filename = CStrings.read(le, data, filenameLength);
        List<String> argv = CStrings.readAll(le, data + filenameLength, argsLength);
        return new ExecEvent(EventHeader.decode(le, offset), le.getInt(offset + PPID), le.getInt(offset + RETVAL),
                filename, List.copyOf(argv), (flags & ARGS_TRUNCATED) != 0, (flags & FILENAME_TRUNCATED) != 0);
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
