package io.bpfscope.probes.jsse;

import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes a jsse record: the event header the capture wrote, then the body the agent in the JVM
 * sent (its {@code Recorder.frameBody}), read as hostile bytes like any record. There is no C struct:
 * both ends are Java, and this table is the one definition.
 */
public final class JsseDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("jsse_event", 100)
            .field("hdr", 0, EventHeader.SIZE)
            .field("conn", 40, 8)
            .field("payload_len", 48, 8)
            .field("len", 56, 4)
            .field("function", 60, 2)
            .field("family", 62, 2)
            .field("sport", 64, 2)
            .field("dport", 66, 2)
            .field("saddr", 68, 16)
            .field("daddr", 84, 16)
            .field("data", 100, 32768)
            .build();

    static final int CONN = LAYOUT.offsetOf("conn", Long.BYTES);
    static final int PAYLOAD_LEN = LAYOUT.offsetOf("payload_len", Long.BYTES);
    static final int LEN = LAYOUT.offsetOf("len", Integer.BYTES);
    private static final int FUNCTION = LAYOUT.offsetOf("function", Short.BYTES);
    private static final int FAMILY = LAYOUT.offsetOf("family", Short.BYTES);
    private static final int SPORT = LAYOUT.offsetOf("sport", Short.BYTES);
    private static final int DPORT = LAYOUT.offsetOf("dport", Short.BYTES);
    private static final int SADDR = LAYOUT.offsetOf("saddr", 16);
    private static final int DADDR = LAYOUT.offsetOf("daddr", 16);

    @Override
    public JsseEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int captured = le.getInt(offset + LEN);
        if (captured < 0) {
            throw new MalformedEventException("jsse_event with a captured length of " + Integer.toUnsignedString(captured));
        }
        MalformedEventException.requireRoom(LAYOUT, length, LAYOUT.fixedSize(), captured);
        int id = Short.toUnsignedInt(le.getShort(offset + FUNCTION));
        JsseFunction function = JsseFunction.byId(id)
                .orElseThrow(() -> new MalformedEventException("jsse_event with unknown function " + id));
        long payloadLength = le.getLong(offset + PAYLOAD_LEN);
        if (payloadLength < captured) {
            throw new MalformedEventException("jsse_event with " + captured + " bytes captured of " + payloadLength);
        }
        int family = Short.toUnsignedInt(le.getShort(offset + FAMILY));
        if (family != 0 && family != JsseEvent.AF_INET && family != JsseEvent.AF_INET6) {
            throw new MalformedEventException("jsse_event with address family " + family);
        }
        byte[] saddr = new byte[16];
        byte[] daddr = new byte[16];
        le.get(offset + SADDR, saddr);
        le.get(offset + DADDR, daddr);
        byte[] data = new byte[captured];
        le.get(offset + LAYOUT.fixedSize(), data);
        return new JsseEvent(EventHeader.decode(le, offset), function, le.getLong(offset + CONN), payloadLength, family,
                saddr, Short.toUnsignedInt(le.getShort(offset + SPORT)), daddr,
                Short.toUnsignedInt(le.getShort(offset + DPORT)), data);
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
