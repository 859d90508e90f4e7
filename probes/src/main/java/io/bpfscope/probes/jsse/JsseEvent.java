package io.bpfscope.probes.jsse;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.IpAddressText;
import io.bpfscope.probes.PayloadPreview;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSSE call that moved application data: the plaintext (up to the payload limit), on which
 * SSLSocket or SSLEngine ({@code conn}: an id the agent gives each, stable for the JVM's life), and
 * the connection's ends where the agent knows them: a socket's both ends; an engine's peer host
 * (when it is an address, not a name) and port. The tls probe's field names, so filters, Follow,
 * Statistics and pcapng treat both alike. Immutable; the arrays are not copied, do not change them.
 */
public record JsseEvent(EventHeader header, JsseFunction function, long conn, long payloadLength, int family,
                        byte[] saddr, int sport, byte[] daddr, int dport, byte[] data) implements DecodedEvent {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    public String direction() {
        return function.direction();
    }

    /** The id as shown and exported: {@code 0x} and lower-case hex, as tls's {@code conn}. */
    public String connId() {
        return "0x" + Long.toHexString(conn);
    }

    public boolean truncated() {
        return data.length < payloadLength;
    }

    /** The local end's address, or null when unknown (an engine does not know it). */
    public String localAddress() {
        return sport == 0 ? null : address(saddr);
    }

    /** The peer's address, or null when unknown (an engine whose peer was given by name). */
    public String remoteAddress() {
        return isZero(daddr) ? null : address(daddr);
    }

    private String address(byte[] bytes) {
        if (family == AF_INET) {
            return IpAddressText.of(bytes, 0, 4);
        }
        return family == AF_INET6 ? IpAddressText.of(bytes, 0, 16) : null;
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("direction", direction());
        fields.put("function", function.shownName());
        fields.put("library", "jsse");
        fields.put("conn", connId());
        fields.put("len", data.length);
        fields.put("payload_len", payloadLength);
        fields.put("truncated", truncated());
        String local = localAddress();
        if (local != null) {
            fields.put("saddr", local);
            fields.put("sport", sport);
        }
        String remote = remoteAddress();
        if (remote != null) {
            fields.put("daddr", remote);
        }
        if (dport != 0) {
            fields.put("dport", dport);
        }
        if (local != null || remote != null || dport != 0) {
            fields.put("addr_source", function.isSocket() ? "socket" : "peer");
        }
        return fields;
    }

    @Override
    public Object field(String name) {
        return switch (name) {
            case "direction" -> direction();
            case "function" -> function.shownName();
            case "library" -> "jsse";
            case "conn" -> connId();
            default -> fields().get(name);
        };
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append(direction()).append(' ').append(function.shownName()).append(' ').append(connId());
        String remote = remoteAddress();
        if (remote != null || dport != 0) {
            text.append(' ').append(direction().equals("write") ? "→ " : "← ")
                    .append(remote == null ? "?" : family == AF_INET6 ? "[" + remote + "]" : remote).append(':').append(dport);
        }
        text.append(' ').append(payloadLength).append(" B");
        if (truncated()) {
            text.append(" (").append(data.length).append(" captured)");
        }
        if (data.length > 0) {
            text.append(": ").append(PayloadPreview.of(data));
        }
        return text.toString();
    }

    @Override
    public Payload payload() {
        return new Payload(data, payloadLength, truncated());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsseEvent e && header.equals(e.header) && function == e.function && conn == e.conn
                && payloadLength == e.payloadLength && family == e.family && sport == e.sport && dport == e.dport
                && Arrays.equals(saddr, e.saddr) && Arrays.equals(daddr, e.daddr) && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(conn) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "JsseEvent[" + header + ", " + summary() + "]";
    }
}
