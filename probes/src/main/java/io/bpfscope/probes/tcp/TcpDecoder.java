package io.bpfscope.probes.tcp;

import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.KernelSocketAddress;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes {@code struct tcp_event} (tcp.h). */
public final class TcpDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("tcp_event", 128)
            .field("hdr", 0, EventHeader.SIZE)
            .field("sock", 40, 8)
            .field("duration_ns", 48, 8)
            .field("bytes_acked", 56, 8)
            .field("bytes_received", 64, 8)
            .field("retransmits", 72, 4)
            .field("srtt_us", 76, 4)
            .field("saddr", 80, 16)
            .field("daddr", 96, 16)
            .field("error", 112, 4)
            .field("sport", 116, 2)
            .field("dport", 118, 2)
            .field("family", 120, 2)
            .field("event", 122, 1)
            .field("oldstate", 123, 1)
            .field("newstate", 124, 1)
            .field("flags", 125, 1)
            .build();

    private static final int SOCK = LAYOUT.offsetOf("sock", Long.BYTES);
    private static final int DURATION_NS = LAYOUT.offsetOf("duration_ns", Long.BYTES);
    private static final int BYTES_ACKED = LAYOUT.offsetOf("bytes_acked", Long.BYTES);
    private static final int BYTES_RECEIVED = LAYOUT.offsetOf("bytes_received", Long.BYTES);
    private static final int RETRANSMITS = LAYOUT.offsetOf("retransmits", Integer.BYTES);
    private static final int SRTT_US = LAYOUT.offsetOf("srtt_us", Integer.BYTES);
    private static final int SADDR = LAYOUT.offsetOf("saddr", 16);
    private static final int DADDR = LAYOUT.offsetOf("daddr", 16);
    private static final int ERROR = LAYOUT.offsetOf("error", Integer.BYTES);
    private static final int SPORT = LAYOUT.offsetOf("sport", Short.BYTES);
    private static final int DPORT = LAYOUT.offsetOf("dport", Short.BYTES);
    private static final int FAMILY = LAYOUT.offsetOf("family", Short.BYTES);
    private static final int EVENT = LAYOUT.offsetOf("event", Byte.BYTES);
    private static final int OLDSTATE = LAYOUT.offsetOf("oldstate", Byte.BYTES);
    private static final int NEWSTATE = LAYOUT.offsetOf("newstate", Byte.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Byte.BYTES);

    private static final int OWNER_KNOWN = 1;
    private static final int HAS_STATS = 2;
    private static final int HAS_DURATION = 4;

    @Override
    public TcpEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int kernelFamily = Short.toUnsignedInt(le.getShort(offset + FAMILY));
        byte[] saddr = new byte[16];
        byte[] daddr = new byte[16];
        le.get(offset + SADDR, saddr);
        le.get(offset + DADDR, daddr);
        // An IPv6 socket talking to a v4-mapped address (Java's default sockets) is IPv4 on the wire.
        boolean ipv4 = KernelSocketAddress.ipv4OnWire(kernelFamily, saddr, daddr);
        int flags = Byte.toUnsignedInt(le.get(offset + FLAGS));
        TcpEvent.Stats stats = (flags & HAS_STATS) == 0 ? null : new TcpEvent.Stats(
                le.getLong(offset + BYTES_ACKED), le.getLong(offset + BYTES_RECEIVED), le.getInt(offset + RETRANSMITS),
                le.getInt(offset + SRTT_US));
        return new TcpEvent(EventHeader.decode(le, offset),
                TcpEvent.Kind.of(Byte.toUnsignedInt(le.get(offset + EVENT))),
                le.getLong(offset + SOCK),
                ipv4 ? 4 : 6,
                KernelSocketAddress.address(saddr, ipv4, kernelFamily), Short.toUnsignedInt(le.getShort(offset + SPORT)),
                KernelSocketAddress.address(daddr, ipv4, kernelFamily), Short.toUnsignedInt(le.getShort(offset + DPORT)),
                Byte.toUnsignedInt(le.get(offset + OLDSTATE)), Byte.toUnsignedInt(le.get(offset + NEWSTATE)),
                le.getInt(offset + ERROR),
                (flags & OWNER_KNOWN) != 0,
                (flags & HAS_DURATION) == 0 ? -1 : le.getLong(offset + DURATION_NS),
                stats);
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
