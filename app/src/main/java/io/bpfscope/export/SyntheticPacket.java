package io.bpfscope.export;

import io.bpfscope.probes.IpAddressText;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One made-up IP packet (raw IPv4 or IPv6, no link layer) carrying a TCP
 * segment or a UDP datagram: the bytes kept, headers and the captured part
 * of the payload, and the length the whole packet would have had. Lengths
 * and checksums are those of the whole packet, so a reader that sees every
 * byte finds them correct. When payload bytes are missing the real transport
 * checksum cannot be known: it is computed as if they were zeros, which
 * Wireshark cannot verify and reports as unverified rather than bad (0 would
 * be an illegal UDP checksum over IPv6). Immutable; {@link #data()} is not copied.
 */
record SyntheticPacket(byte[] data, int originalLength) {
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    /** The most payload one packet carries: IPv4's total length and IPv6's payload length stay under 65,535. */
    static final int MAX_PAYLOAD = 65_000;

    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;
    private static final int UDP_HEADER = 8;
    private static final int TTL = 64;
    private static final int DONT_FRAGMENT = 0x4000;
    /** The advertised window; scaled by the handshake's window-scale option so no stream ever looks full. */
    static final int WINDOW = 0xffff;

    /** An IP address (4 or 16 bytes, network order) and a port. Immutable; {@code address} is not copied. */
    record Endpoint(byte[] address, int port) {
        Endpoint {
            if (address.length != 4 && address.length != 16) {
                throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
            }
        }

        boolean isIpv6() {
            return address.length == 16;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Endpoint e && Arrays.equals(address, e.address) && port == e.port;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(address) * 31 + port;
        }

        @Override
        public String toString() {
            return IpAddressText.withPort(address, port);
        }
    }

    /**
     * Payload of one packet: {@code length} bytes on the wire, of which the
     * first {@code captured} are known, starting at {@code bytes[offset]}.
     */
    record Slice(byte[] bytes, int offset, int captured, int length) {
        static final Slice EMPTY = new Slice(new byte[0], 0, 0, 0);

        Slice {
            if (captured < 0 || captured > length || offset + captured > bytes.length) {
                throw new IllegalArgumentException("slice of " + captured + " of " + length + " bytes at " + offset
                        + " in " + bytes.length);
            }
        }
    }

    /** A TCP segment from {@code from} to {@code to}; {@code options} are whole 32-bit words. */
    static SyntheticPacket tcp(Endpoint from, Endpoint to, long seq, long ack, int flags, byte[] options, Slice payload) {
        if (options.length % 4 != 0) {
            throw new IllegalArgumentException("TCP options must fill whole words, not " + options.length + " bytes");
        }
        int header = TCP_HEADER + options.length;
        ByteBuffer b = start(from, to, PROTO_TCP, header, payload);
        int at = b.position();
        b.putShort((short) from.port());
        b.putShort((short) to.port());
        b.putInt((int) seq);
        b.putInt((flags & ACK) != 0 ? (int) ack : 0);
        b.put((byte) (header / 4 << 4));
        b.put((byte) flags);
        b.putShort((short) WINDOW);
        b.putShort((short) 0); // checksum, below
        b.putShort((short) 0); // urgent pointer
        b.put(options);
        b.put(payload.bytes(), payload.offset(), payload.captured());
        byte[] data = b.array();
        putShort(data, at + 16, transportChecksum(from, to, PROTO_TCP, data, at, header + payload.length()));
        return new SyntheticPacket(data, at + header + payload.length());
    }

    /** A UDP datagram from {@code from} to {@code to}. */
    static SyntheticPacket udp(Endpoint from, Endpoint to, Slice payload) {
        ByteBuffer b = start(from, to, PROTO_UDP, UDP_HEADER, payload);
        int at = b.position();
        b.putShort((short) from.port());
        b.putShort((short) to.port());
        b.putShort((short) (UDP_HEADER + payload.length()));
        b.putShort((short) 0); // checksum, below
        b.put(payload.bytes(), payload.offset(), payload.captured());
        byte[] data = b.array();
        int checksum = transportChecksum(from, to, PROTO_UDP, data, at, UDP_HEADER + payload.length());
        putShort(data, at + 6, checksum == 0 ? 0xffff : checksum); // 0 would mean "no checksum" (RFC 768)
        return new SyntheticPacket(data, at + UDP_HEADER + payload.length());
    }

    /** Allocates the captured bytes and writes the IP header; the buffer is left at the transport header. */
    private static ByteBuffer start(Endpoint from, Endpoint to, int protocol, int transportHeader, Slice payload) {
        if (from.isIpv6() != to.isIpv6()) {
            throw new IllegalArgumentException("endpoints of different IP versions: " + from + " and " + to);
        }
        if (payload.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException(payload.length() + " bytes do not fit one packet; split at " + MAX_PAYLOAD);
        }
        int transportLength = transportHeader + payload.length();
        int ipHeader = from.isIpv6() ? IPV6_HEADER : IPV4_HEADER;
        ByteBuffer b = ByteBuffer.allocate(ipHeader + transportHeader + payload.captured());
        if (from.isIpv6()) {
            b.putInt(6 << 28); // version 6, traffic class 0, flow label 0
            b.putShort((short) transportLength);
            b.put((byte) protocol);
            b.put((byte) TTL);
            b.put(from.address());
            b.put(to.address());
        } else {
            b.put((byte) 0x45); // version 4, 5 words of header
            b.put((byte) 0);
            b.putShort((short) (IPV4_HEADER + transportLength));
            b.putShort((short) 0); // identification: unused, nothing is fragmented
            b.putShort((short) DONT_FRAGMENT);
            b.put((byte) TTL);
            b.put((byte) protocol);
            b.putShort((short) 0); // header checksum, below
            b.put(from.address());
            b.put(to.address());
            putShort(b.array(), 10, InternetChecksum.of(b.array(), 0, IPV4_HEADER));
        }
        return b;
    }

    /**
     * The TCP or UDP checksum over the pseudo-header (RFC 793, RFC 8200
     * section 8.1) and a segment of {@code length} bytes, of which those past
     * the end of {@code segment} count as zeros.
     */
    static int transportChecksum(Endpoint from, Endpoint to, int protocol, byte[] segment, int offset, int length) {
        InternetChecksum sum = new InternetChecksum().add(from.address()).add(to.address());
        if (from.isIpv6()) {
            sum.addWord(length >>> 16).addWord(length).addWord(0).addWord(protocol);
        } else {
            sum.addWord(protocol).addWord(length);
        }
        return sum.add(segment, offset, Math.min(length, segment.length - offset)).value();
    }

    private static void putShort(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
    }
}
