package io.bpfscope.probes.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.RecordSink;
import io.bpfscope.probes.UserSpaceSource;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jsse probe for real: the agent loaded into JVMs of Java 17 and 25 that talk HTTPS to a Python
 * server on loopback, through the JDK's HttpClient (SSLEngine) and HttpsURLConnection (SSLSocket).
 * Each client runs under a command name of its own and the probe is filtered by it, so no other
 * JVM on the machine is touched. Root: the attach signals and enters other processes.
 */
@RequiresBpf("attaching an agent to a JVM of any user needs root")
class JsseProbeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    @BeforeAll
    static void certificate() throws Exception {
        JsseFixtures.certificate(dir);
    }

    static List<Path> jdks() {
        return JsseFixtures.jdks();
    }

    /** Collects what the probe hands over, decoded. */
    static final class Collected implements RecordSink {
        final List<JsseEvent> events = new CopyOnWriteArrayList<>();
        final List<String> notices = new CopyOnWriteArrayList<>();

        @Override
        public boolean offer(byte[] record) {
            try {
                events.add(new JsseDecoder().decode(ByteBuffer.wrap(record), 0, record.length));
            } catch (MalformedEventException e) {
                throw new AssertionError(e);
            }
            return true;
        }

        @Override
        public void notice(String text) {
            notices.add(text);
        }

        JsseEvent await(Predicate<JsseEvent> wanted) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsseEvent event : events) {
                    if (wanted.test(event)) {
                        return event;
                    }
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no such event within " + WAIT + "; got " + events.stream().map(JsseEvent::summary).toList()
                    + "; notices " + notices);
        }

        boolean any(String text) {
            return events.stream().anyMatch(e -> e.text().contains(text));
        }
    }

    private static Predicate<JsseEvent> call(JsseFunction function, String text, int pid) {
        return event -> event.function() == function && event.text().contains(text) && event.header().pid() == pid;
    }

    /**
     * The four events of the client's requests {@code engineName} (HttpClient) and {@code socketName}
     * (HttpsURLConnection), checked alike: the server's end on each, the local end on the socket's,
     * one conn per connection, the JVM's own threads. In the order wrap, unwrap, write, read.
     */
    private static List<JsseEvent> requestEvents(Collected sink, JsseFixtures.Peer client, String engineName,
                                                 String socketName, int port, int source) throws Exception {
        String comm = Files.readString(Path.of("/proc", Integer.toString(client.pid()), "comm")).strip();
        JsseEvent wrap = sink.await(call(JsseFunction.ENGINE_WRAP, "GET /" + engineName + " ", client.pid()));
        JsseEvent unwrap = sink.await(call(JsseFunction.ENGINE_UNWRAP, "reply:" + engineName, client.pid()));
        JsseEvent write = sink.await(call(JsseFunction.SOCKET_WRITE, "GET /" + socketName + " ", client.pid()));
        JsseEvent read = sink.await(call(JsseFunction.SOCKET_READ, "reply:" + socketName, client.pid()));
        List<JsseEvent> events = List.of(wrap, unwrap, write, read);
        for (JsseEvent event : events) {
            assertThat(event.dport()).as(event.summary()).isEqualTo(port);
            assertThat(event.remoteAddress()).isEqualTo("127.0.0.1");
            assertThat(event.header().source()).isEqualTo(source);
            assertThat(event.header().comm()).isEqualTo(comm);
            assertThat(event.truncated()).isFalse();
            assertThat(JsseProbe.DECLARATION.undeclaredFields(event, List.of())).isEmpty();
            // The thread is the JVM's: /proc lists it as one of the client's.
            assertThat(Path.of("/proc", Integer.toString(client.pid()), "task",
                    Integer.toString(event.header().tid()))).exists();
        }
        assertThat(wrap.direction()).isEqualTo("write");
        assertThat(unwrap.direction()).isEqualTo("read");
        assertThat(wrap.conn()).isEqualTo(unwrap.conn()).isNotEqualTo(write.conn());
        assertThat(write.conn()).isEqualTo(read.conn());
        for (JsseEvent event : List.of(write, read)) {
            assertThat(event.localAddress()).isEqualTo("127.0.0.1");
            assertThat(event.sport()).isPositive().isNotEqualTo(port);
        }
        return events;
    }

    /**
     * A new recording of {@code comm} gets the {@code kind} request {@code name} of {@code client}
     * once: the agent, loaded by an earlier recording, only reconnects. Returns what it got.
     */
    private static Collected recordedOnce(JsseFixtures.Peer client, String comm, String kind, String name)
            throws Exception {
        Collected next = new Collected();
        try (UserSpaceSource probe = new JsseProbe().startUserSpace(ProbeOptions.defaults().withComm(comm), 9, next,
                text -> { })) {
            assertThat(client.request(kind, name)).isEqualTo("ok " + name + " 200 reply:" + name);
            next.await(call(kind.equals("engine") ? JsseFunction.ENGINE_UNWRAP : JsseFunction.SOCKET_READ,
                    "reply:" + name, client.pid()));
            Thread.sleep(300);
            assertThat(next.events.stream().filter(e -> e.text().contains("GET /" + name + " "))).hasSize(1);
        }
        return next;
    }

    /** The client's command name: {@code jsserun25}... of its own, the probe's comm filter. */
    private static String comm(Path jdk, String role) {
        return "jsse" + role + (jdk.getFileName().toString().contains("25") ? "25" : "17");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void everyRequestOfARunningJvmIsTracedBothWaysAndTheJvmRunsOnAfterTheRecording(Path jdk) throws Exception {
        JsseFixtures.requireJdk(jdk);
        String comm = comm(jdk, "run");
        try (JsseFixtures.Peer server = JsseFixtures.server(dir)) {
            int port = server.port();
            Collected sink = new Collected();
            try (JsseFixtures.Peer client = JsseFixtures.client(dir, jdk, comm, port)) {
                // Without the agent first.
                assertThat(client.request("engine", "before-engine")).isEqualTo("ok before-engine 200 reply:before-engine");
                assertThat(client.request("socket", "before-socket")).isEqualTo("ok before-socket 200 reply:before-socket");

                List<String> warnings = new ArrayList<>();
                ProbeOptions options = ProbeOptions.defaults().withComm(comm);
                try (UserSpaceSource probe = new JsseProbe().startUserSpace(options, 7, sink, warnings::add)) {
                    assertThat(warnings).isEmpty();
                    for (int i = 1; i <= 3; i++) {
                        assertThat(client.request("engine", "engine-" + i)).isEqualTo("ok engine-" + i + " 200 reply:engine-" + i);
                        assertThat(client.request("socket", "socket-" + i)).isEqualTo("ok socket-" + i + " 200 reply:socket-" + i);
                    }
                    for (int i = 1; i <= 3; i++) {
                        requestEvents(sink, client, "engine-" + i, "socket-" + i, port, 7);
                    }
                    assertThat(sink.any("before-engine")).isFalse();
                    assertThat(sink.any("before-socket")).isFalse();
                    assertThat(probe.lost()).isZero();
                }
                // The recording ended: the JVM goes on, and nothing more arrives.
                assertThat(client.request("engine", "after-engine")).isEqualTo("ok after-engine 200 reply:after-engine");
                assertThat(client.request("socket", "after-socket")).isEqualTo("ok after-socket 200 reply:after-socket");
                Thread.sleep(300);
                assertThat(sink.any("after-engine")).isFalse();
                assertThat(sink.any("after-socket")).isFalse();

                // A second recording finds the agent in place and only reconnects it: one event per call, not two.
                assertThat(recordedOnce(client, comm, "engine", "again").any("after-engine")).isFalse();
                assertThat(client.request("socket", "last")).isEqualTo("ok last 200 reply:last");
            }
        }
    }

    /**
     * The channel of Java 8 to 15 (a FIFO), forced on the Java 17 and 25 at hand: both kinds of call
     * arrive with their ends, the FIFO is gone from the directory once the agent holds it, the
     * recording's end silences the hooks, and the next recording (a socket, as the JVM's version
     * asks) takes over the same agent.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theFifoChannelOfOlderJvmsCarriesEveryCallAndEndsWithTheRecording(Path jdk) throws Exception {
        JsseFixtures.requireJdk(jdk);
        String comm = comm(jdk, "fifo");
        try (JsseFixtures.Peer server = JsseFixtures.server(dir)) {
            int port = server.port();
            try (JsseFixtures.Peer client = JsseFixtures.client(dir, jdk, comm, port)) {
                fifoThenSocket(client, comm, port);
            }
        }
    }

    private static void fifoThenSocket(JsseFixtures.Peer client, String comm, int port) throws Exception {
        Collected sink = new Collected();
        List<String> warnings = new ArrayList<>();
        System.setProperty(JsseRecording.CHANNEL_PROPERTY, "fifo");
        try (UserSpaceSource probe = new JsseProbe().startUserSpace(ProbeOptions.defaults().withComm(comm), 5, sink,
                warnings::add)) {
            assertThat(warnings).isEmpty();
            Path jvmTmp = Path.of("/proc", Integer.toString(client.pid()), "root", "tmp");
            try (var entries = Files.list(jvmTmp)) {
                Path agentDirectory = entries.filter(p -> p.getFileName().toString().startsWith("bpfscope-jsse-"))
                        .findFirst().orElseThrow();
                try (var inside = Files.list(agentDirectory)) {
                    assertThat(inside.map(p -> p.getFileName().toString())).containsExactly("jsse-agent.jar");
                }
            }
            assertThat(client.request("engine", "fifo-engine")).isEqualTo("ok fifo-engine 200 reply:fifo-engine");
            assertThat(client.request("socket", "fifo-socket")).isEqualTo("ok fifo-socket 200 reply:fifo-socket");
            requestEvents(sink, client, "fifo-engine", "fifo-socket", port, 5);
            assertThat(probe.lost()).isZero();
        } finally {
            System.clearProperty(JsseRecording.CHANNEL_PROPERTY);
        }
        assertThat(client.request("engine", "fifo-after")).isEqualTo("ok fifo-after 200 reply:fifo-after");
        Thread.sleep(300);
        assertThat(sink.any("fifo-after")).isFalse();

        recordedOnce(client, comm, "socket", "fifo-then-socket");
        assertThat(client.request("engine", "fifo-last")).isEqualTo("ok fifo-last 200 reply:fifo-last");
    }

    /** A capture that stops reading: each offer waits until released. */
    static final class Stuck implements RecordSink {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public boolean offer(byte[] record) {
            offered.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }

        @Override
        public void notice(String text) {
        }
    }

    /**
     * A capture that stops reading never stalls the JVM: requests moving 15 MiB of plaintext all
     * finish while the channel is full, their events are dropped and counted in the JVM; and a
     * recording that ends while the agent's sender is blocked in its write frees it (the next
     * recording gets every call, once). Both channels, on Java 17.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fifo", "socket"})
    void aCaptureThatStopsReadingNeverStallsTheJvm(String channel) throws Exception {
        Path jdk = JsseFixtures.jdks().get(0);
        String comm = "jssestuck" + channel.charAt(0);
        ProbeOptions options = ProbeOptions.defaults().withComm(comm);
        try (JsseFixtures.Peer server = JsseFixtures.server(dir)) {
            int port = server.port();
            try (JsseFixtures.Peer client = JsseFixtures.client(dir, jdk, comm, port)) {
                System.setProperty(JsseRecording.CHANNEL_PROPERTY, channel);
                try {
                    Stuck stuck = new Stuck();
                    try (UserSpaceSource probe = new JsseProbe().startUserSpace(options, 1, stuck, text -> { })) {
                        assertThat(client.bench("engine", 60, "size/262144", Duration.ofSeconds(90)))
                                .startsWith("bench engine 60 ");
                        assertThat(stuck.offered.get()).isEqualTo(1);
                        stuck.release.countDown();
                        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                        while (probe.lost() == 0 && System.nanoTime() < deadline) {
                            Thread.sleep(100); // the counts come after what was queued before them
                        }
                        assertThat(probe.lost()).isPositive();
                    }

                    Stuck again = new Stuck();
                    try (UserSpaceSource probe = new JsseProbe().startUserSpace(options, 2, again, text -> { })) {
                        assertThat(client.bench("socket", 40, "size/262144", Duration.ofSeconds(90)))
                                .startsWith("bench socket 40 ");
                    } finally {
                        again.release.countDown();
                    }
                } finally {
                    System.clearProperty(JsseRecording.CHANNEL_PROPERTY);
                }
                assertThat(client.request("engine", "unstuck")).isEqualTo("ok unstuck 200 reply:unstuck");
                assertThat(recordedOnce(client, comm, "socket", "freed").any("unstuck")).isFalse();
            }
        }
    }

    /**
     * The FIFO believes only a hello with the token the real agent was given: an agent jar that
     * writes a well-formed hello with another token into the FIFO it was told of (what any other
     * writer of the FIFO could do) is refused, and the JVM runs on.
     */
    @org.junit.jupiter.api.Test
    void aFifoHelloWithoutTheAgentsTokenIsRefused() throws Exception {
        Path jdk = JsseFixtures.jdks().get(0);
        String comm = "jssefake17";
        try (JsseFixtures.Peer server = JsseFixtures.server(dir)) {
            int port = server.port();
            try (JsseFixtures.Peer client = JsseFixtures.client(dir, jdk, comm, port)) {
                JvmProcess jvm = JvmProcess.inspect(client.pid()).orElseThrow();
                Collected sink = new Collected();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentConnection.attach(jvm,
                                AgentConnection.ChannelKind.FIFO, impostorJar(), 1, 1024, sink))
                        .hasMessageContaining("did not know the token");
                assertThat(sink.events).isEmpty();
                assertThat(client.request("socket", "fake-after")).isEqualTo("ok fake-after 200 reply:fake-after");
                try (var entries = Files.list(jvm.root().resolve("tmp"))) {
                    assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("bpfscope-jsse-"));
                }
            }
        }
    }

    /** An agent jar whose agentmain writes a hello with a token of zeros, then an event, into the FIFO named in its arguments. */
    private static byte[] impostorJar() throws Exception {
        Path sources = Files.createDirectories(dir.resolve("impostor"));
        Files.writeString(sources.resolve("Impostor.java"), """
                import java.io.FileOutputStream;
                import java.nio.ByteBuffer;
                import java.nio.ByteOrder;
                public class Impostor {
                    public static void agentmain(String arguments, java.lang.instrument.Instrumentation unused) throws Exception {
                        String fifo = arguments.split("fifo=")[1].split(",")[0];
                        ByteBuffer frames = ByteBuffer.allocate(29 + 4 + 1 + 12 + 60 + 4).order(ByteOrder.LITTLE_ENDIAN);
                        frames.putInt(25).put((byte) 0).putInt((int) ProcessHandle.current().pid()).putInt(2).put(new byte[16]);
                        frames.putInt(1 + 12 + 64).put((byte) 1).putLong(System.nanoTime()).putInt(1);
                        frames.putLong(1).putLong(4).putInt(4).putShort((short) 3).put(new byte[6 + 32]).put("fake".getBytes());
                        try (FileOutputStream out = new FileOutputStream(fifo)) {
                            out.write(frames.array(), 0, frames.position());
                        }
                    }
                }
                """);
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", sources.toString(), sources.resolve("Impostor.java").toString())).isZero();
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Agent-Class", "Impostor");
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(jar, manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("Impostor.class"));
            out.write(Files.readAllBytes(sources.resolve("Impostor.class")));
        }
        return jar.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aJvmThatStartsWhileRecordingIsTracedWithThePayloadLimit(Path jdk) throws Exception {
        JsseFixtures.requireJdk(jdk);
        String comm = comm(jdk, "new");
        try (JsseFixtures.Peer server = JsseFixtures.server(dir)) {
            int port = server.port();
            Collected sink = new Collected();
            List<String> warnings = new ArrayList<>();
            ProbeOptions options = ProbeOptions.defaults().withComm(comm).withMaxPayload(64);
            try (UserSpaceSource probe = new JsseProbe().startUserSpace(options, 3, sink, warnings::add);
                 JsseFixtures.Peer client = JsseFixtures.client(dir, jdk, comm, port)) {
                assertThat(warnings).anyMatch(w -> w.contains("no JVM to trace yet"));
                // The watcher attaches a moment after the JVM is up; every request meanwhile must succeed too.
                long deadline = System.nanoTime() + WAIT.toNanos();
                int i = 0;
                while (!sink.any("GET /late-") && System.nanoTime() < deadline) {
                    i++;
                    assertThat(client.request("engine", "late-" + i)).isEqualTo("ok late-" + i + " 200 reply:late-" + i);
                    Thread.sleep(200);
                }
                assertThat(client.request("socket", "late-socket")).isEqualTo("ok late-socket 200 reply:late-socket");
                JsseEvent read = sink.await(call(JsseFunction.SOCKET_READ, "HTTP/1.1 200", client.pid()));
                assertThat(read.data()).hasSize(64);
                assertThat(read.payloadLength()).isGreaterThan(64);
                assertThat(read.truncated()).isTrue();
                assertThat(read.dport()).isEqualTo(port);
                long deadlineCounts = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (probe.truncated() == 0 && System.nanoTime() < deadlineCounts) {
                    Thread.sleep(100); // the agent sends its counts every second
                }
                assertThat(probe.truncated()).isPositive();
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aJvmThatRefusesAttachingIsReportedWithItsReasonAndTheOthersAreTraced() throws Exception {
        Path jdk = JsseFixtures.jdks().get(0);
        String comm = "jsseoff17";
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.copy(dir.resolve("cert.pem"), other.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (JsseFixtures.Peer server = JsseFixtures.server(dir)) {
            int port = server.port();
            try (JsseFixtures.Peer closed = JsseFixtures.client(dir, jdk, comm, port, List.of("-XX:+DisableAttachMechanism"));
                 JsseFixtures.Peer open = JsseFixtures.client(other, jdk, comm, port)) {
                Collected sink = new Collected();
                List<String> warnings = new ArrayList<>();
                try (UserSpaceSource probe = new JsseProbe().startUserSpace(ProbeOptions.defaults().withComm(comm), 1,
                        sink, warnings::add)) {
                    assertThat(warnings).containsExactly("jsse: pid " + closed.pid() + " (" + comm + ") not traced: attaching"
                            + " is disabled (-XX:+DisableAttachMechanism in its command line)");
                    assertThat(open.request("engine", "open-1")).isEqualTo("ok open-1 200 reply:open-1");
                    assertThat(closed.request("engine", "closed-1")).isEqualTo("ok closed-1 200 reply:closed-1");
                    sink.await(call(JsseFunction.ENGINE_UNWRAP, "reply:open-1", open.pid()));
                    Thread.sleep(300);
                    assertThat(sink.any("closed-1")).isFalse();
                }
                // It was never signalled: no attach listener socket, and it works on.
                assertThat(Path.of("/proc", Integer.toString(closed.pid()), "root", "tmp", ".java_pid" + closed.pid())).doesNotExist();
                assertThat(closed.request("socket", "closed-2")).isEqualTo("ok closed-2 200 reply:closed-2");
            }
        }
    }

    /**
     * A JVM as in a container: its own pid namespace (it is pid 1 there) and mount namespace with a
     * private /tmp. The agent goes into that /tmp through /proc/PID/root, the events carry the
     * host's pid and thread ids, and the directory is gone from the JVM's /tmp afterwards.
     */
    @org.junit.jupiter.api.Test
    void aJvmInItsOwnPidAndMountNamespaceIsTraced() throws Exception {
        Path jdk = JsseFixtures.jdks().get(0);
        String comm = "jssens17";
        try (JsseFixtures.Peer server = JsseFixtures.server(dir)) {
            int port = server.port();
            String inside = "exec 3< \"$1\"; mount -t tmpfs none /tmp && cat <&3 > /tmp/JsseClient.java"
                    + " && ln -s \"$2\" /tmp/" + comm + " && cd /tmp && exec /tmp/" + comm + " JsseClient.java \"$3\"";
            try (JsseFixtures.Peer client = JsseFixtures.Peer.start(List.of("unshare", "--mount", "--propagation", "private",
                    "--pid", "--fork", "--mount-proc", "sh", "-c", inside, "sh", JsseFixtures.clientSource(dir).toString(),
                    jdk.resolve("bin/java").toString(), Integer.toString(port)), dir)) {
                assertThat(client.awaitLine(line -> line.startsWith("ready "), Duration.ofSeconds(60))).isEqualTo("ready 1");
                int hostPid = (int) ProcessHandle.of(client.pid()).orElseThrow().descendants()
                        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst()
                        .orElseThrow().pid();
                Collected sink = new Collected();
                List<String> warnings = new ArrayList<>();
                try (UserSpaceSource probe = new JsseProbe().startUserSpace(ProbeOptions.defaults().withComm(comm), 1,
                        sink, warnings::add)) {
                    assertThat(warnings).isEmpty();
                    assertThat(Path.of("/proc", Integer.toString(hostPid), "root", "tmp")).isDirectoryContaining(
                            path -> path.getFileName().toString().startsWith("bpfscope-jsse-"));
                    assertThat(client.request("socket", "inside-1")).isEqualTo("ok inside-1 200 reply:inside-1");
                    JsseEvent read = sink.await(call(JsseFunction.SOCKET_READ, "reply:inside-1", hostPid));
                    assertThat(read.header().tid()).isNotEqualTo(1);
                    assertThat(Path.of("/proc", Integer.toString(hostPid), "task", Integer.toString(read.header().tid())))
                            .exists();
                }
                assertThat(Path.of("/proc", Integer.toString(hostPid), "root", "tmp")).isDirectoryNotContaining(
                        path -> path.getFileName().toString().startsWith("bpfscope-jsse-"));
                assertThat(client.request("engine", "inside-2")).isEqualTo("ok inside-2 200 reply:inside-2");
            }
        }
    }
}
