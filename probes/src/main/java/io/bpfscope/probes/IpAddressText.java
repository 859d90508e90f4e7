package io.bpfscope.probes;

import java.net.InetAddress;

/**
 * IP addresses as bpfscope writes them everywhere (fields, summaries, keys):
 * dotted IPv4; IPv6 in the RFC 5952 form, lower case, leading zeros dropped,
 * the longest run of two or more zero groups as {@code ::} (the first when
 * runs tie), and an IPv4-mapped address as {@code ::ffff:1.2.3.4}.
 */
public final class IpAddressText {
    private IpAddressText() {
    }

    /** The address in {@code bytes}: 4 bytes are IPv4, 16 are IPv6. */
    public static String of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** The address of {@code length} bytes (4 or 16) at {@code at}. */
    public static String of(byte[] bytes, int at, int length) {
        if (length == 4) {
            return ipv4(bytes, at);
        }
        if (length == 16) {
            return ipv6(bytes, at);
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + length);
    }

    public static String of(InetAddress address) {
        return of(address.getAddress());
    }

    /** {@code 10.0.0.7:443}, {@code [::1]:53}. */
    public static String withPort(byte[] bytes, int port) {
        String host = of(bytes);
        return (bytes.length == 16 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String ipv4(byte[] bytes, int at) {
        return (bytes[at] & 0xff) + "." + (bytes[at + 1] & 0xff) + "." + (bytes[at + 2] & 0xff) + "." + (bytes[at + 3] & 0xff);
    }

    private static String ipv6(byte[] bytes, int at) {
        boolean mapped = bytes[at + 10] == (byte) 0xff && bytes[at + 11] == (byte) 0xff;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = bytes[at + i] == 0;
        }
        if (mapped) {
            return "::ffff:" + ipv4(bytes, at + 12);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[at + 2 * i] & 0xff) << 8 | (bytes[at + 2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group stays "0"
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) { // strictly longer: the first of equal runs wins
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
