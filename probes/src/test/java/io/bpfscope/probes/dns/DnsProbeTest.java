package io.bpfscope.probes.dns;

import io.bpfscope.probes.EventKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real lookups by Python processes (libc's resolver, via socket and ctypes) and real DNS datagrams on port 53. */
@Tag("bpf")
class DnsProbeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final String GETADDRINFO = """
            import socket, sys
            try:
                seen = []
                for family, _, _, _, addr in socket.getaddrinfo(sys.argv[1], None):
                    text = ("AAAA " if family == socket.AF_INET6 else "A ") + addr[0]
                    if text not in seen:
                        seen.append(text)
                print("ok", *seen)
            except socket.gaierror as e:
                print("error", e.errno)
            """;

    @Test
    @RequiresBpf
    void getaddrinfoOfANameNobodyHasFailsWithItsCode(@TempDir Path dir) throws Exception {
        String name = "nonexistent-" + UUID.randomUUID() + ".invalid";
        try (ProbeHarness probe = ProbeHarness.attach(DnsProbe.PROBE, ProbeOptions.defaults())) {
            assertThat(probe.loaded().warnings()).noneMatch(w -> w.contains("libc"));
            List<String> out = python(dir, GETADDRINFO, name);
            assertThat(out.get(0)).startsWith("error ");
            int code = Integer.parseInt(out.get(0).substring("error ".length()));

            DnsEvent e = one(probe, x -> x.source() == DnsEvent.Source.GETADDRINFO && x.query().equals(name));
            assertThat(e.header().comm()).isEqualTo("python3");
            assertThat(e.ppid()).isEqualTo((int) ProcessHandle.current().pid());
            assertThat(jvmThreadNames()).contains(e.parentComm());
            assertThat(e.rc()).isEqualTo(code).isNegative();
            assertThat(e.failed()).isTrue();
            assertThat(e.error()).isEqualTo(DnsEvent.eaiName(code)).startsWith("EAI_");
            assertThat(e.fields()).containsEntry("error", e.error()).containsEntry("qtype", "A/AAAA");
            assertThat(e.answers()).isEmpty();
            assertThat(e.latencyNanos()).isPositive();
            assertThat(e.summary()).startsWith("getaddrinfo " + name + " → EAI_");
        }
    }

    @Test
    @RequiresBpf
    void getaddrinfoOfLocalhostAnswersWhatTheCallerGot(@TempDir Path dir) throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(DnsProbe.PROBE, ProbeOptions.defaults())) {
            List<String> out = python(dir, GETADDRINFO, "localhost");
            assertThat(out.get(0)).startsWith("ok ");
            List<String> answers = Arrays.asList(out.get(0).substring(3).split(" (?=A)"));
            int pid = Integer.parseInt(out.get(1));

            DnsEvent e = one(probe, x -> x.source() == DnsEvent.Source.GETADDRINFO && x.header().pid() == pid);
            assertThat(e.query()).isEqualTo("localhost");
            assertThat(e.rc()).isZero();
            assertThat(e.failed()).isFalse();
            assertThat(e.answers()).contains("A 127.0.0.1");
            assertThat(e.answers()).containsExactlyElementsOf(answers.subList(0, Math.min(4, answers.size())));
            assertThat(e.summary()).contains("localhost → ").contains("127.0.0.1");
        }
    }

    private static final String GETHOSTBYNAME = """
            import ctypes, sys
            libc = ctypes.CDLL("libc.so.6")
            libc.gethostbyname.restype = ctypes.c_void_p
            libc.gethostbyname2.restype = ctypes.c_void_p
            good, bad = sys.argv[1].encode(), sys.argv[2].encode()
            assert libc.gethostbyname(good)
            assert libc.gethostbyname2(good, 2)
            ret, buf = ctypes.create_string_buffer(64), ctypes.create_string_buffer(8192)
            result, herr = ctypes.c_void_p(), ctypes.c_int()
            assert libc.gethostbyname_r(good, ret, buf, 8192, ctypes.byref(result), ctypes.byref(herr)) == 0
            assert result.value
            rc = libc.gethostbyname2_r(bad, 2, ret, buf, 8192, ctypes.byref(result), ctypes.byref(herr))
            print(rc, herr.value, result.value is None)
            """;

    @Test
    @RequiresBpf
    void gethostbynameFamilyOneEventPerCallWithHerrno(@TempDir Path dir) throws Exception {
        String bad = "nonexistent-" + UUID.randomUUID() + ".invalid";
        try (ProbeHarness probe = ProbeHarness.attach(DnsProbe.PROBE, ProbeOptions.defaults())) {
            List<String> out = python(dir, GETHOSTBYNAME, "localhost", bad);
            String[] result = out.get(0).split(" ");
            int pid = Integer.parseInt(out.get(1));
            assertThat(result[2]).isEqualTo("True"); // not found
            int herrno = Integer.parseInt(result[1]);

            List<DnsEvent> events = probe.await(DnsEvent.class,
                    x -> x.header().pid() == pid && x.source() != DnsEvent.Source.UDP, 5, Duration.ofSeconds(3));
            // Each libc call is one event: gethostbyname runs gethostbyname_r inside, which is not reported twice.
            assertThat(events).extracting(DnsEvent::source).containsExactly(
                    DnsEvent.Source.GETHOSTBYNAME, DnsEvent.Source.GETHOSTBYNAME2,
                    DnsEvent.Source.GETHOSTBYNAME_R, DnsEvent.Source.GETHOSTBYNAME2_R);
            for (DnsEvent ok : events.subList(0, 3)) {
                assertThat(ok.query()).isEqualTo("localhost");
                assertThat(ok.qtype()).isEqualTo("A");
                assertThat(ok.answers()).contains("A 127.0.0.1");
                assertThat(ok.failed()).as(ok.summary()).isFalse();
            }
            DnsEvent failed = events.get(3);
            assertThat(failed.query()).isEqualTo(bad);
            assertThat(failed.herrno()).isEqualTo(herrno).isNotZero(); // read through the 7th, stack-passed argument
            assertThat(failed.failed()).isTrue();
            assertThat(failed.error()).isEqualTo(DnsEvent.herrnoName(herrno));
            assertThat(failed.answers()).isEmpty();
        }
    }

    private static final String UDP_CLIENT = """
            import os, socket, struct, sys
            server, name = sys.argv[1], sys.argv[2]
            qname = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\\0"
            def query(qid):
                return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", 1, 1)
            c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            c.connect((server, 53))
            os.write(c.fileno(), query(0x4242))              # write(2) on a connected socket
            os.read(c.fileno(), 4096)                         # read(2)
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.sendto(query(0x4343), (server, 53))             # sendto(2) with the address
            u.recvfrom(4096)                                  # recvfrom(2)
            print(c.getsockname()[1], u.getsockname()[1])
            """;

    @Test
    @RequiresBpf
    void dnsOverUdpBothWaysWithTheMessageDecoded(@TempDir Path dir) throws Exception {
        String name = "q-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String server = "127.0.0.2";
        try (ProbeHarness probe = ProbeHarness.attach(DnsProbe.PROBE, ProbeOptions.defaults());
             DatagramSocket responder = new DatagramSocket(new InetSocketAddress(server, 53))) {
            responder.setSoTimeout(15_000);
            Thread answering = new Thread(() -> answer(responder, 2));
            answering.start();
            List<String> out = python(dir, UDP_CLIENT, server, name);
            answering.join(15_000);
            int pid = Integer.parseInt(out.get(1));
            String[] ports = out.get(0).split(" ");

            DnsEvent query = one(probe, x -> x.header().pid() == pid && x.direction() == DnsEvent.Direction.SEND
                    && x.parsed().id() == 0x4242);
            assertThat(query.source()).isEqualTo(DnsEvent.Source.UDP);
            assertThat(query.syscall()).isEqualTo("write");
            assertThat(query.server()).hasToString(server + ":53");
            assertThat(query.client()).hasToString("127.0.0.1:" + ports[0]);
            assertThat(query.query()).isEqualTo(name);
            assertThat(query.qtype()).isEqualTo("A");
            assertThat(query.parsed().response()).isFalse();
            assertThat(query.parsed().complete()).as(query.parsed().error()).isTrue();
            assertThat(query.fields()).containsEntry("qr", "query").containsEntry("id", 0x4242)
                    .containsEntry("server", server + ":53").doesNotContainKey("rcode");
            assertThat(query.payload().bytes()).hasSize((int) query.messageLength());
            assertThat(query.payload().truncated()).isFalse();

            DnsEvent response = one(probe, x -> x.header().pid() == pid && x.direction() == DnsEvent.Direction.RECV
                    && x.parsed().id() == 0x4242);
            assertThat(response.syscall()).isEqualTo("read");
            assertThat(response.parsed().response()).isTrue();
            assertThat(response.fields()).containsEntry("rcode", "NOERROR").containsEntry("qr", "response");
            assertThat(response.query()).isEqualTo(name);
            assertThat(response.answers()).containsExactly("CNAME alias.test ttl=60", "A 10.1.2.3 ttl=300");
            assertThat(response.server()).hasToString(server + ":53");
            assertThat(response.summary()).isEqualTo("recv response NOERROR A " + name + " from " + server
                    + ":53: CNAME alias.test ttl=60, A 10.1.2.3 ttl=300");

            DnsEvent sendto = one(probe, x -> x.header().pid() == pid && x.direction() == DnsEvent.Direction.SEND
                    && x.parsed().id() == 0x4343);
            assertThat(sendto.syscall()).isEqualTo("sendto");
            assertThat(sendto.server()).hasToString(server + ":53");
            DnsEvent recvfrom = one(probe, x -> x.header().pid() == pid && x.direction() == DnsEvent.Direction.RECV
                    && x.parsed().id() == 0x4343);
            assertThat(recvfrom.syscall()).isEqualTo("recvfrom");
            assertThat(recvfrom.server()).hasToString(server + ":53");
            assertThat(recvfrom.client()).hasToString("0.0.0.0:" + ports[1]); // bound to any address

            // The responder's side: this JVM, on port 53.
            int self = (int) ProcessHandle.current().pid();
            DnsEvent served = one(probe, x -> x.header().pid() == self && x.direction() == DnsEvent.Direction.RECV
                    && x.parsed().id() == 0x4242);
            assertThat(served.server()).hasToString(server + ":53");
            assertThat(served.client()).hasToString("127.0.0.1:" + ports[0]);
            assertThat(served.query()).isEqualTo(name);
        }
    }

    /** A tiny DNS server: answers each query with a CNAME and an A record, the names compressed. */
    private static void answer(DatagramSocket socket, int queries) {
        try {
            for (int i = 0; i < queries; i++) {
                DatagramPacket packet = new DatagramPacket(new byte[512], 512);
                socket.receive(packet);
                byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
                ByteArrayOutputStream reply = new ByteArrayOutputStream();
                reply.write(query, 0, 2);                                   // id
                reply.writeBytes(new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 0});
                reply.write(query, 12, query.length - 12);                  // the question
                int cnameData = reply.size() + 12;
                reply.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 12});
                reply.writeBytes(new byte[] {5, 'a', 'l', 'i', 'a', 's', 4, 't', 'e', 's', 't', 0});
                reply.writeBytes(new byte[] {(byte) 0xc0, (byte) cnameData, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 10, 1, 2, 3});
                byte[] bytes = reply.toByteArray();
                socket.send(new DatagramPacket(bytes, bytes.length, packet.getSocketAddress()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DnsEvent one(ProbeHarness probe, Predicate<DnsEvent> match) throws Exception {
        List<DnsEvent> events = probe.await(DnsEvent.class, match, 1, WAIT);
        assertThat(events).as("a matching dns event among %d seen", probe.seen().size()).hasSize(1);
        return events.get(0);
    }

    private static Set<String> jvmThreadNames() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip();
                } catch (IOException e) {
                    return "";
                }
            }).collect(Collectors.toSet());
        }
    }

    /** Runs a script; returns its stdout lines followed by its pid. */
    private static List<String> python(Path dir, String script, String... args) throws Exception {
        Path file = dir.resolve("script.py");
        Files.writeString(file, script);
        List<String> command = new ArrayList<>();
        command.add(Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        command.add(file.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isZero();
        List<String> lines = new ArrayList<>(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines().toList());
        lines.add(String.valueOf(process.pid()));
        return lines;
    }

    @Test
    void isInTheCatalog() {
        assertThat(ProbeCatalog.find("dns")).containsSame(DnsProbe.PROBE);
        assertThat(ProbeCatalog.byKind(EventKind.DNS)).containsSame(DnsProbe.PROBE);
    }
}
