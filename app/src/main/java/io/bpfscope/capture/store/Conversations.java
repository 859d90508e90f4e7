package io.bpfscope.capture.store;

import io.bpfscope.probes.catalog.ProbeCatalog;
import java.util.Optional;

/**
 * Which conversation an event belongs to, and which way it went, so both
 * directions of one TLS session, unix socket pair or TCP connection can be
 * followed together. Keys read like {@code tls/1234/0x55d0c0a8e2a0} (pid and
 * SSL*), {@code unix/0xffff8881.../0xffff8882...} (the two sockets, sorted)
 * and {@code tcp/0xffff8883...} (the kernel socket); each probe declares its own.
 * Thread-safe.
 */
public final class Conversations {
    private Conversations() {
    }

    /** One side of a conversation: which way the bytes went, from the traced process's view. */
    public enum Side { SENT, RECEIVED, NONE }

    /** The key its probe declares ({@code ProbeDeclaration.streamKey()}), or empty. */
    public static Optional<String> key(DecodedRecord record) {
        return ProbeCatalog.declaration(record.probe()).streamKey().of(record.event());
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
