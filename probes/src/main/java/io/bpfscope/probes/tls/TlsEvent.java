package io.bpfscope.probes.tls;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.IpAddressText;
import io.bpfscope.probes.PayloadPreview;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One TLS read or write call that returned: the plaintext it moved (up to the
 * probe's payload limit), on which connection, and how long the call took.
 * {@code conn} is the library's connection object (SSL *, gnutls_session_t,
 * PRFileDesc *): the same value on every event of one connection of one process.
 * {@code connection} is the TCP connection underneath, or null when the probe could
 * not tell. Immutable; {@link #data()} is not copied, do not change it.
 */
public record TlsEvent(EventHeader header, TlsFunction function, long conn, long latencyNanos, long retval,
                       long payloadLength, int fdType, boolean readFailed, byte[] data, Connection connection)
        implements DecodedEvent {

    /** How the probe learned the socket under a call ({@code addr_source}, TLS_ADDR_* in tls.h). */
    public enum AddressSource {
        /** A socket syscall the library made on the same thread during the call. */
        CALL("call"),
        /** An earlier call on the same conn made one. */
        CONN("conn"),
        /** The thread's last TCP socket before the call (libraries with memory BIOs, such as node's). */
        THREAD("thread"),
        /** The library's own fd for the connection (Go: the *tls.Conn's netFD). */
        FD("fd");

        private final String label;

        AddressSource(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static AddressSource of(int id) {
            return switch (id) {
                case 1 -> CALL;
                case 2 -> CONN;
                case 4 -> FD;
                default -> THREAD;
            };
        }
    }

    /** The TCP connection's ends from the traced process's side, as the tcp probe names them. */
    public record Connection(InetAddress saddr, int sport, InetAddress daddr, int dport, AddressSource source) {
        /** 4 or 6: the IP version on the wire. */
        public int family() {
            return saddr.getAddress().length == 4 ? 4 : 6;
        }

        public String local() {
            return IpAddressText.withPort(saddr.getAddress(), sport);
        }

        public String remote() {
            return IpAddressText.withPort(daddr.getAddress(), dport);
        }
    }

    /** An event whose connection is unknown. */
    public TlsEvent(EventHeader header, TlsFunction function, long conn, long latencyNanos, long retval,
                    long payloadLength, int fdType, boolean readFailed, byte[] data) {
        this(header, function, conn, latencyNanos, retval, payloadLength, fdType, readFailed, data, null);
    }

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
        if (connection != null) {
            fields.put("saddr", IpAddressText.of(connection.saddr()));
            fields.put("sport", connection.sport());
            fields.put("daddr", IpAddressText.of(connection.daddr()));
            fields.put("dport", connection.dport());
            fields.put("addr_source", connection.source().label());
        }
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
        if (connection != null) {
            text.append(' ').append(connection.local()).append(" -> ").append(connection.remote());
        }
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
            text.append(": ").append(PayloadPreview.of(data));
        }
        return text.toString();
    }

    @Override
    public Payload payload() {
        return new Payload(data, payloadLength, truncated());
    }

}
