package io.bpfscope.probes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A socket's address as BPF copies it out of a {@code struct sock}: 16 bytes, the first
 * 4 for AF_INET. Read as the address on the wire: an IPv6 socket talking to a v4-mapped
 * address (Java's default sockets, node's dual-stack ones) is IPv4. For the tcp and tls events.
 */
public final class KernelSocketAddress {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    private KernelSocketAddress() {
    }

    /** Whether a socket of {@code kernelFamily} with these ends speaks IPv4. */
    public static boolean ipv4OnWire(int kernelFamily, byte[] saddr, byte[] daddr) {
        return kernelFamily == AF_INET || isV4Mapped(saddr) || isV4Mapped(daddr);
    }

    /** AF_INET: the first 4 bytes; IPv4 over IPv6: the last 4 (mapped, or :: for "none"); else all 16. */
    public static InetAddress address(byte[] raw, boolean ipv4, int kernelFamily) {
        byte[] bytes = ipv4 ? kernelFamily == AF_INET ? Arrays.copyOf(raw, 4) : Arrays.copyOfRange(raw, 12, 16) : raw;
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
}
