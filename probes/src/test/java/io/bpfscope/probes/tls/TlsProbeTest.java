package io.bpfscope.probes.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tls probe against real TLS on loopback: a Python (OpenSSL) server and
 * curl, openssl s_client, a Python client, gnutls-cli and an NSS client as
 * clients. Each test finds its own connection by a token no other traffic on
 * the host carries.
 */
@RequiresBpf
class TlsProbeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificate() throws Exception {
        TlsFixtures.selfSigned(dir);
    }

    private static ProbeHarness attach(ProbeOptions options) throws Exception {
        return ProbeHarness.attach(ProbeCatalog.find("tls").orElseThrow(), options);
    }

    private static String token() {
        return "tok" + UUID.randomUUID().toString().replace("-", "");
    }

    private static boolean carries(TlsEvent e, String text) {
        return e.text().contains(text);
    }

    @Test
    void curlRequestIsWrittenByTheClientAndReadByTheServerAndTheReplyBack() throws Exception {
        String curl = TlsFixtures.require("curl");
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir); ProbeHarness probe = attach(ProbeOptions.defaults());
             TlsPeer client = TlsPeer.start(List.of(curl, "-k", "-s", "--http1.1", "https://127.0.0.1:" + server.port() + "/" + token))) {
            client.awaitLine(l -> l.equals("reply:" + token), WAIT);
            assertThat(client.waitFor(WAIT)).isZero();
            int curlPid = client.pid();

            TlsEvent request = single(probe, e -> e.header().pid() == curlPid && e.direction().equals("write")
                    && carries(e, "GET /" + token + " HTTP/1.1"));
            TlsEvent received = single(probe, e -> e.header().pid() == server.pid() && e.direction().equals("read")
                    && carries(e, "GET /" + token));
            TlsEvent reply = single(probe, e -> e.header().pid() == server.pid() && e.direction().equals("write")
                    && carries(e, "reply:" + token));
            TlsEvent answer = single(probe, e -> e.header().pid() == curlPid && e.direction().equals("read")
                    && carries(e, "reply:" + token));

            assertThat(request.library()).isEqualTo("openssl");
            assertThat(request.function()).isIn(TlsFunction.SSL_WRITE, TlsFunction.SSL_WRITE_EX);
            assertThat(request.header().comm()).isEqualTo("curl");
            assertThat(request.text()).startsWith("GET /" + token + " HTTP/1.1\r\n").endsWith("\r\n\r\n");
            assertWhole(request);
            assertWhole(answer);
            // Python's ssl module calls the _ex forms.
            assertThat(received.function()).isEqualTo(TlsFunction.SSL_READ_EX);
            assertThat(reply.function()).isEqualTo(TlsFunction.SSL_WRITE_EX);
            assertThat(received.retval()).isEqualTo(1);
            assertThat(received.text()).isEqualTo(request.text());
            assertWhole(received);
            assertWhole(reply);
            // One conversation id per side: the client's SSL * and the server's.
            assertThat(request.conn()).isNotZero().isEqualTo(answer.conn());
            assertThat(received.conn()).isNotZero().isEqualTo(reply.conn());
            assertThat(answer.fields()).containsEntry("direction", "read").containsEntry("library", "openssl")
                    .containsEntry("conn", request.connId()).containsEntry("truncated", false);
            assertThat(request.summary()).contains("write", request.function().symbol(), "GET /" + token + " HTTP/1.1");
            assertThat(probe.loaded().lost()).isZero();
        }
    }

    @Test
    void opensslSClientIsSeenThroughSslWriteAndSslRead() throws Exception {
        String openssl = TlsFixtures.require("openssl");
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir); ProbeHarness probe = attach(ProbeOptions.defaults());
             TlsPeer client = TlsPeer.start(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + server.port(), "-quiet"))) {
            client.send(token);
            client.awaitLine(l -> l.equals(token.toUpperCase()), WAIT);

            TlsEvent sent = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("write") && carries(e, token));
            TlsEvent echoed = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("read")
                    && carries(e, token.toUpperCase()));
            TlsEvent serverRead = single(probe, e -> e.header().pid() == server.pid() && e.direction().equals("read") && carries(e, token));

            // s_client uses the int forms, which return the byte count.
            assertThat(sent.function()).isEqualTo(TlsFunction.SSL_WRITE);
            assertThat(echoed.function()).isEqualTo(TlsFunction.SSL_READ);
            assertThat(sent.text()).isEqualTo(token + "\n");
            assertThat(sent.retval()).isEqualTo(sent.payloadLength()).isEqualTo(token.length() + 1);
            assertThat(echoed.text()).isEqualTo(token.toUpperCase() + "\n");
            assertThat(sent.conn()).isEqualTo(echoed.conn());
            assertThat(serverRead.text()).isEqualTo(token + "\n");
            assertThat(sent.latencyNanos()).isPositive();
        }
    }

    @Test
    void payloadOverTheLimitIsCutExactlyAtTheLimit() throws Exception {
        String token = token();
        int size = 20_000;
        byte[] payload = TlsFixtures.payload(token, size);
        try (TlsFixtures.Server server = TlsFixtures.server(dir);
             ProbeHarness probe = attach(ProbeOptions.defaults().withMaxPayload(16384));
             TlsPeer client = TlsFixtures.pythonClient(dir, server.port(), token, size)) {
            client.awaitLine(l -> l.equals("ECHOED " + size + " True"), WAIT);

            TlsEvent write = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("write") && carries(e, token + ":"));
            assertThat(write.function()).isEqualTo(TlsFunction.SSL_WRITE_EX);
            assertThat(write.retval()).isEqualTo(1);
            assertThat(write.payloadLength()).isEqualTo(size);
            assertThat(write.length()).isEqualTo(16384);
            assertThat(write.truncated()).isTrue();
            assertThat(write.data()).isEqualTo(Arrays.copyOf(payload, 16384));
            assertThat(write.payload().originalLength()).isEqualTo(size);
            assertThat(write.payload().truncated()).isTrue();
            assertThat(write.fields()).containsEntry("len", 16384).containsEntry("payload_len", (long) size)
                    .containsEntry("truncated", true);
            assertThat(probe.loaded().truncated()).isPositive();

            // The server reads it a record (at most 16 KiB) at a time, each whole. Its reads were sent
            // before it echoed, so before the client printed ECHOED: all are in the ring by now.
            long serverConn = single(probe, e -> e.header().pid() == server.pid() && e.direction().equals("read")
                    && new String(e.data(), StandardCharsets.US_ASCII).startsWith(token + ":")).conn();
            List<TlsEvent> reads = probe.seen().stream().filter(e -> e instanceof TlsEvent t && t.header().pid() == server.pid()
                    && t.direction().equals("read") && t.conn() == serverConn && t.payloadLength() > 0)
                    .map(TlsEvent.class::cast).toList();
            assertThat(reads).hasSizeGreaterThan(1).allMatch(e -> !e.truncated() && e.payloadLength() <= 16384);
            assertThat(concat(reads)).isEqualTo(payload);
        }
    }

    @Test
    void gnutlsCliIsSeenThroughGnutlsRecordSendAndRecv() throws Exception {
        String gnutls = TlsFixtures.require("gnutls-cli");
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir); ProbeHarness probe = attach(ProbeOptions.defaults());
             TlsPeer client = TlsPeer.start(List.of(gnutls, "--insecure", "--port", Integer.toString(server.port()), "127.0.0.1"))) {
            client.awaitLine(l -> l.contains("Handshake was completed"), WAIT);
            client.send(token);
            client.awaitLine(l -> l.equals(token.toUpperCase()), WAIT);

            TlsEvent sent = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("write") && carries(e, token));
            TlsEvent echoed = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("read")
                    && carries(e, token.toUpperCase()));

            assertThat(sent.function()).isEqualTo(TlsFunction.GNUTLS_RECORD_SEND);
            assertThat(sent.library()).isEqualTo("gnutls");
            assertThat(sent.text()).isEqualTo(token + "\n");
            assertThat(sent.retval()).isEqualTo(token.length() + 1);
            assertThat(echoed.function()).isEqualTo(TlsFunction.GNUTLS_RECORD_RECV);
            assertThat(echoed.text()).isEqualTo(token.toUpperCase() + "\n");
            assertThat(sent.conn()).isNotZero().isEqualTo(echoed.conn());
        }
    }

    @Test
    void nssClientIsSeenThroughPrWriteAndPrReadOnItsSslLayer() throws Exception {
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir); ProbeHarness probe = attach(ProbeOptions.defaults());
             TlsPeer client = TlsFixtures.nssClient(dir, server.port(), token)) {
            client.awaitLine(l -> l.equals("NSS " + token.toUpperCase()), WAIT);

            TlsEvent sent = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("write") && carries(e, token));
            TlsEvent echoed = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("read")
                    && carries(e, token.toUpperCase()));
            single(probe, e -> e.header().pid() == server.pid() && e.direction().equals("read") && carries(e, token));

            assertThat(sent.function()).isEqualTo(TlsFunction.PR_WRITE);
            assertThat(sent.library()).isEqualTo("nspr");
            assertThat(sent.text()).isEqualTo(token + "\n");
            assertThat(sent.retval()).isEqualTo(token.length() + 1);
            // The SSL layer is an NSPR I/O layer pushed on the TCP socket.
            assertThat(sent.fields()).containsEntry("fd_type", "layered");
            assertThat(echoed.function()).isEqualTo(TlsFunction.PR_READ);
            assertThat(echoed.text()).isEqualTo(token.toUpperCase() + "\n");
            assertThat(sent.conn()).isNotZero().isEqualTo(echoed.conn());
        }
    }

    @Test
    void aLibraryGivenWithLibIsTraced() throws Exception {
        Path system = TlsLibraries.installed().stream().filter(p -> p.getFileName().toString().startsWith("libssl.so."))
                .findFirst().orElseThrow(() -> new AssertionError("no libssl in the ld.so cache"));
        Path own = Files.createDirectories(dir.resolve("own-libssl"));
        Path copy = Files.copy(system, own.resolve(system.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir);
             ProbeHarness probe = attach(ProbeOptions.defaults().withLibraries(List.of(copy)));
             TlsPeer client = TlsFixtures.pythonClient(dir, server.port(), token, 100, Map.of("LD_LIBRARY_PATH", own.toString()))) {
            // The client runs on the copy, which only --lib put probes on.
            assertThat(client.awaitLine(l -> l.startsWith("LIBSSL "), WAIT)).isEqualTo("LIBSSL " + copy);
            client.awaitLine(l -> l.equals("ECHOED 100 True"), WAIT);

            assertThat(probe.loaded().links()).anyMatch(l -> l.description().contains(copy + ":SSL_write_ex"));
            TlsEvent sent = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("write") && carries(e, token));
            assertThat(sent.function()).isEqualTo(TlsFunction.SSL_WRITE_EX);
            assertThat(sent.payloadLength()).isEqualTo(100);
        }
    }

    @Test
    void pidFilterLeavesOtherProcessesOut() throws Exception {
        String curl = TlsFixtures.require("curl");
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir);
             ProbeHarness probe = attach(ProbeOptions.defaults().withPid(server.pid()));
             TlsPeer client = TlsPeer.start(List.of(curl, "-k", "-s", "--http1.1", "https://127.0.0.1:" + server.port() + "/" + token))) {
            client.awaitLine(l -> l.equals("reply:" + token), WAIT);

            single(probe, e -> e.direction().equals("read") && carries(e, "GET /" + token));
            single(probe, e -> e.direction().equals("write") && carries(e, "reply:" + token));
            probe.await(TlsEvent.class, e -> false, 1, Duration.ofMillis(300));
            assertThat(probe.seen()).isNotEmpty().allMatch(e -> e.header().pid() == server.pid());
        }
    }

    @Test
    void aPidThatDoesNotExistFailsWithTheReason() {
        int noSuchPid = Integer.MAX_VALUE - 1;
        assertThatThrownBy(() -> attach(ProbeOptions.defaults().withPid(noSuchPid)).close())
                .isInstanceOf(BpfException.class)
                .hasMessageContaining("attach uprobe")
                .hasMessageContaining("ESRCH");
    }

    /** The one event that matches; fails if none arrives or the same bytes were reported twice. */
    private static TlsEvent single(ProbeHarness probe, Predicate<TlsEvent> match) throws Exception {
        List<TlsEvent> found = probe.await(TlsEvent.class, match, 1, WAIT);
        assertThat(found).as("matching tls events").isNotEmpty();
        // Give a duplicate (a second uprobe on the same library file, a nested call) time to arrive.
        probe.await(TlsEvent.class, e -> false, 1, Duration.ofMillis(200));
        assertThat(probe.seen()).filteredOn(e -> e instanceof TlsEvent t && match.test(t)).hasSize(1);
        return found.get(0);
    }

    private static void assertWhole(TlsEvent e) {
        assertThat(e.truncated()).isFalse();
        assertThat(e.length()).isEqualTo(e.payloadLength()).isPositive();
        assertThat(e.retval()).isIn(1L, e.payloadLength());
        assertThat(e.latencyNanos()).isPositive();
    }

    private static byte[] concat(List<TlsEvent> events) {
        int total = events.stream().mapToInt(TlsEvent::length).sum();
        byte[] all = new byte[total];
        int at = 0;
        for (TlsEvent e : events) {
            System.arraycopy(e.data(), 0, all, at, e.length());
            at += e.length();
        }
        return all;
    }
}
