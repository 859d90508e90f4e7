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
        String script = "setTimeout(() => require('https').get({host: '127.0.0.1', port: " + port + ", path: '/" + page[0]
                + "', rejectUnauthorized: false}, r => { let b = ''; r.on('data', d => b += d);"
                + " r.on('end', () => console.log('BODY ' + b.trim())); }), 0);";
        assertRequestAndResponse(List.of(node, "-e", script), "node", page);
    }

    private void assertRequestAndResponse(List<String> command, String comm, String[] page) throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tls").orElseThrow(), ProbeOptions.defaults());
             TlsPeer client = TlsPeer.start(command)) {
            client.awaitLine(l -> l.contains(page[1]), WAIT);
            int pid = client.pid();
            TlsEvent request = single(probe, e -> e.header().pid() == pid && e.direction().equals("write")
                    && e.text().contains("GET /" + page[0]));
            TlsEvent response = single(probe, e -> e.header().pid() == pid && e.direction().equals("read")
                    && e.text().contains(page[1]));
            assertThat(request.header().comm()).isEqualTo(comm);
            assertThat(response.header().comm()).isEqualTo(comm);
            assertThat(request.conn()).isEqualTo(response.conn());
        }
    }

    private static TlsEvent single(ProbeHarness probe, Predicate<TlsEvent> match) throws Exception {
        return probe.await(TlsEvent.class, match, 1, WAIT).get(0);
    }
}
