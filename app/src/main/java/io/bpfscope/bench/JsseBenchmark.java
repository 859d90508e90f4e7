package io.bpfscope.bench;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.live.CaptureSession;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jsse probe's cost per request: a JVM (the JDK's HttpClient, then HttpsURLConnection) makes
 * HTTPS requests in a row to a Python server on loopback, without the agent, with it recording, and
 * after the recording (the agent still loaded, its hooks silent). Needs root, python3 and openssl.
 */
public final class JsseBenchmark {
    private static final String PEERS = "/io/bpfscope/probes/jsse/peers/";

    /** One measured figure. */
    public record Figure(String what, double microsPerRequest) {
    }

    private final Path jdk;
    private final int requests;
    private final Path dir;

    public JsseBenchmark(Path jdk, int requests, Path dir) {
        this.jdk = jdk;
        this.requests = requests;
        this.dir = dir;
    }

    public List<Figure> run() throws Exception {
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", dir.resolve("key.pem").toString(),
                "-out", dir.resolve("cert.pem").toString()));
        Path server = copy("https_server.py");
        Path client = copy("JsseClient.java");
        List<Figure> figures = new ArrayList<>();
        Process serverProcess = new ProcessBuilder("python3", server.toString(), dir.resolve("cert.pem").toString(),
                dir.resolve("key.pem").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Process clientProcess = null;
        try {
            BufferedReader serverOut = reader(serverProcess);
            int port = Integer.parseInt(serverOut.readLine().substring(5).strip());
            clientProcess = new ProcessBuilder(jdk.resolve("bin/java").toString(), client.toString(),
                    Integer.toString(port)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader clientOut = reader(clientProcess);
            clientOut.readLine(); // ready
            for (String kind : List.of("engine", "socket")) {
                measure(clientProcess, clientOut, kind, requests); // warm-up: JIT, connections
            }
            for (String kind : List.of("engine", "socket")) {
                figures.add(new Figure(label(kind) + ", no agent", measure(clientProcess, clientOut, kind, requests)));
            }
            AtomicLong records = new AtomicLong();
            Probe jsse = ProbeCatalog.find("jsse").orElseThrow();
            try (CaptureSession session = CaptureSession.start(CaptureSession.DEFAULT_RING_BYTES,
                    new CaptureSession.Listener() {
                        @Override
                        public void onBatch(RecordBatch batch) {
                            records.addAndGet(batch.count());
                        }
                    })) {
                session.attach(new CaptureSession.Request(jsse,
                        ProbeOptions.defaults().withPid((int) clientProcess.pid())));
                for (String kind : List.of("engine", "socket")) {
                    figures.add(new Figure(label(kind) + ", agent recording",
                            measure(clientProcess, clientOut, kind, requests)));
                }
            }
            if (records.get() < 4L * requests) {
                throw new IOException("the agent recorded " + records.get() + " events for " + 2 * requests
                        + " requests: expected at least 2 per request");
            }
            for (String kind : List.of("engine", "socket")) {
                figures.add(new Figure(label(kind) + ", agent loaded, recording stopped",
                        measure(clientProcess, clientOut, kind, requests)));
            }
        } finally {
            if (clientProcess != null) {
                clientProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            serverProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return figures;
    }

    private static String label(String kind) {
        return kind.equals("engine") ? "HttpClient (SSLEngine)" : "HttpsURLConnection (SSLSocket)";
    }

    /** Microseconds per request of {@code n} in a row. */
    private static double measure(Process client, BufferedReader out, String kind, int n) throws IOException {
        client.getOutputStream().write(("bench " + kind + " " + n + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        String line = out.readLine();
        if (line == null || !line.startsWith("bench ")) {
            throw new IOException("the client said: " + line);
        }
        return Long.parseLong(line.split(" ")[3]) / 1000.0 / n;
    }

    private Path copy(String resource) throws IOException {
        Path target = dir.resolve(resource);
        try (InputStream in = JsseBenchmark.class.getResourceAsStream(PEERS + resource)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
