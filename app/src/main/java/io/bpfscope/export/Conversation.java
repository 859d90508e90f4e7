package io.bpfscope.export;

import io.bpfscope.export.SyntheticPacket.Endpoint;
import io.bpfscope.export.SyntheticPacket.Slice;
import java.util.ArrayList;
import java.util.List;

/**
 * One made-up conversation between a client and a server endpoint that
 * payload events are turned into packets of. Over TCP it keeps what a real
 * connection would: a three-way handshake before the first data, a sequence
 * number per direction that advances by every byte sent (captured or not),
 * and acknowledgements of everything the other side sent so far, so
 * Wireshark's TCP analysis and reassembly find nothing wrong. Over UDP each
 * payload is a datagram. Not thread-safe.
 */
final class Conversation {
    /** How the payload travels. */
    enum Transport {
        TCP, UDP
    }

    /**
     * MSS 65495 (loopback's, and more than any segment we make), then NOP and
     * window scale 14 (RFC 7323): windows of about 1 GiB, so no run of
     * unacknowledged data fills one.
     */
    private static final byte[] SYN_OPTIONS = {2, 4, (byte) 0xff, (byte) 0xd7, 1, 3, 3, 14};
    private static final long SEQ_MASK = 0xffff_ffffL;

    private final Transport transport;
    private final Endpoint client;
    private final Endpoint server;
    private final boolean localIsClient;
    private final String label;
    private long clientNext;
    private long serverNext;
    private boolean open;

    /**
     * @param clientIsn     the client's initial sequence number (TCP)
     * @param localIsClient whether the process the events come from is the client end
     * @param label         what the conversation is, for the comments of its made-up packets
     */
    Conversation(Transport transport, Endpoint client, Endpoint server, long clientIsn, long serverIsn,
                 boolean localIsClient, String label) {
        if (client.isIpv6() != server.isIpv6()) {
            throw new IllegalArgumentException("endpoints of different IP versions: " + client + " and " + server);
        }
        this.transport = transport;
        this.client = client;
        this.server = server;
        this.clientNext = clientIsn & SEQ_MASK;
        this.serverNext = serverIsn & SEQ_MASK;
        this.localIsClient = localIsClient;
        this.label = label;
    }

    Transport transport() {
        return transport;
    }

    Endpoint client() {
        return client;
    }

    Endpoint server() {
        return server;
    }

    boolean localIsClient() {
        return localIsClient;
    }

    String label() {
        return label;
    }

    /**
     * The handshake nobody saw, the first time it is asked for over TCP:
     * SYN, SYN-ACK, ACK, each SYN taking one sequence number. Empty afterwards
     * and for UDP.
     */
    List<SyntheticPacket> open() {
        if (open || transport == Transport.UDP) {
            open = true;
            return List.of();
        }
        open = true;
        long clientIsn = clientNext;
        long serverIsn = serverNext;
        clientNext = next(clientIsn, 1);
        serverNext = next(serverIsn, 1);
        return List.of(
                SyntheticPacket.tcp(client, server, clientIsn, 0, SyntheticPacket.SYN, SYN_OPTIONS, Slice.EMPTY),
                SyntheticPacket.tcp(server, client, serverIsn, clientNext,
                        SyntheticPacket.SYN | SyntheticPacket.ACK, SYN_OPTIONS, Slice.EMPTY),
                SyntheticPacket.tcp(client, server, clientNext, serverNext, SyntheticPacket.ACK, new byte[0],
                        Slice.EMPTY));
    }

    /**
     * The packets that carry one payload: {@code length} bytes sent, of which
     * {@code captured} are known (the rest are missing from the packets but
     * counted in their lengths and sequence numbers). More than
     * {@link SyntheticPacket#MAX_PAYLOAD} bytes are split over several
     * packets. Call {@link #open()} first.
     */
    List<SyntheticPacket> carry(boolean fromClient, byte[] captured, long length) {
        if (!open) {
            throw new IllegalStateException("carry before open");
        }
        if (length < captured.length) {
            throw new IllegalArgumentException(captured.length + " bytes captured of " + length);
        }
        Endpoint from = fromClient ? client : server;
        Endpoint to = fromClient ? server : client;
        List<SyntheticPacket> packets = new ArrayList<>();
        for (long start = 0; start < length; start += SyntheticPacket.MAX_PAYLOAD) {
            int size = (int) Math.min(SyntheticPacket.MAX_PAYLOAD, length - start);
            int known = (int) Math.max(0, Math.min(size, captured.length - start));
            Slice slice = new Slice(captured, (int) Math.min(start, captured.length), known, size);
            if (transport == Transport.UDP) {
                packets.add(SyntheticPacket.udp(from, to, slice));
                continue;
            }
            boolean last = start + size >= length;
            int flags = SyntheticPacket.ACK | (last ? SyntheticPacket.PSH : 0);
            if (fromClient) {
                packets.add(SyntheticPacket.tcp(from, to, clientNext, serverNext, flags, new byte[0], slice));
                clientNext = next(clientNext, size);
            } else {
                packets.add(SyntheticPacket.tcp(from, to, serverNext, clientNext, flags, new byte[0], slice));
                serverNext = next(serverNext, size);
            }
        }
        return packets;
    }

    /** Sequence numbers wrap at 2^32. */
    private static long next(long seq, long bytes) {
        return (seq + bytes) & SEQ_MASK;
    }
}
