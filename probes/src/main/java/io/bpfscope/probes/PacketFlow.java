package io.bpfscope.probes;

import java.util.Optional;

/**
 * Where one payload event goes when a capture is exported as pcapng: which
 * made-up IP stream carries it and which way. A probe's {@link Mapping} gives
 * one per payload event; the exporter makes the addresses, ports, handshakes
 * and packets. Immutable.
 *
 * @param key           names the stream: events with the same key share it (both directions)
 * @param transport     TCP (a handshake opens it) or UDP datagrams
 * @param serverPort    the server end's port when the event does not carry one
 * @param outgoing      the traced process sent these bytes
 * @param localIsClient whether the traced process is the client, or null: the exporter decides from the
 *                      stream's first payload (an HTTP request or response) and which way it went
 * @param label         said of the stream in its first packet's comment, after {@code probe= pid= comm=},
 *                      e.g. {@code " conn=0x55d0c0a8e2a0"}
 * @param detail        said of this event in its packets' comments, e.g. {@code "direction=write conn=..."}
 * @param ends          the addresses the event really had (a DNS datagram's), or null: both made up
 * @param localEnds     the traced process's own end and its peer's, when known and which is the client is
 *                      not (a TLS connection's socket): the exporter orders them as it decides
 *                      {@code localIsClient}; used only when {@code ends} is null
 */
public record PacketFlow(String key, Transport transport, ServerPort serverPort, boolean outgoing,
                         Boolean localIsClient, String label, String detail, Ends ends, LocalEnds localEnds) {
    /** Without {@code localEnds}. */
    public PacketFlow(String key, Transport transport, ServerPort serverPort, boolean outgoing,
                      Boolean localIsClient, String label, String detail, Ends ends) {
        this(key, transport, serverPort, outgoing, localIsClient, label, detail, ends, null);
    }

    public enum Transport { TCP, UDP }

    /** Which well-known port the made-up server end gets. */
    public enum ServerPort {
        /** 80: Wireshark dissects the bytes as HTTP. */
        HTTP,
        /** 80 when the stream's first payload is an HTTP request or response, else {@link #DATA}. */
        HTTP_WHEN_IT_LOOKS_LIKE_IT,
        /** 514: syslog. */
        SYSLOG,
        /** 53: DNS. */
        DNS,
        /** A port nothing dissects: the bytes show as data. */
        DATA
    }

    /** An end's address as text (IPv4 dotted, IPv6 RFC 5952) and port; an unknown part is null or 0. */
    public record Endpoint(String address, int port) {
    }

    /** The client's and the server's real ends; either may be null (then made up). */
    public record Ends(Endpoint client, Endpoint server) {
    }

    /** The process's end and its peer's. */
    public record LocalEnds(Endpoint local, Endpoint remote) {
        /** As client and server, once it is known whether the local end is the client. */
        public Ends ordered(boolean localIsClient) {
            return localIsClient ? new Ends(local, remote) : new Ends(remote, local);
        }
    }

    /** A probe's mapping of its payload events onto streams. Stateless and thread-safe. */
    @FunctionalInterface
    public interface Mapping {
        /** Where this event's payload goes, or empty: then the exporter's generic mapping applies. */
        Optional<PacketFlow> flow(DecodedEvent event);
    }
}
