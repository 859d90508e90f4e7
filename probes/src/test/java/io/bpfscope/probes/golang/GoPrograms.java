package io.bpfscope.probes.golang;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Go programs built for the tests from Debian's golang-go (the standard library
 * only: no network): the HTTPS client {@code https_client.go}, once as is and
 * once stripped with {@code -ldflags='-s -w'}. Built once per JVM, in a
 * directory of their own; the Go build cache is the default one, so a second
 * run takes a fraction of a second.
 */
public final class GoPrograms {
    private static Path built;

    private GoPrograms() {
    }

    /** The client with its symbol table. */
    public static synchronized Path client() throws Exception {
        return build().resolve("https_client");
    }

    /** The same client built with {@code -ldflags='-s -w'}: no .symtab, no DWARF. */
    public static synchronized Path strippedClient() throws Exception {
        return build().resolve("https_client_stripped");
    }

    /** The {@code go} command; skips outside CI when golang-go is not installed. */
    public static String go() {
        for (String candidate : List.of("/usr/bin/go", "/usr/lib/go/bin/go", "/usr/local/go/bin/go")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        assumeTrue("true".equals(System.getenv("CI")), "golang-go is not installed (apt-get install golang-go)");
        throw new IllegalStateException("go is not installed: CI needs golang-go");
    }

    /** Runs {@code command}, returns its standard output; fails with its output if it fails. */
    public static String run(List<String> command, Path directory) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putIfAbsent("HOME", System.getProperty("java.io.tmpdir"));
        builder.environment().put("GOFLAGS", "");
        builder.environment().put("GO111MODULE", "off"); // one file, the standard library: no module, no network
        builder.environment().put("GOTOOLCHAIN", "local");
        Process process = builder.start();
        byte[] output;
        try (InputStream out = process.getInputStream()) {
            output = out.readAllBytes();
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    private static void removeAll(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private static Path build() throws Exception {
        if (built != null) {
            return built;
        }
        String go = go();
        Path dir = Files.createTempDirectory("bpfscope-go");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeAll(dir)));
        try (InputStream source = GoPrograms.class.getResourceAsStream("https_client.go")) {
            Files.write(dir.resolve("https_client.go"), source.readAllBytes());
        }
        run(List.of(go, "build", "-o", "https_client", "https_client.go"), dir);
        run(List.of(go, "build", "-ldflags=-s -w", "-o", "https_client_stripped", "https_client.go"), dir);
        built = dir;
        return dir;
    }
}
