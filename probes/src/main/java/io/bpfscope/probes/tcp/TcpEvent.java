package io.bpfscope.probes.tcp;

import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.IpAddressText;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step in a TCP connection's life. The header names the socket's owner
 * (the process that connected, listened or accepted), which may differ from
 * the task the kernel ran in; pid 0 when the socket predates the probe.
 *
 * @param sock           the kernel's socket address: the same value follows one connection (reused after close)
 * @param family         4 or 6: the IP version on the wire
 * @param oldstate       the TCP state before a change (TcpEvent.stateName), 0 for connect/accept/connect_failed
 * @param error          a positive errno: why a connect failed, or the socket's error at close; 0 for none
 * @param durationNanos  at close: since the socket was first seen, or -1 when it was not
 * @param stats          at close: the kernel's counters; null on other events
 */
public record TcpEvent(EventHeader header, Kind event, long sock, int family, InetAddress saddr, int sport,
                       InetAddress daddr, int dport, int oldstate, int newstate, int error, boolean ownerKnown,
                       long durationNanos, Stats stats) implements DecodedEvent {
    private static final int TCP_LISTEN = 10;
    private static final String[] STATES = {
        null, "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2", "TCP_TIME_WAIT",
        "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING", "TCP_NEW_SYN_RECV",
        "TCP_BOUND_INACTIVE",
    };

    /** What happened (tcp.h's TCP_EVENT_*). */
    public enum Kind {
        UNKNOWN("unknown"), CONNECT("connect"), ACCEPT("accept"), ESTABLISHED("established"), CLOSE("close"),
        STATE("state"), CONNECT_FAILED("connect_failed"), LISTEN("listen");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Kind of(int code) {
            Kind[] all = values();
            return code > 0 && code < all.length ? all[code] : UNKNOWN;
        }
    }

    /** The kernel's counters when the socket closed (struct tcp_sock). */
    public record Stats(long bytesAcked, long bytesReceived, int retransmits, int srttMicros) {
    }

    /** {@code TCP_ESTABLISHED} for 1, {@code state 42} for a number without a name. */
    public static String stateName(int state) {
        return state > 0 && state < STATES.length ? STATES[state] : "state " + state;
    }

    /** Since the socket was first seen, at close; null when not known. */
    public Duration duration() {
        return durationNanos < 0 ? null : Duration.ofNanos(durationNanos);
    }

    /** The local end, {@code 127.0.0.1:80} or {@code [::1]:80}. */
    public String local() {
        return endpoint(saddr, sport);
    }

    /** The remote end. */
    public String remote() {
        return endpoint(daddr, dport);
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", event.label());
        fields.put("family", family);
        fields.put("saddr", IpAddressText.of(saddr));
        fields.put("sport", sport);
        fields.put("daddr", IpAddressText.of(daddr));
        fields.put("dport", dport);
        if (oldstate != 0 || newstate != 0) {
            fields.put("oldstate", oldstate == 0 ? null : stateName(oldstate));
            fields.put("newstate", stateName(newstate));
        }
        fields.put("sock", "0x" + Long.toHexString(sock));
        fields.put("owner_known", ownerKnown);
        if (durationNanos >= 0) {
            fields.put("duration_ns", durationNanos);
        }
        if (stats != null) {
            fields.put("bytes_acked", stats.bytesAcked());
            fields.put("bytes_received", stats.bytesReceived());
            fields.put("retransmits", stats.retransmits());
            fields.put("srtt_us", stats.srttMicros());
        }
        if (error != 0) {
            fields.put("error", Errno.name(error));
        }
        return fields;
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder(event.label()).append(' ');
        switch (event) {
            case LISTEN -> text.append(local());
            case CLOSE -> text.append(local()).append(oldstate == TCP_LISTEN ? " (listener)" : " → " + remote());
            case ACCEPT -> text.append(local()).append(" ← ").append(remote());
            case CONNECT_FAILED -> text.append(sport == 0 ? "" : local() + " ").append("→ ").append(remote());
            case STATE -> text.append(stateName(oldstate)).append(" → ").append(stateName(newstate)).append(' ')
                    .append(local()).append(" → ").append(remote());
            default -> text.append(local()).append(" → ").append(remote());
        }
        if (event == Kind.CLOSE) {
            if (durationNanos >= 0) {
                text.append(" after ").append(io.bpfscope.probes.DurationText.of(durationNanos));
            }
            if (stats != null) {
                text.append(", ").append(stats.bytesAcked()).append(" B sent, ")
                        .append(stats.bytesReceived()).append(" B received");
            }
        }
        if (error != 0) {
            text.append(' ').append(Errno.name(error));
        }
        return text.toString();
    }

    private static String endpoint(InetAddress address, int port) {
        String host = IpAddressText.of(address);
        return (address instanceof Inet4Address ? host : "[" + host + "]") + ":" + port;
    }
}
