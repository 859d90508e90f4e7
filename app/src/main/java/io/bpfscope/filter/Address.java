package io.bpfscope.filter;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address with a prefix length, parsed by hand: never
 * {@code InetAddress.getByName}, which may ask DNS. IPv4-mapped IPv6
 * addresses ({@code ::ffff:127.0.0.1}) are kept as IPv4 so that they compare
 * equal to the plain address. Immutable.
 */
final class Address implements Comparable<Address> {
    private final byte[] bytes; // 4 or 16
    private final int prefix;

    private Address(byte[] bytes, int prefix) {
        this.bytes = bytes;
        this.prefix = prefix;
    }

    /** {@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code fe80::1%eth0}, {@code [::1]}; null if it is not an address. */
    static Address parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0 && text.indexOf('.') < 0) {
            return null;
        }
        String s = text;
        if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        int prefix = -1;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            prefix = decimal(s, slash + 1, s.length(), 128);
            if (prefix < 0) {
                return null;
            }
            s = s.substring(0, slash);
        }
        int zone = s.indexOf('%');
        if (zone >= 0 && s.indexOf(':') >= 0) {
            s = s.substring(0, zone);
        }
        byte[] bytes = s.indexOf(':') >= 0 ? ipv6(s) : ipv4(s, 0, s.length());
        if (bytes == null) {
            return null;
        }
        int bits = bytes.length * 8;
        if (bytes.length == 16 && isMappedIpv4(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
            if (prefix >= 0) {
                prefix -= 96;
                if (prefix < 0) {
                    return null;
                }
            }
            bits = 32;
        }
        if (prefix > bits) {
            return null;
        }
        return new Address(bytes, prefix < 0 ? bits : prefix);
    }

    /**
     * An address as an event field holds it: an address, or an endpoint
     * ({@code 10.0.0.1:53}, {@code [::1]:53}) whose port is left out; null if
     * it is neither.
     */
    static Address parseValue(String text) {
        int colon = text.lastIndexOf(':');
        if (colon > 0 && colon < text.length() - 1 && isDigits(text, colon + 1)) {
            if (text.charAt(0) == '[' && text.charAt(colon - 1) == ']') {
                return parse(text.substring(1, colon - 1));
            }
            if (text.indexOf(':') == colon && text.indexOf('.') >= 0) {
                return parse(text.substring(0, colon));
            }
        }
        return parse(text);
    }

    private static boolean isDigits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Four or sixteen bytes in network order; null for other lengths. */
    static Address of(byte[] raw) {
        if (raw.length == 16 && isMappedIpv4(raw)) {
            return new Address(Arrays.copyOfRange(raw, 12, 16), 32);
        }
        return raw.length == 4 || raw.length == 16 ? new Address(raw, raw.length * 8) : null;
    }

    /** True when {@code other} is this address, or lies in this network if a prefix was given. */
    boolean contains(Address other) {
        if (other.bytes.length != bytes.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != other.bytes[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[full] & mask) == (other.bytes[full] & mask);
    }

    /** IPv4 before IPv6, then by value. */
    @Override
    public int compareTo(Address other) {
        if (bytes.length != other.bytes.length) {
            return Integer.compare(bytes.length, other.bytes.length);
        }
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    /** The last address of the network: the address itself when no prefix was given. */
    Address last() {
        byte[] end = bytes.clone();
        for (int bit = prefix; bit < end.length * 8; bit++) {
            end[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return new Address(end, end.length * 8);
    }

    /** The first address of the network. */
    Address first() {
        byte[] start = bytes.clone();
        for (int bit = prefix; bit < start.length * 8; bit++) {
            start[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return new Address(start, start.length * 8);
    }

    private static boolean isMappedIpv4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] ipv4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == '.') {
                if (part == 4) {
                    return null;
                }
                int v = decimal(s, start, i, 255);
                if (v < 0) {
                    return null;
                }
                out[part++] = (byte) v;
                start = i + 1;
            }
        }
        return part == 4 ? out : null;
    }

    /** 1 to 3 decimal digits, at most {@code max}; -1 if not. */
    private static int decimal(String s, int from, int to, int max) {
        if (to <= from || to - from > 3) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    private static byte[] ipv6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = groups(s, 0, gap < 0 ? s.length() : gap);
        int[] tail = gap < 0 ? new int[0] : groups(s, gap + 2, s.length());
        if (head == null || tail == null) {
            return null;
        }
        int count = head.length + tail.length;
        if (gap < 0 ? count != 16 : count > 14) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            out[i] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            out[16 - tail.length + i] = (byte) tail[i];
        }
        return out;
    }

    /** The bytes of colon-separated hex groups (the last may be dotted IPv4); null if malformed. */
    private static int[] groups(String s, int from, int to) {
        if (from == to) {
            return new int[0];
        }
        int[] out = new int[16];
        int n = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || s.charAt(i) == ':') {
                if (i == to && s.lastIndexOf('.', to - 1) >= start) {
                    byte[] v4 = ipv4(s, start, to);
                    if (v4 == null || n > 12) {
                        return null;
                    }
                    for (byte b : v4) {
                        out[n++] = b & 0xff;
                    }
                    break;
                }
                if (i - start < 1 || i - start > 4 || n > 14) {
                    return null;
                }
                int v = 0;
                for (int j = start; j < i; j++) {
                    int d = Literal.hexDigit(s.charAt(j));
                    if (d < 0) {
                        return null;
                    }
                    v = v << 4 | d;
                }
                out[n++] = v >> 8;
                out[n++] = v & 0xff;
                start = i + 1;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
