package io.bpfscope.probes.tls;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One TLS read or write call that returned: the plaintext it moved (up to the
 * probe's payload limit), on which connection, and how long the call took.
 * {@code conn} is the library's connection object (SSL *, gnutls_session_t,
 * PRFileDesc *): the same value on every event of one connection of one process.
 * Immutable; {@link #data()} is not copied, do not change it.
 */
public record TlsEvent(EventHeader header, TlsFunction function, long conn, long latencyNanos, long retval,
                       long payloadLength, int fdType, boolean readFailed, byte[] data) implements DecodedEvent {

    private static final int PREVIEW_MAX = 80;
    private static final String[] FD_TYPES = {"unknown", "file", "tcp", "udp", "layered", "pipe"};
    /** The GnuTLS errors a record call commonly returns (gnutls/gnutls.h). */
    private static final Map<Long, String> GNUTLS_ERRORS = Map.of(
            -28L, "GNUTLS_E_AGAIN", -52L, "GNUTLS_E_INTERRUPTED", -53L, "GNUTLS_E_PUSH_ERROR",
            -54L, "GNUTLS_E_PULL_ERROR", -110L, "GNUTLS_E_PREMATURE_TERMINATION", -10L, "GNUTLS_E_INVALID_SESSION");

    public String direction() {
        return function.direction();
    }

    public String library() {
        return function.library();
    }

    /** The connection id as shown and exported: {@code 0x} and lower-case hex. */
    public String connId() {
        return "0x" + Long.toHexString(conn);
    }

    /** Bytes captured: at most the payload limit. */
    public int length() {
        return data.length;
    }

    /** True when the call moved more bytes than were captured. */
    public boolean truncated() {
        return data.length < payloadLength;
    }

    public Duration latency() {
        return Duration.ofNanos(latencyNanos);
    }

    /** NSPR only: what kind of descriptor {@code conn} is; {@code layered} is the SSL layer (or another). */
    public String fdTypeName() {
        return fdType >= 0 && fdType < FD_TYPES.length ? FD_TYPES[fdType] : "type " + fdType;
    }

    /** The captured bytes as text (invalid UTF-8 becomes U+FFFD). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("direction", direction());
        fields.put("function", function.symbol());
        fields.put("library", library());
        fields.put("conn", connId());
        fields.put("len", length());
        fields.put("payload_len", payloadLength);
        fields.put("truncated", truncated());
        fields.put("retval", retval);
        fields.put("latency_ns", latencyNanos);
        if (function.library().equals("nspr")) {
            fields.put("fd_type", fdTypeName());
        }
        if (readFailed) {
            fields.put("read_failed", true);
        }
        return fields;
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append(direction()).append(' ').append(function.symbol()).append(' ').append(connId());
        if (payloadLength == 0) {
            text.append(" returned ").append(retval);
            String error = function.library().equals("gnutls") ? GNUTLS_ERRORS.get(retval) : null;
            return error == null ? text.toString() : text.append(' ').append(error).toString();
        }
        text.append(' ').append(payloadLength).append(" B");
        if (truncated()) {
            text.append(" (").append(data.length).append(" captured)");
        }
        if (data.length > 0) {
            text.append(": ").append(preview(data));
        }
        return text.toString();
    }

    @Override
    public Payload payload() {
        return new Payload(data, payloadLength, truncated());
    }

    /** The first line if the bytes look like text, else the first bytes in hex. */
    static String preview(byte[] bytes) {
        int end = 0;
        int binary = 0;
        while (end < bytes.length && end < PREVIEW_MAX && bytes[end] != '\n') {
            int b = bytes[end] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\r' || b == 0x7f) {
                binary++;
            }
            end++;
        }
        if (binary > 0) {
            int n = Math.min(bytes.length, 16);
            return "hex " + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n) + (bytes.length > n ? " …" : "");
        }
        String line = new String(bytes, 0, end, StandardCharsets.UTF_8).replace("\r", "");
        boolean more = end < bytes.length && !(bytes[end] == '\n' && end + 1 == bytes.length);
        return more ? line + " …" : line;
    }
}
