package io.bpfscope.probes.exit;

import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes {@code struct exit_event} (exit.h). */
public final class ExitDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("exit_event", 56)
            .field("hdr", 0, EventHeader.SIZE)
            .field("lifetime_ns", 40, 8)
            .field("ppid", 48, 4)
            .field("status", 52, 4)
            .build();

    private static final int LIFETIME_NS = LAYOUT.offsetOf("lifetime_ns", Long.BYTES);
    private static final int PPID = LAYOUT.offsetOf("ppid", Integer.BYTES);
    private static final int STATUS = LAYOUT.offsetOf("status", Integer.BYTES);

    @Override
    public ExitEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new ExitEvent(EventHeader.decode(le, offset), le.getInt(offset + PPID), le.getInt(offset + STATUS),
                le.getLong(offset + LIFETIME_NS));
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
