package io.bpfscope.probes.dns;

import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.IpAddressText;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Decodes {@code struct dns_event} (dns.h); UDP payloads go through {@link DnsMessage}. */
public final class DnsDecoder implements EventDecoder {
    static final EventLayout LAYOUT = EventLayout.struct("dns_event", 216)
            .field("hdr", 0, EventHeader.SIZE)
            .field("latency_ns", 40, 8)
            .field("ppid", 48, 4)
            .field("rc", 52, 4)
            .field("herrno", 56, 4)
            .field("msg_len", 60, 4)
            .field("origin", 64, 2)
            .field("family", 66, 2)
            .field("data_len", 68, 2)
            .field("direction", 70, 1)
            .field("syscall", 71, 1)
            .field("addr_count", 72, 1)
            .field("flags", 73, 1)
            .field("pad", 74, 6)
            .field("parent_comm", 80, 16)
            .field("local", 96, 20)
            .field("remote", 116, 20)
            .field("addrs", 136, 80)
            .field("data", 216, 8192)
            .build();

    private static final int ADDR_SIZE = 20;
    private static final int ADDRS_MAX = 4;
    private static final int LATENCY_NS = LAYOUT.offsetOf("latency_ns", Long.BYTES);
    private static final int PPID = LAYOUT.offsetOf("ppid", Integer.BYTES);
    private static final int RC = LAYOUT.offsetOf("rc", Integer.BYTES);
    private static final int HERRNO = LAYOUT.offsetOf("herrno", Integer.BYTES);
    private static final int MSG_LEN = LAYOUT.offsetOf("msg_len", Integer.BYTES);
    private static final int ORIGIN = LAYOUT.offsetOf("origin", Short.BYTES);
    private static final int FAMILY = LAYOUT.offsetOf("family", Short.BYTES);
    private static final int DATA_LEN = LAYOUT.offsetOf("data_len", Short.BYTES);
    private static final int DIRECTION = LAYOUT.offsetOf("direction", Byte.BYTES);
    private static final int SYSCALL = LAYOUT.offsetOf("syscall", Byte.BYTES);
    private static final int ADDR_COUNT = LAYOUT.offsetOf("addr_count", Byte.BYTES);
    private static final int FLAGS = LAYOUT.offsetOf("flags", Byte.BYTES);
    private static final int PARENT_COMM = LAYOUT.offsetOf("parent_comm", 16);
    private static final int LOCAL = LAYOUT.offsetOf("local", ADDR_SIZE);
    private static final int REMOTE = LAYOUT.offsetOf("remote", ADDR_SIZE);
    private static final int ADDRS = LAYOUT.offsetOf("addrs", ADDRS_MAX * ADDR_SIZE);
    private static final int TRUNCATED = 1;
    private static final int MORE_ADDRS = 2;
    private static final int SEND = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    private static final String[] SYSCALLS = {"", "write", "read", "sendto", "recvfrom", "sendmsg", "recvmsg",
        "writev", "readv", "sendmmsg", "recvmmsg"};

    @Override
    public DnsEvent decode(ByteBuffer record, int offset, int length) throws MalformedEventException {
        MalformedEventException.requireLength(LAYOUT, length, LAYOUT.fixedSize());
        ByteBuffer le = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int dataLength = Short.toUnsignedInt(le.getShort(offset + DATA_LEN));
        MalformedEventException.requireRoom(LAYOUT, length, LAYOUT.fixedSize(), dataLength);
        int origin = Short.toUnsignedInt(le.getShort(offset + ORIGIN));
        DnsEvent.Source source = DnsEvent.Source.of(origin);
        if (source == null) {
            throw new MalformedEventException("dns_event with an unknown origin " + origin);
        }
        int flags = Byte.toUnsignedInt(le.get(offset + FLAGS));
        byte[] data = new byte[dataLength];
        le.get(offset + LAYOUT.fixedSize(), data);
        EventHeader header = EventHeader.decode(le, offset);
        int ppid = le.getInt(offset + PPID);
        String parentComm = CStrings.read(le, offset + PARENT_COMM, 16);
        boolean truncated = (flags & TRUNCATED) != 0;
        if (source == DnsEvent.Source.UDP) {
            int syscall = Byte.toUnsignedInt(le.get(offset + SYSCALL));
            return DnsEvent.udp(header, ppid, parentComm,
                    le.get(offset + DIRECTION) == SEND ? DnsEvent.Direction.SEND : DnsEvent.Direction.RECV,
                    syscall > 0 && syscall < SYSCALLS.length ? SYSCALLS[syscall] : "syscall " + syscall,
                    endpoint(le, offset + LOCAL, true), endpoint(le, offset + REMOTE, true),
                    Integer.toUnsignedLong(le.getInt(offset + MSG_LEN)), data, truncated);
        }
        List<String> addresses = new ArrayList<>();
        int count = Math.min(Byte.toUnsignedInt(le.get(offset + ADDR_COUNT)), ADDRS_MAX);
        for (int i = 0; i < count; i++) {
            DnsEvent.Endpoint address = endpoint(le, offset + ADDRS + i * ADDR_SIZE, false);
            if (address != null) {
                addresses.add((address.family() == AF_INET6 ? "AAAA " : "A ") + address.address());
            }
        }
        return DnsEvent.resolver(header, source, ppid, parentComm,
                CStrings.read(le, offset + LAYOUT.fixedSize(), dataLength),
                Short.toUnsignedInt(le.getShort(offset + FAMILY)), le.getLong(offset + LATENCY_NS), le.getInt(offset + RC),
                le.getInt(offset + HERRNO), addresses, (flags & MORE_ADDRS) != 0, truncated);
    }

    /**
     * A {@code struct dns_addr}, or null when its family is neither IPv4 nor
     * IPv6; {@code unmap} shows an IPv4-mapped IPv6 address as IPv4.
     */
    private static DnsEvent.Endpoint endpoint(ByteBuffer le, int at, boolean unmap) {
        int family = Short.toUnsignedInt(le.getShort(at));
        int port = (le.get(at + 2) & 0xff) << 8 | (le.get(at + 3) & 0xff); // network byte order
        byte[] addr = new byte[16];
        le.get(at + 4, addr);
        if (family == AF_INET) {
            return new DnsEvent.Endpoint(family, IpAddressText.of(addr, 0, 4), port);
        }
        if (family == AF_INET6) {
            if (unmap && isV4Mapped(addr)) {
                // a dual-stack socket talking IPv4 (Java's default): shown as the IPv4 address it is
                return new DnsEvent.Endpoint(AF_INET, IpAddressText.of(addr, 12, 4), port);
            }
            return new DnsEvent.Endpoint(family, IpAddressText.of(addr, 0, 16), port);
        }
        return null;
    }

    private static boolean isV4Mapped(byte[] addr) {
        for (int i = 0; i < 10; i++) {
            if (addr[i] != 0) {
                return false;
            }
        }
        return addr[10] == (byte) 0xff && addr[11] == (byte) 0xff;
    }

    @Override
    public EventLayout layout() {
        return LAYOUT;
    }
}
