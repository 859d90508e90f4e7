package io.bpfscope.probes.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A TLS client or server process for the tests: its output (stdout and stderr
 * together) is read line by line on a daemon thread, so a test can wait for a
 * line without blocking forever. Closing kills it. Not thread-safe.
 */
final class TlsPeer implements AutoCloseable {
    private static final String EOF = "\0eof";

    private final Process process;
    private final List<String> command;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private TlsPeer(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        Thread reader = new Thread(this::readOutput, "tls-peer-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static TlsPeer start(List<String> command) throws IOException {
        return start(command, Map.of());
    }

    /** Starts {@code command} with {@code environment} added to this process's. */
    static TlsPeer start(List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return new TlsPeer(builder.start(), List.copyOf(command));
    }

    /** Starts what {@code builder} describes (its directory, its environment), output and errors merged. */
    static TlsPeer start(ProcessBuilder builder) throws IOException {
        return new TlsPeer(builder.redirectErrorStream(true).start(), List.copyOf(builder.command()));
    }

    int pid() {
        return (int) process.pid();
    }

    /** Writes a line to its standard input. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    /** The first output line from now on that matches, or an AssertionError with everything it printed. */
    String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null || line.equals(EOF)) {
                throw new AssertionError("no matching line from " + command + " (" + (line == null ? "timed out" : "it exited")
                        + "); it printed: " + output);
            }
            output.add(line);
            if (match.test(line)) {
                return line;
            }
        }
    }

    /** Waits for it to exit; its exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(command + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    /** Everything it printed so far, for failure messages. */
    String printed() {
        List<String> all = new ArrayList<>(output);
        lines.stream().filter(l -> !l.equals(EOF)).forEach(all::add);
        return String.join("\n", all);
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output unreadable: " + e.getMessage() + ")");
        }
        lines.add(EOF);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
