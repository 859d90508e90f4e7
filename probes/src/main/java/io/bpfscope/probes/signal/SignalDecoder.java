package io.bpfscope.probes.signal;

import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes {@code struct signal_event} (signal.h). */
public final class SignalDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("signal_event", 80)
            .field("hdr", 0, EventHeader.SIZE)
            .field("signo", 40, 4)
            .field("code", 44, 4)
            .field("result", 48, 4)
            .field("target_pid", 52, 4)
            .field("group", 56, 4)
            .field("errno_value", 60, 4)
            .field("target_comm", 64, 16)
            .build();

    private static final int SIGNO = LAYOUT.offsetOf("signo", Integer.BYTES);
    private static final int CODE = LAYOUT.offsetOf("code", Integer.BYTES);
    private static final int RESULT = LAYOUT.offsetOf("result", Integer.BYTES);
    private static final int TARGET_PID = LAYOUT.offsetOf("target_pid", Integer.BYTES);
    private static final int GROUP = LAYOUT.offsetOf("group", Integer.BYTES);
    private static final int ERRNO = LAYOUT.offsetOf("errno_value", Integer.BYTES);
    private static final int TASK_COMM_LEN = 16;
    private static final int TARGET_COMM = LAYOUT.offsetOf("target_comm", TASK_COMM_LEN);

    @Override
    public SignalEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new SignalEvent(EventHeader.decode(le, offset), le.getInt(offset + SIGNO), le.getInt(offset + CODE),
                le.getInt(offset + RESULT), le.getInt(offset + TARGET_PID), le.getInt(offset + GROUP) != 0,
                le.getInt(offset + ERRNO), CStrings.read(le, offset + TARGET_COMM, TASK_COMM_LEN));
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
