package io.bpfscope.probes.tls;

import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.KernelSocketAddress;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes {@code struct tls_event} (tls.h). Captures written before events named their
 * connection (an 80-byte struct, data right after {@code flags}) decode with
 * {@link #BEFORE_CONNECTIONS}: the same fields, no connection.
 */
public final class TlsDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("tls_event", 120)
            .field("hdr", 0, EventHeader.SIZE)
            .field("conn", 40, 8)
            .field("latency_ns", 48, 8)
            .field("retval", 56, 8)
            .field("payload_len", 64, 8)
            .field("len", 72, 4)
            .field("function", 76, 2)
            .field("fd_type", 78, 1)
            .field("flags", 79, 1)
            .field("saddr", 80, 16)
            .field("daddr", 96, 16)
            .field("sport", 112, 2)
            .field("dport", 114, 2)
            .field("family", 116, 2)
            .field("addr_source", 118, 1)
            .field("pad", 119, 1)
            .field("data", 120, 32768)
            .build();

    /** The layout before saddr..addr_source were added; chosen by the layout a capture's header records. */
    static final EventLayout LAYOUT_BEFORE_CONNECTIONS = EventLayout.struct("tls_event", 80)
            .field("hdr", 0, EventHeader.SIZE)
            .field("conn", 40, 8)
            .field("latency_ns", 48, 8)
            .field("retval", 56, 8)
            .field("payload_len", 64, 8)
            .field("len", 72, 4)
            .field("function", 76, 2)
            .field("fd_type", 78, 1)
            .field("flags", 79, 1)
            .field("data", 80, 32768)
            .build();

    /** For captures whose header records {@link #LAYOUT_BEFORE_CONNECTIONS}. */
    public static final TlsDecoder BEFORE_CONNECTIONS = new TlsDecoder(LAYOUT_BEFORE_CONNECTIONS);

    private final EventLayout layout;

    public TlsDecoder() {
        this(LAYOUT);
    }

    private TlsDecoder(EventLayout layout) {
        this.layout = layout;
    }

    private static final int CONN = LAYOUT.offsetOf("conn", Long.BYTES);
    private static final int LATENCY_NS = LAYOUT.offsetOf("latency_ns", Long.BYTES);
    private static final int RETVAL = LAYOUT.offsetOf("retval", Long.BYTES);
    private static final int PAYLOAD_LEN = LAYOUT.offsetOf("payload_len", Long.BYTES);
    private static final int LEN = LAYOUT.offsetOf("len", Integer.BYTES);
    private static final int FUNCTION = LAYOUT.offsetOf("function", Short.BYTES);
    private static final int FD_TYPE = LAYOUT.offsetOf("fd_type", Byte.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Byte.BYTES);

    private static final int SADDR = LAYOUT.offsetOf("saddr", 16);
    private static final int DADDR = LAYOUT.offsetOf("daddr", 16);
    private static final int SPORT = LAYOUT.offsetOf("sport", Short.BYTES);
    private static final int DPORT = LAYOUT.offsetOf("dport", Short.BYTES);
    private static final int FAMILY = LAYOUT.offsetOf("family", Short.BYTES);
    private static final int ADDR_SOURCE = LAYOUT.offsetOf("addr_source", Byte.BYTES);

    private static final int READ_FAILED = 1;

    @Override
    public TlsEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(layout, length, layout.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int captured = le.getInt(offset + LEN);
        if (captured < 0) {
            throw new MalformedEventException("tls_event with a captured length of " + Integer.toUnsignedString(captured));
        }
        MalformedEventException.requireRoom(layout, length, layout.fixedSize(), captured);
        int id = Short.toUnsignedInt(le.getShort(offset + FUNCTION));
        TlsFunction function = TlsFunction.byId(id)
                .orElseThrow(() -> new MalformedEventException("tls_event with unknown function " + id));
        byte[] data = new byte[captured];
        le.get(offset + layout.fixedSize(), data);
        int flags = Byte.toUnsignedInt(le.get(offset + FLAGS));
        return new TlsEvent(EventHeader.decode(le, offset), function, le.getLong(offset + CONN),
                le.getLong(offset + LATENCY_NS), le.getLong(offset + RETVAL), le.getLong(offset + PAYLOAD_LEN),
                Byte.toUnsignedInt(le.get(offset + FD_TYPE)),
                (flags & READ_FAILED) != 0, data, layout == LAYOUT ? connection(le, offset) : null);
    }

    /** The TCP connection under the call, or null when the probe could not tell (family 0). */
    private static TlsEvent.Connection connection(ByteBuffer le, int offset) throws MalformedEventException {
        int family = Short.toUnsignedInt(le.getShort(offset + FAMILY));
        if (family == 0) {
            return null;
        }
        if (family != KernelSocketAddress.AF_INET && family != KernelSocketAddress.AF_INET6) {
            throw new MalformedEventException("tls_event with address family " + family);
        }
        byte[] saddr = new byte[16];
        byte[] daddr = new byte[16];
        le.get(offset + SADDR, saddr);
        le.get(offset + DADDR, daddr);
        boolean ipv4 = KernelSocketAddress.ipv4OnWire(family, saddr, daddr);
        return new TlsEvent.Connection(KernelSocketAddress.address(saddr, ipv4, family),
                Short.toUnsignedInt(le.getShort(offset + SPORT)), KernelSocketAddress.address(daddr, ipv4, family),
                Short.toUnsignedInt(le.getShort(offset + DPORT)),
                TlsEvent.AddressSource.of(Byte.toUnsignedInt(le.get(offset + ADDR_SOURCE))));
    }

    @Override
    public EventLayout layout() {
        return layout;
    }
}
