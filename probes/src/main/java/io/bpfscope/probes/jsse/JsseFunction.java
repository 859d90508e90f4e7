package io.bpfscope.probes.jsse;

import java.util.Optional;

/**
 * The JSSE calls the agent hooks: their ids in {@code jsse_event.function} (the agent's
 * {@code Recorder.FN_*}), their names as shown, and which way the plaintext went.
 */
public enum JsseFunction {
    ENGINE_WRAP(1, "SSLEngine.wrap", "write"),
    ENGINE_UNWRAP(2, "SSLEngine.unwrap", "read"),
    SOCKET_WRITE(3, "SSLSocket.write", "write"),
    SOCKET_READ(4, "SSLSocket.read", "read");

    private final int id;
    private final String shownName;
    private final String direction;

    JsseFunction(int id, String shownName, String direction) {
        this.id = id;
        this.shownName = shownName;
        this.direction = direction;
    }

    public int id() {
        return id;
    }

    /** {@code SSLEngine.wrap}...: the tls probe's {@code function} field. */
    public String shownName() {
        return shownName;
    }

    public String direction() {
        return direction;
    }

    public boolean isWrite() {
        return direction.equals("write");
    }

    /** An SSLSocket's stream, which knows both ends of its connection (an engine knows at most its peer). */
    public boolean isSocket() {
        return this == SOCKET_WRITE || this == SOCKET_READ;
    }

    public static Optional<JsseFunction> byId(int id) {
        for (JsseFunction f : values()) {
            if (f.id == id) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
