package io.bpfscope.export;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.export.Conversation.Transport;
import io.bpfscope.export.SyntheticPacket.Endpoint;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.PacketFlow;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * pcapng for Wireshark and tshark: every event that carries a payload (TLS
 * plaintext, unix-socket data, DNS datagrams) becomes one or more made-up IP
 * packets with its bytes, its time and an opt_comment saying which event it
 * was ({@code bpfscope seq=12 probe=tls pid=1234 tid=1234 comm=curl direction=write conn=0x55d0…}).
 * Events without a payload are left out and counted ({@link #withoutPayload()}).
 *
 * <p>Streams, as each probe declares them ({@code ProbeDeclaration.packets()}): tls by (pid, conn) over TCP, between the
 * connection's real addresses and ports when the event names them (Wireshark then
 * sees plaintext on port 443: Decode As HTTP; when both ends of one connection were
 * traced, the second view gets made-up ends); unix by (sock, peer_sock), stream
 * and seqpacket sockets over TCP, datagram sockets over UDP, the event's
 * socket one end and its peer the other (when both ends are traced, each
 * end's view is a stream of its own: merged, every byte would be there
 * twice, once sent and once received); dns datagrams by (client, server)
 * over UDP with their real addresses and ports. Where an
 * event has no address the conversation gets a made-up one: client
 * 127.0.0.2 on a port in 32768–60999 derived from the stream, server
 * 127.0.0.3 on a port chosen for dissection: 80 for tls (plaintext is not
 * TLS, and Wireshark reads port 80 as HTTP) and for unix streams that start
 * with HTTP, 514 (syslog) for /dev/log, else 4, which nothing dissects, so the
 * bytes show as data. Which end is the client: the one that sent what looks
 * like an HTTP request, or that did not send what looks like an HTTP
 * response, else the first to send.
 *
 * <p>Each TCP stream opens with a handshake at its first event; see
 * {@link Conversation}. Not thread-safe; closing closes the stream.
 */
public final class PcapngExporter implements AutoCloseable {
    static final byte[] CLIENT_V4 = {127, 0, 0, 2};
    static final byte[] SERVER_V4 = {127, 0, 0, 3};
    /** For a made-up end facing a real IPv6 one: the documentation prefix (RFC 3849), ::2 and ::3 as above. */
    static final byte[] CLIENT_V6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    static final byte[] SERVER_V6 = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
    static final int EPHEMERAL_FIRST = 32768;
    static final int EPHEMERAL_LAST = 60999;
    static final int HTTP_PORT = 80;
    static final int DNS_PORT = 53;
    static final int SYSLOG_PORT = 514;
    /** Unassigned by IANA and undissected by Wireshark: bytes on it show as plain data. */
    static final int DATA_PORT = 4;

    private static final Pattern HTTP_REQUEST = Pattern.compile(
            "^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE) \\S+ HTTP/\\d|^PRI \\* HTTP/2\\.0\r\n");
    private static final Pattern HTTP_RESPONSE = Pattern.compile("^HTTP/\\d(\\.\\d)? \\d{3}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String[] HANDSHAKE = {"SYN", "SYN-ACK", "ACK"};

    private final PcapngWriter writer;
    private final Map<String, Integer> interfaces = new HashMap<>();
    private final boolean several; // the header named several hosts: their ids may collide, comments name them
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Set<String> usedPorts = new HashSet<>();
    private long packets;
    private long withoutPayload;

    /** Writes the file's header blocks to {@code out}; buffer it, packets are written block by block. */
    public PcapngExporter(OutputStream out) throws IOException {
        this(out, List.of());
    }

    /**
     * As above for a capture of several {@code hosts}: each host is an interface of its own
     * ({@code bpfscope@HOST}, as mergecap keeps each file's interfaces), so Wireshark's
     * {@code frame.interface_name} tells them apart; a host seen later gets its interface then.
     */
    public PcapngExporter(OutputStream out, List<String> hosts) throws IOException {
        several = hosts.size() > 1;
        writer = new PcapngWriter(out, "bpfscope",
                "bpfscope: packets made up from eBPF events (TLS plaintext, unix sockets, DNS); each packet's comment"
                        + " names its event. Handshakes, and addresses and ports an event does not carry, are made up.",
                several ? interfaceName(hosts.get(0)) : "bpfscope", "payloads of bpfscope events as raw IP");
        if (several) {
            interfaces.put(hosts.get(0), 0);
            for (String host : hosts.subList(1, hosts.size())) {
                interfaceOf(host);
            }
        }
    }

    private static String interfaceName(String host) {
        return "bpfscope@" + host;
    }

    /**
     * The interface of {@code host}'s packets: the first host's is 0; a host met later (a merged
     * stream declares its hosts as they come) gets an interface of its own then.
     */
    private int interfaceOf(String host) throws IOException {
        if (interfaces.isEmpty()) {
            interfaces.put(host, 0);
        }
        Integer known = interfaces.get(host);
        if (known == null) {
            known = writer.addInterface(interfaceName(host), "payloads of bpfscope events on " + host + " as raw IP");
            interfaces.put(host, known);
        }
        return known;
    }

    /**
     * No read or write a probe sees is larger (their lengths are C ints); a record that says
     * more is damaged or hostile, and would ask for billions of made-up segments.
     */
    static final long MAX_ORIGINAL_LENGTH = 1L << 30;

    /**
     * Writes the packets of one event, in the order events happened per stream.
     *
     * @return false when the event carries no payload and was left out
     */
    public boolean write(DecodedRecord record) throws IOException {
        DecodedEvent.Payload payload = record.event().payload();
        if (payload == null || payload.bytes().length == 0 && payload.originalLength() <= 0) {
            withoutPayload++;
            return false;
        }
        byte[] bytes = payload.bytes();
        long length = Math.max(Math.min(payload.originalLength(), MAX_ORIGINAL_LENGTH), bytes.length);
        Placement placement = place(record, bytes);
        Conversation conversation = placement.conversation();

        List<SyntheticPacket> handshake = conversation.open();
        for (int i = 0; i < handshake.size(); i++) {
            emit(record, handshake.get(i), "bpfscope synthetic " + HANDSHAKE[i] + " opening the stream of "
                    + conversation.label() + " (made up: probes see no handshake)");
        }
        List<SyntheticPacket> parts = conversation.carry(placement.fromClient(), bytes, length);
        StringBuilder comment = new StringBuilder("bpfscope seq=").append(record.seq());
        if (several || interfaces.size() > 1) {
            comment.append(" host=").append(record.host());
        }
        comment.append(" probe=").append(record.probe());
        process(comment, record.event().header());
        if (!placement.detail().isEmpty()) {
            comment.append(' ').append(placement.detail());
        }
        if (bytes.length < length) {
            comment.append(" (truncated: ").append(bytes.length).append(" of ").append(length).append(" bytes)");
        }
        for (int i = 0; i < parts.size(); i++) {
            String text = parts.size() == 1 ? comment.toString()
                    : comment + " (part " + (i + 1) + " of " + parts.size() + ")";
            emit(record, parts.get(i), text);
        }
        return true;
    }

    /** Packets written so far, made-up handshakes included. */
    public long packets() {
        return packets;
    }

    /** Events left out because they carry no payload (exec, open, tcp, resolver calls, empty reads...). */
    public long withoutPayload() {
        return withoutPayload;
    }

    private void emit(DecodedRecord record, SyntheticPacket packet, String comment) throws IOException {
        writer.packet(interfaceOf(record.host()), record.time(), packet.data(), packet.originalLength(), comment);
        packets++;
    }

    /** Where one event's payload goes: which conversation, which way, and what to say about it. */
    private record Placement(Conversation conversation, boolean fromClient, String detail) {
    }

    private Placement place(DecodedRecord record, byte[] bytes) {
        PacketFlow.Mapping mapping = ProbeCatalog.declaration(record.probe()).packets();
        Optional<PacketFlow> flow = mapping == null ? Optional.empty() : mapping.flow(record.event());
        return flow.isPresent() ? place(record, flow.get(), bytes) : other(record, bytes);
    }

    /** A conversation's key: its flow's, and in a capture of several hosts its host's too (their ids may collide). */
    private String key(DecodedRecord record, String flowKey) {
        return several ? record.host() + " " + flowKey : flowKey;
    }

    /** Where its probe says the payload goes ({@code ProbeDeclaration.packets()}). */
    private Placement place(DecodedRecord record, PacketFlow flow, byte[] bytes) {
        Conversation conversation = conversations.get(key(record, flow.key()));
        if (conversation == null) {
            boolean localIsClient = flow.localIsClient() != null ? flow.localIsClient()
                    : localIsClient(flow.outgoing(), bytes);
            PacketFlow.Ends ends = flow.ends() != null ? flow.ends()
                    : flow.localEnds() != null ? flow.localEnds().ordered(localIsClient) : null;
            if (ends != null && flow.ends() == null && tupleTaken(transport(flow), ends)) {
                // The other end of the same connection, traced too: its view is a stream of its own, as for
                // unix sockets; on the same addresses and ports Wireshark would take it for retransmissions.
                ends = null;
            }
            conversation = ends != null ? withEnds(record, flow, ends, localIsClient, bytes)
                    : madeUp(key(record, flow.key()), transport(flow), port(flow.serverPort(), bytes), localIsClient,
                            stream(record) + flow.label());
        }
        boolean localIsClient = flow.localIsClient() != null ? flow.localIsClient() : conversation.localIsClient();
        return new Placement(conversation, flow.outgoing() == localIsClient, flow.detail());
    }

    /** Whether another conversation already has these real ends. */
    private boolean tupleTaken(Transport transport, PacketFlow.Ends ends) {
        byte[] client = address(ends.client());
        byte[] server = address(ends.server());
        return client != null && server != null && ends.client().port() != 0 && ends.server().port() != 0
                && usedPorts.contains(portKey(transport, client, new Endpoint(server, ends.server().port()),
                        ends.client().port()));
    }

    /** A stream between the ends the event had (a DNS datagram's, a TLS connection's); only an unknown or unspecified one is made up. */
    private Conversation withEnds(DecodedRecord record, PacketFlow flow, PacketFlow.Ends ends, boolean localIsClient,
                                  byte[] bytes) {
        PacketFlow.Endpoint clientEnd = ends.client();
        PacketFlow.Endpoint serverEnd = ends.server();
        Transport transport = transport(flow);
        byte[] clientAddress = address(clientEnd);
        byte[] serverAddress = address(serverEnd);
        boolean v6 = clientAddress != null && clientAddress.length == 16
                || serverAddress != null && serverAddress.length == 16;
        clientAddress = family(clientAddress != null ? clientAddress : v6 ? CLIENT_V6 : CLIENT_V4, v6);
        serverAddress = family(serverAddress != null ? serverAddress : v6 ? SERVER_V6 : SERVER_V4, v6);
        Endpoint server = new Endpoint(serverAddress,
                serverEnd != null && serverEnd.port() != 0 ? serverEnd.port() : port(flow.serverPort(), bytes));
        int clientPort = clientEnd != null && clientEnd.port() != 0 ? clientEnd.port()
                : ephemeralPort(flow.key(), transport, clientAddress, server);
        usedPorts.add(portKey(transport, clientAddress, server, clientPort));
        long hash = hash(flow.key());
        Conversation conversation = new Conversation(transport, new Endpoint(clientAddress, clientPort), server, hash,
                hash >>> 32, localIsClient, stream(record) + flow.label());
        conversations.put(key(record, flow.key()), conversation);
        return conversation;
    }

    private static Transport transport(PacketFlow flow) {
        return flow.transport() == PacketFlow.Transport.UDP ? Transport.UDP : Transport.TCP;
    }

    /** The server port a flow asks for; HTTP only when the stream's first payload looks like it. */
    private static int port(PacketFlow.ServerPort port, byte[] firstPayload) {
        switch (port) {
            case HTTP: return HTTP_PORT;
            case HTTP_WHEN_IT_LOOKS_LIKE_IT:
                return looksLike(HTTP_REQUEST, firstPayload) || looksLike(HTTP_RESPONSE, firstPayload)
                        ? HTTP_PORT : DATA_PORT;
            case SYSLOG: return SYSLOG_PORT;
            case DNS: return DNS_PORT;
            default: return DATA_PORT;
        }
    }

    /** A probe this exporter does not know: its payload as UDP datagrams, one conversation per process. */
    private Placement other(DecodedRecord record, byte[] bytes) {
        Object direction = record.event().fields().get("direction");
        boolean incoming = direction != null && Set.of("read", "recv", "in", "ingress").contains(direction.toString());
        String key = key(record, "other " + record.probe()) + " " + record.event().header().pid();
        Conversation conversation = conversations.get(key);
        if (conversation == null) {
            conversation = madeUp(key, Transport.UDP, DATA_PORT, true, stream(record));
        }
        return new Placement(conversation, !incoming, direction == null ? "" : "direction=" + direction);
    }

    /** A conversation between made-up ends: 127.0.0.2 on a port of its own, 127.0.0.3 on {@code serverPort}. */
    private Conversation madeUp(String key, Transport transport, int serverPort, boolean localIsClient, String label) {
        Endpoint server = new Endpoint(SERVER_V4, serverPort);
        int clientPort = ephemeralPort(key, transport, CLIENT_V4, server);
        usedPorts.add(portKey(transport, CLIENT_V4, server, clientPort));
        long hash = hash(key);
        Conversation conversation = new Conversation(transport, new Endpoint(CLIENT_V4, clientPort), server,
                hash, hash >>> 32, localIsClient, label);
        conversations.put(key, conversation);
        return conversation;
    }

    /**
     * A port in 32768–60999 derived from the stream's key, so the same
     * capture exports the same ports; the next free one when another stream
     * to the same server already has it, so Wireshark never merges two streams.
     */
    private int ephemeralPort(String key, Transport transport, byte[] clientAddress, Endpoint server) {
        int range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = (int) Long.remainderUnsigned(Long.rotateLeft(hash(key), 17), range);
        for (int i = 0; i < range; i++) {
            int port = EPHEMERAL_FIRST + (start + i) % range;
            if (!usedPorts.contains(portKey(transport, clientAddress, server, port))) {
                return port;
            }
        }
        return EPHEMERAL_FIRST + start; // every port taken: share one
    }

    private static String portKey(Transport transport, byte[] clientAddress, Endpoint server, int clientPort) {
        return transport + " " + new Endpoint(clientAddress, clientPort) + " " + server;
    }

    /** Who the client is, from the first payload of a stream and which way it went. */
    static boolean localIsClient(boolean outgoing, byte[] firstPayload) {
        if (looksLike(HTTP_REQUEST, firstPayload)) {
            return outgoing;
        }
        if (looksLike(HTTP_RESPONSE, firstPayload)) {
            return !outgoing;
        }
        return outgoing; // the first to send is the client
    }

    private static boolean looksLike(Pattern pattern, byte[] bytes) {
        String start = new String(bytes, 0, Math.min(bytes.length, 64), StandardCharsets.ISO_8859_1);
        return pattern.matcher(start).find();
    }

    /** The process behind a stream, for comments: {@code probe=tls pid=1234 comm=curl}. */
    private static String stream(DecodedRecord record) {
        EventHeader header = record.event().header();
        return "probe=" + record.probe() + " pid=" + header.pid() + " comm=" + header.comm();
    }

    private static void process(StringBuilder comment, EventHeader header) {
        comment.append(" pid=").append(header.pid()).append(" tid=").append(header.tid())
                .append(" comm=").append(header.comm());
    }

    /** An end's address, or null when there is none or it is unspecified (0.0.0.0, ::). */
    private static byte[] address(PacketFlow.Endpoint endpoint) {
        if (endpoint == null) {
            return null;
        }
        String text = endpoint.address();
        if (text == null) {
            return null;
        }
        byte[] address;
        try {
            if (IPV4.matcher(text).matches()) {
                String[] parts = text.split("\\.");
                address = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int value = Integer.parseInt(parts[i]);
                    if (value > 255) {
                        return null;
                    }
                    address[i] = (byte) value;
                }
            } else if (text.indexOf(':') >= 0) {
                // In brackets getByName takes only an IPv6 literal and never looks a name up.
                address = InetAddress.getByName("[" + text + "]").getAddress(); // ::ffff:a.b.c.d comes back as IPv4
            } else {
                return null;
            }
        } catch (UnknownHostException e) {
            return null;
        }
        for (byte b : address) {
            if (b != 0) {
                return address;
            }
        }
        return null;
    }

    /** The address as IPv6 when {@code v6} (an IPv4 one mapped, ::ffff:a.b.c.d), else as it is. */
    private static byte[] family(byte[] address, boolean v6) {
        if (!v6 || address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    /** FNV-1a, 64 bits: stable across runs and JVMs, unlike identity hashes. */
    private static long hash(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
