package io.bpfscope.probes.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTPS clients nobody here wrote — node (OpenSSL inside the executable, or a
 * libssl it links), wget (GnuTLS), curl and Python (libssl) — against {@code openssl
 * s_server -WWW} on loopback, each started after the probe attached: the probe finds
 * them on its own. For each, its request (write) and the response (read), with its
 * own comm and the connection's ports.
 */
@RequiresBpf
class TlsClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    private static TlsPeer server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        TlsFixtures.selfSigned(dir);
        String openssl = TlsFixtures.require("openssl");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(openssl, "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                dir.resolve("cert.pem").toString(), "-key", dir.resolve("key.pem").toString(), "-WWW", "-quiet")
                .directory(dir.toFile());
        server = TlsPeer.start(builder);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                break;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("openssl s_server did not listen: " + server.printed());
                }
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A file the server sends for GET /NAME; its content is a token of its own. */
    private static String[] page() throws Exception {
        String name = "page" + UUID.randomUUID().toString().replace("-", "");
        String content = "content" + UUID.randomUUID().toString().replace("-", "");
        Files.writeString(dir.resolve(name), content + "\n");
        return new String[] {name, content};
    }

    @Test
    void nodeWithOpensslInsideOrLinkedIsFoundAndSeen() throws Exception {
        String node = TlsFixtures.require("node");
        String[] page = page();
        String script = "require('https').get({host: '127.0.0.1', port: " + port + ", path: '/" + page[0]
                + "', rejectUnauthorized: false, agent: false}, res => { const local = res.socket.localPort; let b = '';"
                + " res.on('data', d => b += d); res.on('end', () => console.log('BODY ' + b.trim() + ' LPORT ' + local)); });";
        assertRequestAndResponse(List.of(node, "-e", script), "node", page);
    }

    @Test
    void curlIsSeenWithItsConnection() throws Exception {
        String curl = TlsFixtures.require("curl");
        String[] page = page();
        assertRequestAndResponse(List.of(curl, "-k", "-s", "--http1.1", "-w", "\\nLPORT %{local_port}\\n",
                "https://127.0.0.1:" + port + "/" + page[0]), "curl", page);
    }

    @Test
    void wgetThroughGnutlsIsSeenWithItsConnection() throws Exception {
        String wget = TlsFixtures.require("wget");
        String[] page = page();
        assertRequestAndResponse(List.of(wget, "--no-check-certificate", "-q", "-O", "-",
                "https://127.0.0.1:" + port + "/" + page[0]), "wget", page);
    }

    @Test
    void pythonIsSeenWithItsConnection() throws Exception {
        String[] page = page();
        String script = "import http.client, ssl\n"
                + "c = http.client.HTTPSConnection('127.0.0.1', " + port + ", context=ssl._create_unverified_context())\n"
                + "c.request('GET', '/" + page[0] + "')\n"
                + "local = c.sock.getsockname()[1]\n"
                + "print(c.getresponse().read().decode().strip(), 'LPORT', local, flush=True)\n";
        assertRequestAndResponse(List.of(TlsFixtures.python(), "-c", script), "python3", page);
    }

    /**
     * Runs the client with the probe attached; its request and the response must be seen
     * with its comm and the connection's ports: the server's as dport, and its own local
     * port as sport (checked against what the client printed after {@code LPORT}, where it can say).
     */
    private void assertRequestAndResponse(List<String> command, String comm, String[] page) throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tls").orElseThrow(), ProbeOptions.defaults());
             TlsPeer client = TlsPeer.start(command)) {
            client.awaitLine(l -> l.contains(page[1]), WAIT);
            assertThat(client.waitFor(WAIT)).as(client.printed()).isZero();
            int pid = client.pid();
            TlsEvent request = single(probe, e -> e.header().pid() == pid && e.direction().equals("write")
                    && e.text().contains("GET /" + page[0]));
            TlsEvent response = single(probe, e -> e.header().pid() == pid && e.direction().equals("read")
                    && e.text().contains(page[1]));
            for (TlsEvent e : List.of(request, response)) {
                assertThat(e.header().comm()).isEqualTo(comm);
                assertThat(e.connection()).as(e.summary()).isNotNull();
                assertThat(e.connection().dport()).as(e.summary()).isEqualTo(port);
                assertThat(e.connection().sport()).as(e.summary()).isPositive().isNotEqualTo(port);
                assertThat(e.connection().daddr().getHostAddress()).isEqualTo("127.0.0.1");
                assertThat(e.fields()).containsEntry("dport", port).containsEntry("daddr", "127.0.0.1")
                        .containsEntry("saddr", "127.0.0.1");
            }
            assertThat(request.conn()).isEqualTo(response.conn());
            assertThat(request.connection().sport()).isEqualTo(response.connection().sport());
            java.util.regex.Matcher printed = java.util.regex.Pattern.compile("LPORT (\\S+)").matcher(client.printed());
            if (printed.find()) { // all but wget say their local port
                assertThat(request.connection().sport()).as(client.printed()).isEqualTo(Integer.parseInt(printed.group(1)));
            }
        }
    }

    /**
     * What tls-map says of each client while it runs: each is held in its handshake by a server
     * that accepts and never answers, by when it has loaded its TLS library.
     */
    @Test
    void tlsMapNamesEachClientsTlsAndSaysItIsCovered() throws Exception {
        assertCoveredWhileRunning("node", "static OpenSSL|OpenSSL library", url -> List.of(TlsFixtures.require("node"), "-e",
                "require('https').get('" + url + "', {rejectUnauthorized: false}).on('error', () => {});"
                        + " setTimeout(() => {}, 30000);"));
        assertCoveredWhileRunning("curl", "OpenSSL library", url -> List.of(TlsFixtures.require("curl"), "-k", "-s",
                "--max-time", "30", url));
        assertCoveredWhileRunning("wget", "GnuTLS library", url -> List.of(TlsFixtures.require("wget"),
                "--no-check-certificate", "-q", "-T", "30", "-t", "1", "-O", "-", url));
        assertCoveredWhileRunning("python3", "OpenSSL library", url -> List.of(TlsFixtures.python(), "-c",
                "import ssl, urllib.request\nurllib.request.urlopen('" + url + "', context=ssl._create_unverified_context())\n"));
    }

    /**
     * What tls-map says of a client while it runs: held in its handshake by a server of its own that
     * accepts and never answers, it has loaded its TLS library by the time it connects.
     */
    private static void assertCoveredWhileRunning(String comm, String kind,
                                                  java.util.function.Function<String, List<String>> command) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process process = new ProcessBuilder(command.apply("https://127.0.0.1:" + silent.getLocalPort() + "/"))
                    .redirectErrorStream(true).start();
            try (Socket accepted = silent.accept()) {
                List<TlsCoverage.Finding> findings = TlsCoverage.scan((int) process.pid());
                assertThat(findings).as(comm).anySatisfy(f -> {
                    assertThat(f.kind()).matches(kind);
                    assertThat(f.comm()).isEqualTo(comm);
                    assertThat(f.traceable()).isTrue();
                    assertThat(f.why()).startsWith("covered automatically");
                });
            } finally {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static TlsEvent single(ProbeHarness probe, Predicate<TlsEvent> match) throws Exception {
        return probe.await(TlsEvent.class, match, 1, WAIT).get(0);
    }
}
