package io.bpfscope.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.dns.DnsEvent;
import io.bpfscope.probes.dns.DnsMessage;
import io.bpfscope.probes.tls.TlsEvent;
import io.bpfscope.probes.tls.TlsFunction;
import io.bpfscope.probes.unix.UnixEvent;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports made-up events and reads them back with the real tshark: what
 * Wireshark shows is the point of the format. The tests that run tshark
 * skip only when it is missing outside CI.
 */
class PcapngExporterTest {
    private static final Path TSHARK = Path.of("/usr/bin/tshark");
    private static final Instant T0 = Instant.parse("2025-11-25T10:00:00.000000001Z");
    /** Checksums checked, so a bad one is an expert error; no name resolution. */
    private static final List<String> STRICT = List.of("-n", "-o", "tcp.check_checksum:TRUE",
            "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE");

    @TempDir
    static Path dir;

    private long seq;

    private static void needTshark() {
        if (!Files.isExecutable(TSHARK)) {
            assertThat(System.getenv("CI")).as("tshark is required in CI").isNotEqualTo("true");
            Assumptions.abort("tshark is not installed");
        }
    }

    // --- events, built with the probes' own records ---------------------------------------------------------

    private static EventHeader header(int pid, String comm) {
        return new EventHeader(0, pid, pid, 1000, 0, 0, comm);
    }

    private DecodedRecord record(String probe, DecodedEvent event) {
        seq++;
        return new DecodedRecord(seq, T0.plusMillis(seq), probe, event);
    }

    private DecodedRecord tls(int pid, long conn, TlsFunction function, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return tls(pid, conn, function, data, data.length);
    }

    private DecodedRecord tls(int pid, long conn, TlsFunction function, byte[] data, long length) {
        return record("tls", new TlsEvent(header(pid, "curl"), function, conn, 1000, length, length, 0, false, data));
    }

    private DecodedRecord unix(int pid, UnixEvent.Direction direction, long sock, long peer, String type, byte[] data) {
        return record("unix", new UnixEvent(header(pid, "client"), direction,
                direction == UnixEvent.Direction.SEND ? "sendmsg" : "recvmsg", 3, type, "/run/demo.sock", true, 99,
                sock, peer, 1, 2, data.length, data.length, data, false));
    }

    private DecodedRecord dns(DnsEvent.Direction direction, DnsEvent.Endpoint local, DnsEvent.Endpoint remote,
                              byte[] message) {
        return dns(direction, local, remote, message, message.length);
    }

    private DecodedRecord dns(DnsEvent.Direction direction, DnsEvent.Endpoint local, DnsEvent.Endpoint remote,
                              byte[] message, long length) {
        DnsMessage parsed = DnsMessage.parse(message);
        return record("dns", new DnsEvent(header(4321, "resolver"), DnsEvent.Source.UDP, 1, "bash",
                parsed.question() == null ? "" : parsed.question().name(), "A", 0, 0, 0, List.of(), false, direction,
                direction == DnsEvent.Direction.SEND ? "sendto" : "recvfrom", local, remote, length, message,
                parsed, length > message.length));
    }

