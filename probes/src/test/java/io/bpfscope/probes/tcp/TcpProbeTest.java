package io.bpfscope.probes.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

@RequiresBpf
class TcpProbeTest {
    private static final int JVM_PID = (int) ProcessHandle.current().pid();
    private static final int SIZE = 8192;

    /** The kernel's id of the calling thread (Java has none of its own). */
    private static int currentTid() throws Exception {
        String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "pid/task/tid"
        return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
    }

    /** What one loopback conversation looked like from Java. */
    private record Conversation(int serverPort, int clientPort, int clientTid, int serverTid) {
    }

    /**
     * A server thread accepts, reads SIZE bytes, answers SIZE bytes and
     * closes after the client did; the calling thread is the client.
     */
    private static Conversation converse(InetAddress loopback) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            CompletableFuture<Integer> serverTid = CompletableFuture.supplyAsync(() -> {
                try (Socket peer = server.accept()) {
                    int tid = currentTid();
                    peer.getInputStream().readNBytes(SIZE);
                    peer.getOutputStream().write(new byte[SIZE]);
                    peer.getOutputStream().flush();
                    // Wait for the client's FIN, so the client closes first.
                    assertThat(peer.getInputStream().read()).isEqualTo(-1);
                    return tid;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int clientPort;
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(loopback, server.getLocalPort()));
                clientPort = client.getLocalPort();
                OutputStream out = client.getOutputStream();
                out.write(new byte[SIZE]);
                out.flush();
                InputStream in = client.getInputStream();
                assertThat(in.readNBytes(SIZE)).hasSize(SIZE);
            }
            return new Conversation(server.getLocalPort(), clientPort, currentTid(), serverTid.get(10, TimeUnit.SECONDS));
        }
    }

    private static TcpEvent one(ProbeHarness probe, Predicate<TcpEvent> match, String what) throws Exception {
        List<TcpEvent> events = probe.await(TcpEvent.class, match, 1, Duration.ofSeconds(5));
        assertThat(events).as("%s among %s", what, probe.seen()).hasSize(1);
        return events.get(0);
    }

    private static Predicate<TcpEvent> is(TcpEvent.Kind kind, int sport, int dport) {
        return e -> e.event() == kind && e.sport() == sport && e.dport() == dport;
    }

    private static void checkConversation(ProbeHarness probe, Conversation c, String address, int family)
            throws Exception {
        TcpEvent listen = one(probe, e -> e.event() == TcpEvent.Kind.LISTEN && e.sport() == c.serverPort(), "listen");
        TcpEvent connect = one(probe, is(TcpEvent.Kind.CONNECT, c.clientPort(), c.serverPort()), "connect");
        TcpEvent established = one(probe, is(TcpEvent.Kind.ESTABLISHED, c.clientPort(), c.serverPort()), "established");
        TcpEvent accept = one(probe, is(TcpEvent.Kind.ACCEPT, c.serverPort(), c.clientPort()), "accept");
        TcpEvent closeWait = one(probe, e -> is(TcpEvent.Kind.STATE, c.serverPort(), c.clientPort()).test(e)
                && e.newstate() == 8, "server TCP_CLOSE_WAIT");
        TcpEvent clientClose = one(probe, is(TcpEvent.Kind.CLOSE, c.clientPort(), c.serverPort()), "client close");
        TcpEvent serverClose = one(probe, is(TcpEvent.Kind.CLOSE, c.serverPort(), c.clientPort()), "server close");

        for (TcpEvent e : List.of(listen, connect, established, accept, closeWait, clientClose, serverClose)) {
            assertThat(e.header().pid()).as("owner of %s", e.summary()).isEqualTo(JVM_PID);
            assertThat(e.ownerKnown()).isTrue();
            assertThat(e.family()).isEqualTo(family);
            assertThat(e.fields()).containsEntry("saddr", address);
        }
        for (TcpEvent e : List.of(connect, established, accept, closeWait, clientClose, serverClose)) {
            assertThat(e.fields()).containsEntry("daddr", address);
        }
        // The client's events belong to the client thread, the accepted socket's to the server thread,
        // even TCP_CLOSE_WAIT, which the kernel ran for the client's FIN on the client's thread.
        for (TcpEvent e : List.of(connect, established, clientClose)) {
            assertThat(e.header().tid()).as("thread of %s", e.summary()).isEqualTo(c.clientTid());
            assertThat(e.sock()).isEqualTo(connect.sock());
        }
        for (TcpEvent e : List.of(accept, closeWait, serverClose)) {
            assertThat(e.header().tid()).as("thread of %s", e.summary()).isEqualTo(c.serverTid());
            assertThat(e.sock()).isEqualTo(accept.sock());
        }
        assertThat(listen.header().tid()).isEqualTo(c.clientTid()); // the test thread called listen()

        assertThat(established.oldstate()).isEqualTo(2);
        assertThat(established.fields()).containsEntry("oldstate", "TCP_SYN_SENT").containsEntry("newstate", "TCP_ESTABLISHED");
        for (TcpEvent close : List.of(clientClose, serverClose)) {
            assertThat(close.stats().bytesAcked()).as("acked by %s", close.summary()).isGreaterThanOrEqualTo(SIZE);
            assertThat(close.stats().bytesReceived()).isGreaterThanOrEqualTo(SIZE);
            assertThat(close.duration()).isPositive().isLessThan(Duration.ofSeconds(10));
            assertThat(close.error()).isZero();
            assertThat(close.fields()).containsKeys("duration_ns", "bytes_acked", "bytes_received", "srtt_us");
        }
        assertThat(probe.loaded().lost()).isZero();
    }

    @Test
    void followsAnIpv4LoopbackConversationWithItsOwners() throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(),
                ProbeOptions.defaults().withPid(JVM_PID))) {
            Conversation c = converse(InetAddress.getByName("127.0.0.1"));
            checkConversation(probe, c, "127.0.0.1", 4);
            TcpEvent connect = one(probe, is(TcpEvent.Kind.CONNECT, c.clientPort(), c.serverPort()), "connect");
            assertThat(connect.summary()).isEqualTo("connect 127.0.0.1:" + c.clientPort() + " → 127.0.0.1:" + c.serverPort());
        }
    }

    @Test
    void followsAnIpv6LoopbackConversation() throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(), ProbeOptions.defaults())) {
            Conversation c = converse(InetAddress.getByName("::1"));
            checkConversation(probe, c, "::1", 6);
            TcpEvent accept = one(probe, is(TcpEvent.Kind.ACCEPT, c.serverPort(), c.clientPort()), "accept");
            assertThat(accept.summary()).isEqualTo("accept [::1]:" + c.serverPort() + " ← [::1]:" + c.clientPort());
        }
    }

    @Test
    void attributesAConnectionToTheProcessThatOpenedIt() throws Exception {
        // bash opens a plain AF_INET socket (Java's own sockets are IPv6 ones with mapped addresses).
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(), ProbeOptions.defaults())) {
            Process bash = new ProcessBuilder("/bin/bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "; echo hello >&3; exec 3>&-").start();
            try (Socket peer = server.accept()) {
                assertThat(new String(peer.getInputStream().readAllBytes())).isEqualTo("hello\n");
            }
            assertThat(bash.waitFor(5, TimeUnit.SECONDS)).isTrue();
            TcpEvent connect = one(probe, e -> e.event() == TcpEvent.Kind.CONNECT && e.dport() == server.getLocalPort(),
                    "connect");
            TcpEvent close = one(probe, is(TcpEvent.Kind.CLOSE, connect.sport(), server.getLocalPort()), "close");

            assertThat(connect.header().pid()).isEqualTo((int) bash.pid());
            assertThat(connect.header().comm()).isEqualTo("bash");
            assertThat(connect.family()).isEqualTo(4);
            assertThat(connect.fields()).containsEntry("saddr", "127.0.0.1").containsEntry("daddr", "127.0.0.1");
            assertThat(close.header().pid()).isEqualTo((int) bash.pid());
            assertThat(close.stats().bytesAcked()).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void commFilterAppliesToTheOwnerNotToTheTaskTheKernelRanIn() throws Exception {
        // bash's FIN moves the JVM's accepted socket to TCP_CLOSE_WAIT while bash is the current task:
        // with comm=bash that change must not be reported, as the socket belongs to the JVM.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(),
                     ProbeOptions.defaults().withComm("bash"))) {
            Process bash = new ProcessBuilder("/bin/bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "; echo hi >&3; exec 3>&-").start();
            try (Socket peer = server.accept()) {
                assertThat(peer.getInputStream().readAllBytes()).hasSize(3);
            }
            assertThat(bash.waitFor(5, TimeUnit.SECONDS)).isTrue();
            one(probe, e -> e.event() == TcpEvent.Kind.CLOSE && e.dport() == server.getLocalPort(), "bash's close");
            probe.await(TcpEvent.class, e -> false, 1, Duration.ofMillis(300));

            assertThat(probe.seen()).isNotEmpty().allSatisfy(e -> {
                assertThat(e.header().pid()).as(e.summary()).isEqualTo((int) bash.pid());
                assertThat(((TcpEvent) e).sport()).as(e.summary()).isNotEqualTo(server.getLocalPort());
            });
        }
    }

    @Test
    void aConnectionOpenedBeforeTheProbeHasNoKnownOwner() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket client = new Socket(InetAddress.getByName("127.0.0.1"), server.getLocalPort());
             Socket peer = server.accept()) {
            try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(), ProbeOptions.defaults());
                 ProbeHarness filtered = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(),
                         ProbeOptions.defaults().withPid(JVM_PID))) {
                client.close();
                TcpEvent finWait = one(probe, e -> e.sport() == client.getLocalPort() && e.newstate() == 4, "FIN_WAIT1");

                assertThat(finWait.ownerKnown()).isFalse();
                assertThat(finWait.header().pid()).isZero();
                assertThat(finWait.fields()).containsEntry("owner_known", false)
                        .containsEntry("oldstate", "TCP_ESTABLISHED").containsEntry("newstate", "TCP_FIN_WAIT1");
                // An owner that is not known cannot pass a filter.
                assertThat(filtered.await(TcpEvent.class, e -> e.sport() == client.getLocalPort(), 1,
                        Duration.ofMillis(300))).isEmpty();
            }
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void reportsARefusedBlockingConnectOnce() throws Exception {
        int port = closedPort();
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(),
                ProbeOptions.defaults().withPid(JVM_PID))) {
            try (Socket client = new Socket()) {
                assertThatThrownBy(() -> client.connect(new InetSocketAddress("127.0.0.1", port)))
                        .isInstanceOf(ConnectException.class);
            }
            TcpEvent failed = one(probe, e -> e.event() == TcpEvent.Kind.CONNECT_FAILED && e.dport() == port,
                    "connect_failed");

            assertThat(failed.fields()).containsEntry("error", "ECONNREFUSED").containsEntry("daddr", "127.0.0.1");
            assertThat(failed.header().pid()).isEqualTo(JVM_PID);
            assertThat(failed.header().tid()).isEqualTo(currentTid());
            assertThat(failed.sport()).isPositive(); // the socket had its port when the RST closed it
            assertThat(failed.summary()).endsWith("→ 127.0.0.1:" + port + " ECONNREFUSED");
            // The close that caused it is not reported a second time.
            assertThat(probe.seen()).filteredOn(e -> ((TcpEvent) e).dport() == port).hasSize(1);
        }
    }

    @Test
    void reportsARefusedConnectWithTimeoutToo() throws Exception {
        // With a timeout Java connects non-blocking: connect() says EINPROGRESS, the RST comes during the call.
        int port = closedPort();
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(),
                ProbeOptions.defaults().withPid(JVM_PID))) {
            try (Socket client = new Socket()) {
                assertThatThrownBy(() -> client.connect(new InetSocketAddress("127.0.0.1", port), 2000))
                        .isInstanceOf(ConnectException.class);
            }
            // Usually the RST is handled before connect() returns (one connect_failed); if the softirq was
            // deferred to ksoftirqd it comes after, and the socket's close carries the error instead.
            List<TcpEvent> events = probe.await(TcpEvent.class, e -> e.dport() == port, 2, Duration.ofSeconds(1));

            assertThat(events).as("events for port %d", port).isNotEmpty();
            TcpEvent last = events.get(events.size() - 1);
            assertThat(last.error()).as(last.summary()).isEqualTo(111); // ECONNREFUSED
            assertThat(last.event()).isIn(TcpEvent.Kind.CONNECT_FAILED, TcpEvent.Kind.CLOSE);
        }
    }

    @Test
    void pidFilterAppliesToTheOwner() throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("tcp").orElseThrow(),
                ProbeOptions.defaults().withPid(Integer.MAX_VALUE - 1))) {
            converse(InetAddress.getByName("127.0.0.1"));
            assertThat(probe.await(TcpEvent.class, e -> true, 1, Duration.ofMillis(500))).isEmpty();
        }
    }
}
