package io.bpfscope.probes.uprobe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * target.c, compiled with gcc for a test and run: it calls its functions when
 * told to ({@link #go()}), so the probes can be attached first. Closing it
 * lets it exit.
 */
public final class TargetProgram implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;

    private TargetProgram(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = process.getOutputStream();
    }

    /** Compiles target.c into {@code dir}; returns the executable. */
    public static Path compile(Path dir) throws IOException, InterruptedException {
        Path source = dir.resolve("target.c");
        try (InputStream c = TargetProgram.class.getResourceAsStream("target.c")) {
            Files.write(source, c.readAllBytes());
        }
        Path binary = dir.resolve("bpfscope-target");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-g", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IOException("gcc failed: " + output);
        }
        return binary;
    }

    /** Starts it; it calls bpfscope_fast {@code fast} times and bpfscope_slow {@code slow} times once told to. */
    public static TargetProgram start(Path binary, int fast, int slow) throws IOException {
        return new TargetProgram(new ProcessBuilder(binary.toString(), Integer.toString(fast), Integer.toString(slow))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    public int pid() {
        return (int) process.pid();
    }

    /** Lets it make its calls; returns the number it prints once they are done. */
    public long go() throws IOException {
        in.write('\n');
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the target program ended without its result");
        }
        return Long.parseLong(line.strip());
    }

    @Override
    public void close() throws Exception {
        try {
            in.write('\n');
            in.close();
        } catch (IOException e) {
            // it has already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