    /** A DNS message for example.com, A: a query, or a response with one answer. */
    private static byte[] dnsMessage(boolean response, byte[] answer) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(PcapngFile.bytes(0x12, 0x34, response ? 0x81 : 0x01, response ? 0x80 : 0x00, 0, 1, 0,
                response ? 1 : 0, 0, 0, 0, 0));
        byte[] question = PcapngFile.bytes(7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1);
        m.writeBytes(question);
        if (response) {
            m.writeBytes(PcapngFile.bytes(0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, answer.length));
            m.writeBytes(answer);
        }
        return m.toByteArray();
    }

    // --- export and tshark -----------------------------------------------------------------------------------

    private static Path export(String name, List<DecodedRecord> records) throws IOException {
        Path file = dir.resolve(name + ".pcapng");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
             PcapngExporter exporter = new PcapngExporter(out)) {
            for (DecodedRecord record : records) {
                exporter.write(record);
            }
        }
        return file;
    }

    /** tshark's output lines; the fields of each packet are separated by {@code |}. */
    private static List<String> tshark(Path file, String filter, String... fields) throws Exception {
        needTshark();
        List<String> command = new ArrayList<>(List.of(TSHARK.toString(), "-r", file.toString()));
        command.addAll(STRICT);
        if (filter != null) {
            command.addAll(List.of("-Y", filter));
        }
        command.addAll(List.of("-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String field : fields) {
            command.addAll(List.of("-e", field));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("WIRESHARK_CONFIG_DIR", dir.resolve("wireshark-config").toString()); // no user prefs
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("tshark %s", command).isZero();
        String text = new String(out, StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    /** Nothing Wireshark would flag: no TCP analysis flags, no warnings or errors (bad checksums are errors). */
    private static void assertClean(Path file) throws Exception {
        assertThat(tshark(file, "tcp.analysis.flags", "frame.number")).as("TCP analysis flags").isEmpty();
        assertThat(tshark(file, "_ws.expert.severity >= 0x00600000 || _ws.malformed", "frame.number",
                "_ws.expert.message")).as("warnings and errors").isEmpty();
        assertThat(tshark(file, "ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0",
                "frame.number")).as("bad checksums").isEmpty();
    }

    private static final String REQUEST = "GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.5.0\r\n"
            + "Accept: */*\r\n\r\n";
    private static final String BODY = "<html><body>" + "hello, bpfscope! ".repeat(40) + "</body></html>\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
            + BODY.length() + "\r\n\r\n" + BODY;

    @Test
    void tlsPlaintextIsHttpOnPort80WithAHandshakeAndCleanTcp() throws Exception {
        int split = RESPONSE.length() - 300; // the response comes in two reads
        Path file = export("tls-http", List.of(
                tls(1234, 0x55d0c1a2b3c0L, TlsFunction.SSL_WRITE, REQUEST),
                tls(1234, 0x55d0c1a2b3c0L, TlsFunction.SSL_READ, RESPONSE.substring(0, split)),
                tls(1234, 0x55d0c1a2b3c0L, TlsFunction.SSL_READ, RESPONSE.substring(split))));

        assertThat(tshark(file, null, "tcp.flags.str", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport", "tcp.seq",
                "tcp.ack", "tcp.len")).satisfies(lines -> {
                    assertThat(lines).hasSize(6);
                    assertThat(lines.get(0)).matches("·+S·\\|127\\.0\\.0\\.2\\|\\d+\\|127\\.0\\.0\\.3\\|80\\|0\\|0\\|0");
                    assertThat(lines.get(1)).matches("·+A··S·\\|127\\.0\\.0\\.3\\|80\\|127\\.0\\.0\\.2\\|\\d+\\|0\\|1\\|0");
                    assertThat(lines.get(2)).matches("·+A····\\|127\\.0\\.0\\.2\\|\\d+\\|127\\.0\\.0\\.3\\|80\\|1\\|1\\|0");
                    assertThat(lines.get(3)).endsWith("|127.0.0.3|80|1|1|" + REQUEST.length());
                    assertThat(lines.get(4)).contains("|127.0.0.3|80|").endsWith("|1|" + (1 + REQUEST.length()) + "|" + split);
                    assertThat(lines.get(5)).endsWith("|" + (1 + split) + "|" + (1 + REQUEST.length()) + "|300");
                });
        assertThat(tshark(file, "http.request", "http.request.method", "http.request.uri", "http.host"))
                .containsExactly("GET|/index.html|example.com");
        assertThat(tshark(file, "http.response", "http.response.code", "http.content_length", "http.file_data"))
                .hasSize(1).first().asString().startsWith("200|" + BODY.length() + "|<html><body>hello, bpfscope!");
        assertThat(tshark(file, "http.request", "frame.comment")).containsExactly(
                "bpfscope seq=1 probe=tls pid=1234 tid=1234 comm=curl direction=write conn=0x55d0c1a2b3c0"
                        + " function=SSL_write library=openssl");
        assertThat(tshark(file, "tcp.flags.syn == 1 && tcp.flags.ack == 0", "frame.comment")).singleElement()
                .asString().startsWith("bpfscope synthetic SYN").contains("pid=1234", "comm=curl", "conn=0x55d0c1a2b3c0");
        assertClean(file);
    }

    private DecodedRecord tls(int pid, long conn, TlsFunction function, String text, TlsEvent.Connection connection) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return record("tls", new TlsEvent(header(pid, "node"), function, conn, 1000, data.length, data.length, 0, false,
                data, connection));
    }

    @Test
    void tlsWithItsConnectionKnownKeepsTheRealAddressesAndPortsOnBothSides() throws Exception {
        java.net.InetAddress local = java.net.InetAddress.getByName("10.1.2.3");
        java.net.InetAddress remote = java.net.InetAddress.getByName("10.9.8.7");
        // A client: its local end is the client end.
        TlsEvent.Connection client = new TlsEvent.Connection(local, 51234, remote, 8443, TlsEvent.AddressSource.CALL);
        // A server: the request comes in first, so its local end is the server end.
        TlsEvent.Connection server = new TlsEvent.Connection(remote, 8443, local, 51234, TlsEvent.AddressSource.CALL);
        Path file = export("tls-real-ends", List.of(
                tls(1, 0x10, TlsFunction.SSL_WRITE, REQUEST, client),
                tls(1, 0x10, TlsFunction.SSL_READ, RESPONSE, client),
                tls(2, 0x20, TlsFunction.SSL_READ, REQUEST, server),
                tls(2, 0x20, TlsFunction.SSL_WRITE, RESPONSE, server)));

        // Both ends of one connection traced: the server's view cannot have the same addresses and
        // ports (Wireshark would take it for retransmissions), so it gets made-up ends.
        assertThat(tshark(file, "tcp.len > 0", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport")).satisfies(lines -> {
            assertThat(lines).hasSize(4);
            assertThat(lines.get(0)).isEqualTo("10.1.2.3|51234|10.9.8.7|8443");
            assertThat(lines.get(1)).isEqualTo("10.9.8.7|8443|10.1.2.3|51234");
            assertThat(lines.get(2)).matches("127\\.0\\.0\\.2\\|\\d+\\|127\\.0\\.0\\.3\\|80");
        });
        assertClean(file);

        // The server alone: its real ends, the client's end first as it sent the request.
        Path serverOnly = export("tls-real-ends-server", List.of(
                tls(2, 0x20, TlsFunction.SSL_READ, REQUEST, server),
                tls(2, 0x20, TlsFunction.SSL_WRITE, RESPONSE, server)));
        assertThat(tshark(serverOnly, "tcp.len > 0", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport")).containsExactly(
                "10.1.2.3|51234|10.9.8.7|8443", "10.9.8.7|8443|10.1.2.3|51234");
        assertClean(serverOnly);
    }

    @Test
    void aProcessThatReadsARequestFirstIsTheServer() throws Exception {
        Path file = export("tls-server", List.of(
                tls(80, 0x10, TlsFunction.SSL_READ, REQUEST),
                tls(80, 0x10, TlsFunction.SSL_WRITE, RESPONSE)));

        assertThat(tshark(file, "http.request", "ip.dst", "tcp.dstport")).containsExactly("127.0.0.3|80");
        assertThat(tshark(file, "http.response", "ip.src", "tcp.srcport", "http.response.code"))
                .containsExactly("127.0.0.3|80|200");
        assertClean(file);
    }

    @Test
    void streamsAreKeptApartByProcessAndConnection() throws Exception {
        Path file = export("tls-streams", List.of(
                tls(1, 0xa, TlsFunction.SSL_WRITE, REQUEST),
                tls(2, 0xa, TlsFunction.SSL_WRITE, REQUEST),
                tls(1, 0xb, TlsFunction.SSL_WRITE, REQUEST),
                tls(1, 0xa, TlsFunction.SSL_READ, RESPONSE),
                tls(2, 0xa, TlsFunction.SSL_READ, RESPONSE),
                tls(1, 0xb, TlsFunction.SSL_READ, RESPONSE)));

        assertThat(tshark(file, "http.response", "tcp.stream")).containsExactly("0", "1", "2");
        assertThat(tshark(file, "tcp.flags.syn == 1 && tcp.flags.ack == 0", "tcp.srcport")).doesNotHaveDuplicates();
        assertClean(file);

        Path again = export("tls-streams-again", List.of(tls(1, 0xa, TlsFunction.SSL_WRITE, REQUEST)));
        assertThat(tshark(again, "tcp.flags.syn == 1 && tcp.flags.ack == 0", "tcp.srcport").get(0))
                .as("ports are derived from the stream, stable across exports")
                .isEqualTo(tshark(file, "tcp.flags.syn == 1 && tcp.flags.ack == 0", "tcp.srcport").get(0));
    }

    @Test
    void dnsDatagramsKeepTheirRealAddresses() throws Exception {
        byte[] query = dnsMessage(false, null);
        byte[] response = dnsMessage(true, PcapngFile.bytes(93, 184, 215, 14));
        DnsEvent.Endpoint local = new DnsEvent.Endpoint(2, "10.0.0.5", 41000);
        DnsEvent.Endpoint server = new DnsEvent.Endpoint(2, "192.0.2.53", 53);
        Path file = export("dns", List.of(
                dns(DnsEvent.Direction.SEND, local, server, query),
                dns(DnsEvent.Direction.RECV, local, server, response)));

        assertThat(tshark(file, "dns", "ip.src", "udp.srcport", "ip.dst", "udp.dstport", "dns.flags.response",
                "dns.qry.name", "dns.a")).containsExactly(
                        "10.0.0.5|41000|192.0.2.53|53|0|example.com|",
                        "192.0.2.53|53|10.0.0.5|41000|1|example.com|93.184.215.14");
        assertThat(tshark(file, "dns.flags.response == 1", "frame.comment")).singleElement().asString()
                .contains("probe=dns pid=4321", "comm=resolver", "direction=recv", "server=192.0.2.53:53",
                        "client=10.0.0.5:41000");
        assertThat(tshark(file, "dns.flags.response == 1", "dns.response_to")).containsExactly("1");
        assertClean(file);
    }

    @Test
    void dnsOverIpv6StaysIpv6AndAnUnspecifiedEndIsMadeUp() throws Exception {
        byte[] query = dnsMessage(false, null);
        DnsEvent.Endpoint unbound = new DnsEvent.Endpoint(10, "::", 0);
        DnsEvent.Endpoint server = new DnsEvent.Endpoint(10, "2001:4860:4860::8888", 53);
        DnsEvent.Endpoint mapped = new DnsEvent.Endpoint(10, "::ffff:10.0.0.5", 5353);
        DnsEvent.Endpoint mappedServer = new DnsEvent.Endpoint(10, "::ffff:192.0.2.53", 53);
        byte[] response = dnsMessage(true, PcapngFile.bytes(93, 184, 215, 14));
        Path file = export("dns6", List.of(
                dns(DnsEvent.Direction.SEND, unbound, server, query),
                dns(DnsEvent.Direction.SEND, mapped, mappedServer, query),
                dns(DnsEvent.Direction.RECV, unbound, server, Arrays.copyOf(response, 29), response.length)));

        List<String> lines = tshark(file, "udp", "ipv6.src", "ipv6.dst", "ip.src", "ip.dst", "udp.srcport",
                "udp.dstport", "dns.qry.name");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("2001:db8::2\\|2001:4860:4860::8888\\|\\|\\|\\d+\\|53\\|example.com");
        assertThat(lines.get(1)).as("IPv4-mapped ends are plain IPv4").isEqualTo("||10.0.0.5|192.0.2.53|5353|53|example.com");
        assertThat(lines.get(2)).as("the same made-up client port").startsWith("2001:4860:4860::8888|2001:db8::2|||53|"
                + lines.get(0).split("\\|")[4] + "|");
        assertThat(tshark(file, "frame.number == 3", "frame.len", "frame.cap_len", "udp.checksum.status"))
                .as("a cut datagram: its checksum cannot be verified, and is not flagged")
                .containsExactly((40 + 8 + response.length) + "|" + (40 + 8 + 29) + "|2");
        assertClean(file);
    }

    @Test
    void aUnixStreamIsTcpDataWithItsBytes() throws Exception {
        byte[] hello = {0, 1, 2, 3, 'h', 'e', 'l', 'l', 'o', (byte) 0xff};
        byte[] reply = "OK\n".getBytes(StandardCharsets.US_ASCII);
        Path file = export("unix", List.of(
                unix(7, UnixEvent.Direction.SEND, 0xffff8881aaaa0000L, 0xffff8881bbbb0000L, "stream", hello),
                unix(7, UnixEvent.Direction.RECV, 0xffff8881aaaa0000L, 0xffff8881bbbb0000L, "stream", reply),
                unix(8, UnixEvent.Direction.SEND, 0xffff8881cccc0000L, 0, "dgram", reply)));

        HexFormat hex = HexFormat.of();
        assertThat(tshark(file, "tcp.len > 0", "ip.src", "tcp.dstport", "tcp.srcport", "tcp.payload", "data.data"))
                .satisfies(lines -> {
                    assertThat(lines).hasSize(2);
                    assertThat(lines.get(0)).matches("127\\.0\\.0\\.2\\|4\\|\\d+\\|" + hex.formatHex(hello) + "\\|"
                            + hex.formatHex(hello));
                    assertThat(lines.get(1)).matches("127\\.0\\.0\\.3\\|\\d+\\|4\\|" + hex.formatHex(reply) + "\\|"
                            + hex.formatHex(reply));
                });
        assertThat(tshark(file, "udp", "udp.dstport", "data.data")).containsExactly("4|" + hex.formatHex(reply));
        assertThat(tshark(file, "tcp.len > 0", "frame.comment").get(0)).isEqualTo(
                "bpfscope seq=1 probe=unix pid=7 tid=7 comm=client direction=send syscall=sendmsg"
                        + " sock=0xffff8881aaaa0000 peer_sock=0xffff8881bbbb0000 sock_type=stream path=/run/demo.sock"
                        + " peer_pid=99");
        assertClean(file);
    }

    @Test
    void aUnixStreamThatSpeaksHttpGoesToPort80() throws Exception {
        Path file = export("unix-http", List.of(
                unix(7, UnixEvent.Direction.SEND, 0x1, 0x2, "stream", REQUEST.getBytes(StandardCharsets.US_ASCII)),
                unix(7, UnixEvent.Direction.RECV, 0x1, 0x2, "stream", RESPONSE.getBytes(StandardCharsets.US_ASCII))));

        assertThat(tshark(file, "http", "http.request.method", "http.response.code")).containsExactly("GET|", "|200");
        assertClean(file);
    }

    @Test
    void aCutPayloadKeepsItsLengthAndALongOneIsSplit() throws Exception {
        byte[] captured = new byte[32 * 1024];
        Arrays.fill(captured, (byte) 'x');
        Path file = export("cut", List.of(
                tls(5, 0x1, TlsFunction.SSL_WRITE, captured, 100_000),
                tls(5, 0x1, TlsFunction.SSL_READ, "thanks")));

        assertThat(tshark(file, "tcp.len > 0", "frame.len", "frame.cap_len", "tcp.seq", "tcp.ack", "tcp.len"))
                .containsExactly(
                        "65040|32808|1|1|65000",
                        "35040|40|65001|1|35000",
                        "46|46|1|100001|6");
        assertThat(tshark(file, "tcp.len > 0", "frame.comment")).satisfies(comments -> {
            assertThat(comments.get(0)).endsWith("direction=write conn=0x1 function=SSL_write library=openssl"
                    + " (truncated: 32768 of 100000 bytes) (part 1 of 2)");
            assertThat(comments.get(1)).endsWith("(truncated: 32768 of 100000 bytes) (part 2 of 2)");
        });
        assertClean(file);
    }

    @Test
    void eventsWithoutPayloadAreCountedNotWritten() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngExporter exporter = new PcapngExporter(out);
        DnsEvent resolver = new DnsEvent(header(9, "ping"), DnsEvent.Source.GETADDRINFO, 1, "bash", "example.com",
                "A", 1000, 0, 0, List.of("A 93.184.215.14"), false, null, null, null, null, 0, null, null, false);
        assertThat(exporter.write(record("dns", resolver))).isFalse();
        assertThat(exporter.write(tls(9, 0x1, TlsFunction.SSL_READ, new byte[0], 0))).as("a read of nothing").isFalse();
        assertThat(exporter.write(tls(9, 0x1, TlsFunction.SSL_WRITE, REQUEST))).isTrue();
        exporter.close();

        assertThat(exporter.withoutPayload()).isEqualTo(2);
        assertThat(exporter.packets()).isEqualTo(4);
        assertThat(new PcapngFile(out.toByteArray()).packets()).hasSize(4);
    }
}
