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

    /**
     * One measured figure: wall time per request of the best round, and the client JVM's CPU time
     * (all its threads, from /proc) per request over all rounds.
     */
    public record Figure(String what, double microsPerRequest, double cpuMicrosPerRequest) {
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
        Path clientSource = copy("JsseClient.java");
        List<Figure> figures = new ArrayList<>();
        Process serverProcess = new ProcessBuilder("python3", server.toString(), dir.resolve("cert.pem").toString(),
                dir.resolve("key.pem").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Client plain = null;
        Client traced = null;
        try {
            int port = Integer.parseInt(reader(serverProcess).readLine().substring(5).strip());
            // Two JVMs, one never traced: rounds alternate between them, so load from elsewhere on the
            // machine hits both alike, and each figure is the best round (the least disturbed).
            plain = new Client(jdk, clientSource, port);
            traced = new Client(jdk, clientSource, port);
            for (Client client : List.of(plain, traced)) {
                for (String kind : KINDS) {
                    client.perRequest(kind, requests); // warm-up: JIT, connections
                }
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
                session.attach(new CaptureSession.Request(jsse, ProbeOptions.defaults().withPid(traced.pid())));
                for (String kind : KINDS) {
                    traced.perRequest(kind, requests); // warm-up again: the hooked methods are compiled anew
                }
                figures.addAll(compare(plain, traced, "agent recording"));
            }
            if (records.get() < 2L * (ROUNDS + 1) * KINDS.size() * requests) {
                throw new IOException("the agent recorded " + records.get() + " events: expected at least 2 per request");
            }
            figures.addAll(compare(plain, traced, "agent loaded, recording stopped"));
        } finally {
            for (Client client : java.util.Arrays.asList(plain, traced)) {
                if (client != null) {
                    client.close();
                }
            }
            serverProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return figures;
    }

    private static final List<String> KINDS = List.of("engine", "socket");
    private static final int ROUNDS = 5;

    /** Per kind: the untraced JVM's and the traced JVM's best round, in µs per request. */
    private List<Figure> compare(Client plain, Client traced, String state) throws IOException {
        List<Figure> figures = new ArrayList<>();
        for (String kind : KINDS) {
            double bestPlain = Double.MAX_VALUE;
            double bestTraced = Double.MAX_VALUE;
            long cpuPlain = 0;
            long cpuTraced = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long before = plain.cpuNanos();
                bestPlain = Math.min(bestPlain, plain.perRequest(kind, requests));
                cpuPlain += plain.cpuNanos() - before;
                before = traced.cpuNanos();
                bestTraced = Math.min(bestTraced, traced.perRequest(kind, requests));
                cpuTraced += traced.cpuNanos() - before;
            }
            double perRequest = 1000.0 * ROUNDS * requests;
            figures.add(new Figure(label(kind) + ", no agent", bestPlain, cpuPlain / perRequest));
            figures.add(new Figure(label(kind) + ", " + state, bestTraced, cpuTraced / perRequest));
        }
        return figures;
    }

    /** A client JVM taking bench commands. */
    private static final class Client implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;

        Client(Path jdk, Path source, int port) throws IOException {
            process = new ProcessBuilder(jdk.resolve("bin/java").toString(), source.toString(), Integer.toString(port))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            out = reader(process);
            out.readLine(); // ready
        }

        int pid() {
            return (int) process.pid();
        }

        /** User and system CPU of every thread so far: fields 14 and 15 of /proc/PID/stat, in 10 ms ticks. */
        long cpuNanos() throws IOException {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        }

        /** Microseconds per request of {@code n} in a row. */
        double perRequest(String kind, int n) throws IOException {
            process.getOutputStream().write(("bench " + kind + " " + n + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
            String line = out.readLine();
            if (line == null || !line.startsWith("bench ")) {
                throw new IOException("the client said: " + line);
            }
            return Long.parseLong(line.split(" ")[3]) / 1000.0 / n;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String label(String kind) {
        return kind.equals("engine") ? "HttpClient (SSLEngine)" : "HttpsURLConnection (SSLSocket)";
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
