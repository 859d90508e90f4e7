package io.bpfscope.probes.jsse;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Real peers for the jsse tests: an HTTPS server of another stack (Python's http.server over its
 * ssl module, i.e. OpenSSL) on loopback, and {@code JsseClient.java} run by a given JDK under a
 * command name of the test's own (a link to that JDK's {@code java}), so the probe, filtered by
 * that name, touches no other JVM on the machine.
 */
final class JsseFixtures {
    /** The client and the server, main resources: the bench command runs them too. */
    static final String PEERS = "/io/bpfscope/probes/jsse/peers/";

    private JsseFixtures() {
    }

    /** The JDKs the tests run clients on: Java 17 and the Temurin 25 of this machine. */
    static List<Path> jdks() {
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (!Files.isExecutable(jdk17.resolve("bin/java"))) {
            jdk17 = Path.of(System.getProperty("java.home")); // the build's own JDK is 17
        }
        return List.of(jdk17, jdk25);
    }

    /** Skips a JDK that is missing, except under CI=true, where that fails. */
    static void requireJdk(Path jdk) {
        boolean present = Files.isExecutable(jdk.resolve("bin/java"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true: no JDK at " + jdk);
        }
        assumeTrue(present, "no JDK at " + jdk);
    }

    /** A self-signed certificate for 127.0.0.1 (the JDK's HttpClient checks the address against it). */
    static void certificate(Path dir) throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (openssl.waitFor() != 0) {
            throw new AssertionError("openssl req failed: " + out);
        }
    }

    static Peer server(Path dir) throws IOException, InterruptedException {
        Path script = dir.resolve("https_server.py");
        try (InputStream in = JsseFixtures.class.getResourceAsStream(PEERS + "https_server.py")) {
            Files.write(script, in.readAllBytes());
        }
        return Peer.start(List.of("python3", script.toString(), dir.resolve("cert.pem").toString(),
                dir.resolve("key.pem").toString()), dir);
    }

    /** Starts the client on {@code jdk} as command {@code comm}; returns once it is ready for requests. */
    static Peer client(Path dir, Path jdk, String comm, int port) throws IOException, InterruptedException {
        return client(dir, jdk, comm, port, List.of());
    }

    /** As above, with options for the client's JVM. */
    static Peer client(Path dir, Path jdk, String comm, int port, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path source = clientSource(dir);
        Path java = dir.resolve(comm);
        Files.deleteIfExists(java);
        Files.createSymbolicLink(java, jdk.resolve("bin/java"));
        List<String> command = new java.util.ArrayList<>(List.of(java.toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of(source.toString(), Integer.toString(port)));
        Peer client = Peer.start(command, dir);
        client.awaitLine(line -> line.startsWith("ready "), Duration.ofSeconds(60));
        return client;
    }

    /** {@code JsseClient.java}, copied into {@code dir} once. */
    static Path clientSource(Path dir) throws IOException {
        Path source = dir.resolve("JsseClient.java");
        if (!Files.exists(source)) {
            try (InputStream in = JsseFixtures.class.getResourceAsStream(PEERS + "JsseClient.java")) {
                Files.write(source, in.readAllBytes());
            }
        }
        return source;
    }

    /** A child process whose stdout lines are read as they come; closing kills it. */
    static final class Peer implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final OutputStream stdin;

        private Peer(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Peer start(List<String> command, Path dir) throws IOException {
            return new Peer(new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(dir.resolve("stderr-" + Path.of(command.get(0)).getFileName() + ".txt").toFile())
                    .start());
        }

        int pid() {
            return (int) process.pid();
        }

        /** The first line (from now on) that matches; fails after {@code timeout}. */
        String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && wanted.test(line)) {
                    return line;
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("the process ended (exit " + process.exitValue() + ") before a line came");
                }
            }
            throw new AssertionError("no such line within " + timeout);
        }

        /** Sends one request line to the client and returns its answer ({@code ok NAME 200 reply:NAME}). */
        String request(String kind, String name) throws IOException, InterruptedException {
            stdin.write((kind + " " + name + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return awaitLine(line -> line.split(" ").length > 1 && line.split(" ")[1].equals(name), Duration.ofSeconds(30));
        }

        /** Sends {@code bench KIND N PATH}: N requests of /PATH in a row; returns the client's answer. */
        String bench(String kind, int n, String path, Duration timeout) throws IOException, InterruptedException {
            stdin.write(("bench " + kind + " " + n + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            return awaitLine(line -> line.startsWith("bench ") || line.startsWith("error "), timeout);
        }

        int port() throws InterruptedException {
            return Integer.parseInt(awaitLine(line -> line.startsWith("PORT "), Duration.ofSeconds(10)).substring(5).strip());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
