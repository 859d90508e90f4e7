package io.bpfscope.probes.dns;

import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A name lookup: either a libc resolver call that returned ({@code source}
 * getaddrinfo, gethostbyname...: the name, latency, result code, addresses)
 * or a DNS datagram on UDP port 53 ({@code source} udp: the endpoints, the
 * raw message and what {@link DnsMessage} made of it). Fields that do not
 * apply to the source are null. Immutable.
 */
public record DnsEvent(EventHeader header, Source source, int ppid, String parentComm, String query, String qtype,
                       long latencyNanos, int rc, int herrno, List<String> answers, boolean moreAnswers,
                       Direction direction, String syscall, Endpoint local, Endpoint remote, long messageLength,
                       byte[] message, DnsMessage parsed, boolean truncated) implements DecodedEvent {

    /** Which call the event comes from. */
    public enum Source {
        GETADDRINFO(1, "getaddrinfo"),
        GETHOSTBYNAME(2, "gethostbyname"),
        GETHOSTBYNAME2(3, "gethostbyname2"),
        GETHOSTBYNAME_R(4, "gethostbyname_r"),
        GETHOSTBYNAME2_R(5, "gethostbyname2_r"),
        UDP(6, "udp");

        private final int origin;
        private final String label;

        Source(int origin, String label) {
            this.origin = origin;
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Source of(int origin) {
            for (Source s : values()) {
                if (s.origin == origin) {
                    return s;
                }
            }
            return null;
        }
    }

    /** Which way a datagram went, seen from the process in the header. */
    public enum Direction {
        SEND, RECV;

        public String label() {
            return this == SEND ? "send" : "recv";
        }
    }

    /** An IP address (RFC 5952 text for IPv6) and a port. */
    public record Endpoint(int family, String address, int port) {
        @Override
        public String toString() {
            return (family == DnsDecoder.AF_INET6 ? "[" + address + "]" : address) + ":" + port;
        }
    }

    private static final int DNS_PORT = 53;

    static DnsEvent resolver(EventHeader header, Source source, int ppid, String parentComm, String name, int family,
                             long latencyNanos, int rc, int herrno, List<String> addresses, boolean moreAddresses,
                             boolean truncated) {
        return new DnsEvent(header, source, ppid, parentComm, name, familyType(family), latencyNanos, rc, herrno,
                List.copyOf(addresses), moreAddresses, null, null, null, null, 0, null, null, truncated);
    }

    static DnsEvent udp(EventHeader header, int ppid, String parentComm, Direction direction, String syscall,
                        Endpoint local, Endpoint remote, long messageLength, byte[] message, boolean truncated) {
        DnsMessage parsed = DnsMessage.parse(message);
        DnsMessage.Question question = parsed.question();
        return new DnsEvent(header, Source.UDP, ppid, parentComm, question == null ? "" : question.name(),
                question == null ? "" : DnsMessage.typeName(question.type()), 0, 0, 0,
                parsed.answers().stream().map(DnsMessage.ResourceRecord::toString).toList(), false,
                direction, syscall, local, remote, messageLength, message, parsed, truncated);
    }

    /** The DNS server's end of a datagram: the end on port 53 (the remote one when both are). */
    public Endpoint server() {
        if (source != Source.UDP) {
            return null;
        }
        return remote != null && remote.port() == DNS_PORT ? remote : local;
    }

    /** The other end of a datagram. */
    public Endpoint client() {
        if (source != Source.UDP) {
            return null;
        }
        return server() == remote ? local : remote;
    }

    /** True for a resolver call that found nothing or failed, and for a DNS response whose rcode is not NOERROR. */
    public boolean failed() {
        switch (source) {
            case UDP:
                return parsed.response() && parsed.rcode() != 0;
            case GETADDRINFO:
                return rc != 0;
            case GETHOSTBYNAME:
            case GETHOSTBYNAME2:
                return rc == -1;
            default:
                return rc != 0 || (herrno != 0 && answers.isEmpty());
        }
    }

    /** What went wrong, as a name: EAI_NONAME, HOST_NOT_FOUND, ERANGE, NXDOMAIN; null when nothing did. */
    public String error() {
        if (!failed()) {
            return null;
        }
        switch (source) {
            case UDP:
                return parsed.rcodeName();
            case GETADDRINFO:
                return eaiName(rc);
            default:
                if (herrno != 0) {
                    return herrnoName(herrno);
                }
                return rc > 0 ? Errno.name(rc) : "failed";
        }
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", source.label());
        fields.put("ppid", ppid);
        fields.put("parent_comm", parentComm);
        fields.put("query", query);
        fields.put("qtype", qtype);
        if (source == Source.UDP) {
            fields.put("direction", direction.label());
            fields.put("syscall", syscall);
            fields.put("server", String.valueOf(server()));
            fields.put("client", String.valueOf(client()));
            fields.put("id", parsed.id());
            fields.put("qr", parsed.response() ? "response" : "query");
            fields.put("opcode", parsed.opcodeName());
            if (parsed.response()) {
                fields.put("rcode", parsed.rcodeName());
            }
            fields.put("answers", answers);
            fields.put("len", message.length);
            if (!parsed.complete()) {
                fields.put("parse_error", parsed.error());
            }
        } else {
            fields.put("latency_ns", latencyNanos);
            fields.put("rc", rc);
            if (failed()) {
                fields.put("error", error());
            }
            fields.put("answers", answers);
            if (moreAnswers) {
                fields.put("answers_truncated", true);
            }
            if (truncated) {
                fields.put("query_truncated", true);
            }
        }
        return fields;
    }

    @Override
    public String summary() {
        StringBuilder text = new StringBuilder();
        if (source == Source.UDP) {
            text.append(direction.label()).append(' ').append(parsed.response() ? "response" : "query");
            if (parsed.response()) {
                text.append(' ').append(parsed.rcodeName());
            }
            text.append(' ').append(qtype).append(' ').append(query)
                    .append(direction == Direction.SEND ? " to " : " from ").append(remote);
            if (!answers.isEmpty()) {
                text.append(": ").append(String.join(", ", answers));
            }
            if (!parsed.complete()) {
                text.append(" [").append(parsed.error()).append(']');
            }
            return text.toString();
        }
        text.append(source.label()).append(' ').append(query).append(" → ");
        if (failed()) {
            text.append(error());
        } else {
            // "A 127.0.0.1" -> "127.0.0.1": the type is plain from the address
            text.append(String.join(", ", answers.stream().map(a -> a.substring(a.indexOf(' ') + 1)).toList()));
            if (moreAnswers) {
                text.append(", …");
            }
        }
        text.append(String.format(" (%.1f ms)", latencyNanos / 1e6));
        return text.toString();
    }

    @Override
    public Payload payload() {
        return message == null ? null : new Payload(message, messageLength, truncated);
    }

    static String familyType(int family) {
        switch (family) {
            case DnsDecoder.AF_INET: return "A";
            case DnsDecoder.AF_INET6: return "AAAA";
            case 0: return "A/AAAA";
            default: return "family " + family;
        }
    }

    /** glibc's getaddrinfo codes (netdb.h). */
    public static String eaiName(int code) {
        switch (code) {
            case 0: return "OK";
            case -1: return "EAI_BADFLAGS";
            case -2: return "EAI_NONAME";
            case -3: return "EAI_AGAIN";
            case -4: return "EAI_FAIL";
            case -5: return "EAI_NODATA";
            case -6: return "EAI_FAMILY";
            case -7: return "EAI_SOCKTYPE";
            case -8: return "EAI_SERVICE";
            case -9: return "EAI_ADDRFAMILY";
            case -10: return "EAI_MEMORY";
            case -11: return "EAI_SYSTEM";
            case -12: return "EAI_OVERFLOW";
            case -100: return "EAI_INPROGRESS";
            case -101: return "EAI_CANCELED";
            case -102: return "EAI_NOTCANCELED";
            case -103: return "EAI_ALLDONE";
            case -104: return "EAI_INTR";
            case -105: return "EAI_IDN_ENCODE";
            default: return "EAI " + code;
        }
    }

    /** h_errno values (netdb.h). */
    public static String herrnoName(int code) {
        switch (code) {
            case -1: return "NETDB_INTERNAL";
            case 1: return "HOST_NOT_FOUND";
            case 2: return "TRY_AGAIN";
            case 3: return "NO_RECOVERY";
            case 4: return "NO_DATA";
            default: return "h_errno " + code;
        }
    }
}
