package io.bpfscope.probes.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.golang.GoPrograms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tls probe on Go's crypto/tls: a net/http client built in the test (as is, and
 * stripped with {@code -ldflags='-s -w'}) against the Python TLS server on loopback.
 * Its request is a Write and the reply a Read, under its own comm, with
 * {@code library} go and the connection's ports; a client making hundreds of requests under the probe (entry
 * and RET uprobes, no uretprobe) completes every one.
 */
@RequiresBpf
class GoTlsProbeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificate() throws Exception {
        TlsFixtures.selfSigned(dir);
    }

    private static Path client(boolean stripped) throws Exception {
        return stripped ? GoPrograms.strippedClient() : GoPrograms.client();
    }

    private static String token() {
        return "go" + UUID.randomUUID().toString().replace("-", "");
    }

    private static ProbeHarness attach(ProbeOptions options) throws Exception {
        return ProbeHarness.attach(ProbeCatalog.find("tls").orElseThrow(), options);
    }

    /** A client already running when the probe attaches: found among the running processes. */
    @ParameterizedTest(name = "stripped={0}")
    @ValueSource(booleans = {false, true})
    void aRunningGoClientsRequestAndReplyAreSeen(boolean stripped) throws Exception {
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir);
             TlsPeer client = TlsPeer.start(List.of(client(stripped).toString(),
                     "https://127.0.0.1:" + server.port() + "/" + token, "1"), Map.of("GO_CLIENT_WAIT", "1"))) {
            client.awaitLine("ready"::equals, WAIT);
            try (ProbeHarness probe = attach(ProbeOptions.defaults())) {
                client.send("go");
                client.awaitLine(l -> l.equals("done ok=1 failed=0"), WAIT);
                assertThat(client.waitFor(WAIT)).isZero();

                TlsEvent request = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("write")
                        && e.text().startsWith("GET /" + token + " HTTP/1.1\r\n"));
                TlsEvent reply = single(probe, e -> e.header().pid() == client.pid() && e.direction().equals("read")
                        && e.text().contains("reply:" + token));

                String comm = client(stripped).getFileName().toString();
                for (TlsEvent e : List.of(request, reply)) {
                    assertThat(e.library()).isEqualTo("go");
                    assertThat(e.header().comm()).isEqualTo(comm.substring(0, Math.min(15, comm.length())));
                    assertThat(e.truncated()).isFalse();
                    assertThat(e.length()).isEqualTo(e.payloadLength()).isEqualTo(e.retval()).isPositive();
                }
                assertThat(request.latencyNanos()).as("a write is reported at its entry").isZero();
                assertThat(reply.latencyNanos()).isPositive();
                assertThat(request.function()).isEqualTo(TlsFunction.GO_WRITE);
                assertThat(request.fields()).containsEntry("function", "crypto/tls.(*Conn).Write");
                assertThat(request.text()).endsWith("\r\n\r\n");
                assertThat(reply.function()).isEqualTo(TlsFunction.GO_READ);
                assertThat(reply.text()).startsWith("HTTP/1.1 200 OK\r\n");
                assertThat(reply.conn()).as("one *tls.Conn both ways").isEqualTo(request.conn());
                // The connection, from the *tls.Conn's own fd: the client's port, the server's port.
                for (TlsEvent e : List.of(request, reply)) {
                    assertThat(e.connection()).as(e.summary()).isNotNull();
                    assertThat(e.connection().source()).isEqualTo(TlsEvent.AddressSource.FD);
                    assertThat(e.connection().daddr().getHostAddress()).isEqualTo("127.0.0.1");
                    assertThat(e.connection().dport()).isEqualTo(server.port());
                    assertThat(e.connection().sport()).isPositive().isNotEqualTo(server.port());
                }
                assertThat(reply.connection().sport()).isEqualTo(request.connection().sport());
            }
        }
    }

    /**
     * Started after the probe attached, found by its exec. The discovery attaches within tens
     * of milliseconds of the exec; the client waits a little before its first request so that
     * the test does not race it.
     */
    @ParameterizedTest(name = "stripped={0}")
    @ValueSource(booleans = {false, true})
    void aGoClientStartedWhileRecordingIsSeen(boolean stripped) throws Exception {
        String token = token();
        try (TlsFixtures.Server server = TlsFixtures.server(dir);
             ProbeHarness probe = attach(ProbeOptions.defaults());
             TlsPeer client = TlsPeer.start(List.of(client(stripped).toString(),
                     "https://127.0.0.1:" + server.port() + "/" + token, "1"), Map.of("GO_CLIENT_DELAY_MS", "300"))) {
            client.awaitLine(l -> l.equals("done ok=1 failed=0"), WAIT);
            single(probe, e -> e.header().pid() == client.pid() && e.function() == TlsFunction.GO_WRITE
                    && e.text().startsWith("GET /" + token + " "));
            single(probe, e -> e.header().pid() == client.pid() && e.function() == TlsFunction.GO_READ
                    && e.text().contains("reply:" + token));
        }
    }

    /** Started after the probe attached, named with --lib: the file's hooks are in place before it runs. */
    @Test
    void aGoClientNamedWithLibIsSeenFromItsFirstRequest() throws Exception {
        String token = token();
        Path stripped = GoPrograms.strippedClient();
        try (TlsFixtures.Server server = TlsFixtures.server(dir);
             ProbeHarness probe = attach(ProbeOptions.defaults().withLibraries(List.of(stripped)));
             TlsPeer client = TlsPeer.start(List.of(stripped.toString(),
                     "https://127.0.0.1:" + server.port() + "/" + token, "1"))) {
            client.awaitLine(l -> l.equals("done ok=1 failed=0"), WAIT);
            single(probe, e -> e.header().pid() == client.pid() && e.function() == TlsFunction.GO_WRITE
                    && e.text().startsWith("GET /" + token + " "));
            single(probe, e -> e.header().pid() == client.pid() && e.function() == TlsFunction.GO_READ
                    && e.text().contains("reply:" + token));
        }
    }

    /**
     * 2,000 requests, each on a new connection (the server closes it), over several
     * seconds under the probe: the client completes every one, and every request is seen once.
     */
    @Test
    void aBusyGoClientIsNotDisturbedAndEveryRequestIsSeen() throws Exception {
        int requests = 2000;
        String token = token();
        Path binary = GoPrograms.client();
        try (TlsFixtures.Server server = TlsFixtures.server(dir);
             ProbeHarness probe = attach(ProbeOptions.defaults().withLibraries(List.of(binary)));
             TlsPeer client = TlsPeer.start(List.of(binary.toString(),
                     "https://127.0.0.1:" + server.port() + "/" + token, Integer.toString(requests)))) {
            long started = System.nanoTime();
            String done = client.awaitLine(l -> l.startsWith("done "), Duration.ofSeconds(120));
            assertThat(client.waitFor(WAIT)).isZero();
            System.out.printf("GoTlsProbeTest: %d requests under the probe in %.1f s%n", requests,
                    (System.nanoTime() - started) / 1e9);
            assertThat(done).as(client.printed()).isEqualTo("done ok=" + requests + " failed=0");

            List<TlsEvent> writes = probe.await(TlsEvent.class, e -> e.header().pid() == client.pid()
                    && e.function() == TlsFunction.GO_WRITE && e.text().startsWith("GET /" + token + "-"), requests, WAIT);
            Set<String> paths = new HashSet<>();
            writes.forEach(e -> paths.add(e.text().split(" ")[1]));
            assertThat(paths).hasSize(requests);
            List<TlsEvent> reads = probe.await(TlsEvent.class, e -> e.header().pid() == client.pid()
                    && e.function() == TlsFunction.GO_READ && e.text().contains("reply:" + token + "-"), requests, WAIT);
            assertThat(reads).hasSize(requests);
        }
    }

    /**
     * The danger the RET uprobes avoid, shown: the client calls Write and Read at the bottom of
     * recursions of varying depth (GO_CLIENT_RAW), so its goroutine's stack grows and moves while
     * they run. Under the tls probe it completes every request and each reply is seen; under a
     * uretprobe on the same Read (the control) the Go runtime kills it, finding the uretprobe's
     * trampoline where a return address should be.
     */
    @Test
    void aGoClientWhoseStackMovesInsideReadCompletesEveryRequestUnderTheProbeAndDiesUnderAUretprobe()
            throws Exception {
        int requests = 400;
        String token = token();
        Path binary = GoPrograms.client();
        List<String> command = List.of(binary.toString(), "https://127.0.0.1:%d/" + token, Integer.toString(requests));
        try (TlsFixtures.Server server = TlsFixtures.server(dir)) {
            List<String> run = command.stream().map(a -> a.contains("%d") ? a.formatted(server.port()) : a).toList();
            try (ProbeHarness probe = attach(ProbeOptions.defaults().withLibraries(List.of(binary)));
                 TlsPeer client = TlsPeer.start(run, Map.of("GO_CLIENT_RAW", "1"))) {
                String done = client.awaitLine(l -> l.startsWith("done "), Duration.ofSeconds(120));
                assertThat(client.waitFor(WAIT)).isZero();
                assertThat(done).as(client.printed()).isEqualTo("done ok=" + requests + " failed=0");
                List<TlsEvent> replies = probe.await(TlsEvent.class, e -> e.header().pid() == client.pid()
                        && e.function() == TlsFunction.GO_READ && e.text().contains("reply:" + token + "-"), requests, WAIT);
                assertThat(replies).hasSize(requests);
            }
            try (ProbeHarness uretprobe = ProbeHarness.attach(ProbeCatalog.find("uretprobe:" + binary + ":"
                    + TlsFunction.GO_READ.symbol()).orElseThrow(), ProbeOptions.defaults());
                 TlsPeer client = TlsPeer.start(run, Map.of("GO_CLIENT_RAW", "1"))) {
                // The control: the runtime's crash report, then a failed exit.
                client.awaitLine(l -> l.startsWith("SIGILL") || l.startsWith("SIGSEGV")
                        || l.contains("unexpected return pc") || l.startsWith("fatal error"), Duration.ofSeconds(120));
                assertThat(client.waitFor(WAIT)).isNotZero();
            }
        }
    }

    private static TlsEvent single(ProbeHarness probe, Predicate<TlsEvent> match) throws Exception {
        List<TlsEvent> found = probe.await(TlsEvent.class, match, 1, WAIT);
        assertThat(found).as("matching tls events").isNotEmpty();
        probe.await(TlsEvent.class, e -> false, 1, Duration.ofMillis(200));
        assertThat(probe.seen()).filteredOn(e -> e instanceof TlsEvent t && match.test(t)).hasSize(1);
        return found.get(0);
    }
}
