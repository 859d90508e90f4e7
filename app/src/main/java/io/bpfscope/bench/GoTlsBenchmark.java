package io.bpfscope.bench;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.live.CaptureSession;
import io.bpfscope.capture.live.Recorder;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Go HTTPS client's request rate against a Go HTTPS server on loopback (both
 * {@code gotls_bench.go}, built here with the host's {@code go}), without the tls
 * probe and then with it attached as {@code record -p tls} does (every process,
 * the capture written to a file): what the entry and RET uprobes on
 * crypto/tls cost a busy Go program. Both ends are Go, so both are traced.
 */
public final class GoTlsBenchmark {
    /** One run's figures. */
    public record Result(String run, long requests, long failed, int seconds, long events, long lost) {
        public double requestsPerSecond() {
            return (double) requests / seconds;
        }
    }

    private static final List<String> GO = List.of("/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go");
    /** Before measuring, the client waits this long: the probe finds it by its exec meanwhile. */
    private static final int CLIENT_DELAY_MS = 1000;

    private final Path dir;
    private final Path program;
    private final int seconds;
    private final int workers;

    /** Builds the benchmark's Go program in {@code dir} (about a second with Debian's precompiled standard library). */
    public GoTlsBenchmark(Path dir, int seconds, int workers) throws IOException, InterruptedException {
        this.dir = dir;
        this.seconds = seconds;
        this.workers = workers;
        Path source = dir.resolve("gotls_bench.go");
        try (InputStream in = GoTlsBenchmark.class.getResourceAsStream("gotls_bench.go")) {
            Files.write(source, in.readAllBytes());
        }
        this.program = dir.resolve("gotls_bench");
        ProcessBuilder build = new ProcessBuilder(go().orElseThrow(), "build", "-o", program.toString(), source.toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        build.environment().put("GOCACHE", dir.resolve("gocache").toString());
        build.environment().put("GO111MODULE", "off");
        build.environment().put("GOTOOLCHAIN", "local");
        Process p = build.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("go build failed: " + output.strip());
        }
    }

    /** Builds the program in a temporary directory, runs both, and returns the figures as text. */
    public static String report(int seconds) throws Exception {
        int workers = 4;
        Path dir = Files.createTempDirectory("bpfscope-gotls");
        try {
            GoTlsBenchmark bench = new GoTlsBenchmark(dir, seconds, workers);
            StringBuilder out = new StringBuilder(String.format("gotls: a Go HTTPS client, %d goroutines on kept-alive"
                    + " connections, against a Go server on loopback, %d s per run%n", workers, seconds));
            Result without = bench.withoutProbe();
            Result with = bench.withProbe();
            for (Result r : List.of(without, with)) {
                out.append(String.format("  %-20s %,10d requests %,10.0f requests/s %,5d failed %,10d events %,6d lost%n",
                        r.run(), r.requests(), r.requestsPerSecond(), r.failed(), r.events(), r.lost()));
            }
            out.append(String.format("  with the probe: %.0f%% of the rate without%n",
                    100 * with.requestsPerSecond() / without.requestsPerSecond()));
            return out.toString();
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The host's {@code go} command, if golang-go is installed. */
    public static Optional<String> go() {
        return GO.stream().filter(g -> Files.isExecutable(Path.of(g))).findFirst();
    }

    public Result withoutProbe() throws IOException, InterruptedException {
        try (Server server = new Server()) {
            long[] counts = runClient(server.port);
            return new Result("no probe", counts[0], counts[1], seconds, 0, 0);
        }
    }

    public Result withProbe() throws Exception {
        Path file = dir.resolve("gotls.bscap");
        Recorder recorder = new Recorder(index -> new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 0, 0, () -> { });
        try (Server server = new Server(); CaptureSession session = CaptureSession.start(CaptureSession.DEFAULT_RING_BYTES, recorder)) {
            var probe = session.attach(new CaptureSession.Request(ProbeCatalog.find("tls").orElseThrow(), ProbeOptions.defaults()));
            recorder.begin(new CaptureHeader("bscap", 1, "bench", "bench", "bench", 0, 0, session.ringBytes(),
                    List.of(CaptureHeader.ProbeEntry.of(probe.source(), probe.probe(), "", List.of()))), session::counters, null);
            long[] counts = runClient(server.port);
            Thread.sleep(500); // the last events drain
            CaptureCounters counters = session.counters(recorder.events());
            session.close();
            recorder.finish(counters);
            return new Result("tls probe attached", counts[0], counts[1], seconds, recorder.events(), counters.lost());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Requests and failures the client counted over its measured seconds. */
    private long[] runClient(int port) throws IOException, InterruptedException {
        Process client = new ProcessBuilder(program.toString(), "client", "https://127.0.0.1:" + port + "/",
                Integer.toString(CLIENT_DELAY_MS), Integer.toString(seconds), Integer.toString(workers))
                .redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!client.waitFor(seconds + 60L, TimeUnit.SECONDS) || client.exitValue() != 0 || !output.startsWith("requests ")) {
            client.destroyForcibly();
            throw new IOException("the Go client failed: " + output);
        }
        String[] words = output.split("\\s+");
        return new long[] {Long.parseLong(words[1]), Long.parseLong(words[3])};
    }

    /** The Go HTTPS server, listening once constructed; closing kills it. */
    private final class Server implements AutoCloseable {
        private final Process process;
        private final int port;

        Server() throws IOException {
            process = new ProcessBuilder(program.toString(), "server").redirectErrorStream(true).start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null || !line.startsWith("port ")) {
                process.destroyForcibly();
                throw new IOException("the Go server did not start: " + line);
            }
            port = Integer.parseInt(line.substring(5).strip());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
