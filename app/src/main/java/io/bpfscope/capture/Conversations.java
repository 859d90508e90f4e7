package io.bpfscope.capture;

import io.bpfscope.probes.DecodedEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Which conversation an event belongs to, and which way it went, so both
 * directions of one TLS session, unix socket pair or TCP connection can be
 * followed together. Keys read like {@code tls/1234/0x55d0c0a8e2a0} (pid and
 * SSL*), {@code unix/0xffff8881.../0xffff8882...} (the two sockets, sorted)
 * and {@code tcp/0xffff8883...} (the kernel socket). Thread-safe.
 */
public final class Conversations {
    private Conversations() {
    }

    /** One side of a conversation: which way the bytes went, from the traced process's view. */
    public enum Side { SENT, RECEIVED, NONE }

    public static Optional<String> key(DecodedRecord record) {
        DecodedEvent event = record.event();
        Map<String, Object> fields = event.fields();
        switch (record.probe()) {
            case "tls":
                return Optional.ofNullable(fields.get("conn")).map(conn -> "tls/" + event.header().pid() + "/" + conn);
            case "unix": {
                Object sock = fields.get("sock");
                Object peer = fields.get("peer_sock");
                if (sock == null) {
                    return Optional.empty();
                }
                String a = sock.toString();
                String b = peer == null || peer.toString().equals("0x0") ? "" : peer.toString();
                return Optional.of("unix/" + (b.isEmpty() || a.compareTo(b) < 0 ? a + "/" + b : b + "/" + a));
            }
            case "tcp":
                return Optional.ofNullable(fields.get("sock")).map(sock -> "tcp/" + sock);
            default:
                return Optional.empty();
        }
    }

    /** True when {@code wanted} names this conversation: the whole key, or its last part (a conn or sock id). */
    public static boolean matches(String key, String wanted) {
        return key.equals(wanted) || key.endsWith("/" + wanted) || key.contains("/" + wanted + "/");
    }

    public static Side side(DecodedRecord record) {
        Object direction = record.event().fields().get("direction");
        if (direction == null) {
            return Side.NONE;
        }
        switch (direction.toString()) {
            case "write":
            case "send":
                return Side.SENT;
            case "read":
            case "recv":
                return Side.RECEIVED;
            default:
                return Side.NONE;
        }
    }
}
