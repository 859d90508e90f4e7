package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record -p jsse} as a user runs it, with a Java 17 client (HttpClient and HttpsURLConnection)
 * talking to a Python HTTPS server: the capture's jsse events go through filters, {@code follow} and
 * the pcapng export (which tshark dissects as HTTP) like tls events. The client runs under a command
 * name of its own, and the recording is filtered by it: no other JVM on the machine is touched.
 */
@RequiresBpf("attaching an agent to a JVM needs root")
class JsseRecordTest {
    private static final String PEERS = "/io/bpfscope/probes/jsse/peers/";
    private static final String COMM = "jsserec17";

    @TempDir
    Path dir;

    /** With the channel the JVM's version picks (a socket, Java 17) and with the FIFO of Java 8 to 15 forced. */
    @ParameterizedTest(name = "channel {0}")
    @ValueSource(strings = {"", "fifo"})
    void aRecordingOfAJavaClientFiltersFollowsAndExportsAsHttp(String channel) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        Process server = new ProcessBuilder("python3", copy("https_server.py").toString(), dir.resolve("cert.pem").toString(),
                dir.resolve("key.pem").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path java = Files.createSymbolicLink(dir.resolve(COMM), Path.of(System.getProperty("java.home"), "bin", "java"));
        Process client = null;
        try {
            BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String port = serverOut.readLine().substring(5).strip();
            client = new ProcessBuilder(java.toString(), copy("JsseClient.java").toString(), port)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader clientOut = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertThat(clientOut.readLine()).startsWith("ready ");

            Path capture = dir.resolve("java.bscap");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream originalErr = System.err;
            System.setErr(new PrintStream(err, true));
            System.setProperty("bpfscope.jsse.channel", channel);
            try {
                // It ends with the 12th event (6 requests, a write and a read each), not after a fixed time: on a
                // loaded machine the first requests after the attach can take seconds.
                CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() -> Main.run("record", "-p", "jsse",
                        "--comm", COMM, "--count", "12", "--duration", "120s", "-o", capture.toString()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!err.toString().contains("recording") && !recording.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                for (int i = 1; i <= 3; i++) {
                    for (String kind : List.of("engine", "socket")) {
                        String name = "rec-" + kind + i;
                        client.getOutputStream().write((kind + " " + name + "\n").getBytes(StandardCharsets.UTF_8));
                        client.getOutputStream().flush();
                        assertThat(clientOut.readLine()).isEqualTo("ok " + name + " 200 reply:" + name);
                    }
                }
                assertThat(recording.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
            } finally {
                System.clearProperty("bpfscope.jsse.channel");
                System.setErr(originalErr);
            }
            assertThat(err.toString()).doesNotContain("not traced");

            // A filter on the tls fields.
            Path reads = dir.resolve("reads.jsonl");
            assertThat(Main.run("export", capture.toString(), "-f", "jsonl", "-Y",
                    "probe == jsse && direction == \"read\" && library == \"jsse\" && dport == " + port
                            + " && payload contains \"reply:rec-\"", "-o", reads.toString())).isZero();
            long pid = client.pid();
            assertThat(Files.readAllLines(reads)).as(err.toString()).hasSize(6)
                    .allMatch(line -> line.contains("\"comm\":\"" + COMM + "\"") && line.contains("\"pid\":" + pid))
                    .anyMatch(line -> line.contains("\"function\":\"SSLEngine.unwrap\""))
                    .anyMatch(line -> line.contains("\"function\":\"SSLSocket.read\""));

            // follow: two conversations (the engine's, the socket's), both directions each.
            String conversations = stdout("follow", capture.toString());
            assertThat(conversations).contains("jsse/" + pid + "/0x1").contains("jsse/" + pid + "/0x2")
                    .contains("? -> 127.0.0.1:" + port);
            String stream = stdout("follow", capture.toString(), "--stream", "jsse/" + pid + "/0x2");
            assertThat(stream).contains("GET /rec-socket1 HTTP/1.1").contains("reply:rec-socket3");

            // pcapng: the plaintext as HTTP.
            Path pcapng = dir.resolve("java.pcapng");
            assertThat(Main.run("export", capture.toString(), "-f", "pcapng", "-o", pcapng.toString())).isZero();
            Process tshark = new ProcessBuilder("tshark", "-r", pcapng.toString(), "-Y", "http.request", "-T", "fields",
                    "-e", "http.request.uri").redirectErrorStream(true).start();
            String uris = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(tshark.waitFor()).isZero();
            assertThat(uris).contains("/rec-engine1", "/rec-socket2", "/rec-engine3");

            // ... between the real ends where the agent knew them: a socket's both, an engine's peer (its
            // own end made up, 127.0.0.2).
            Path socketWrites = dir.resolve("socket-writes.jsonl");
            assertThat(Main.run("export", capture.toString(), "-f", "jsonl", "-Y", "function == \"SSLSocket.write\"",
                    "-o", socketWrites.toString())).isZero();
            Set<String> socketPorts = new HashSet<>();
            for (String line : Files.readAllLines(socketWrites)) {
                Matcher sport = Pattern.compile("\"sport\":(\\d+)").matcher(line);
                assertThat(sport.find()).as(line).isTrue();
                socketPorts.add(sport.group(1));
            }
            assertThat(socketPorts).isNotEmpty().doesNotContain(port);
            Process ends = new ProcessBuilder("tshark", "-r", pcapng.toString(), "-Y", "http.request", "-T", "fields",
                    "-e", "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "tcp.dstport", "-e", "http.request.uri")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> requests = new String(ends.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(ends.waitFor()).isZero();
            assertThat(requests).hasSize(6);
            Set<String> seenSocketPorts = new HashSet<>();
            for (String request : requests) {
                String[] f = request.split("\t");
                assertThat(f[2] + ":" + f[3]).as(request).isEqualTo("127.0.0.1:" + port);
                if (f[4].startsWith("/rec-socket")) {
                    assertThat(f[0]).as(request).isEqualTo("127.0.0.1");
                    seenSocketPorts.add(f[1]);
                } else {
                    assertThat(f[0]).as(request).isEqualTo("127.0.0.2");
                }
            }
            assertThat(seenSocketPorts).isEqualTo(socketPorts);
        } finally {
            if (client != null) {
                client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Path copy(String resource) throws Exception {
        Path target = dir.resolve(resource);
        try (InputStream in = JsseRecordTest.class.getResourceAsStream(PEERS + resource)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    private static String stdout(String... arguments) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            assertThat(Main.run(arguments)).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
