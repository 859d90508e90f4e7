package io.bpfscope.capture.helper;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.bpfscope.capture.helper.HelperProtocol.Command;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.Probe;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The window's line to its capture helper: commands go out as lines, the capture stream comes back.
 * Either inherited (under sudo the root parent is the helper and the window, running as the user,
 * talks to it on its stdin and stdout) or spawned (the window runs as root itself: its helper is
 * a child, {@code bpfscope helper}). One per window, for its whole life; each live capture is one
 * stream on it. Thread-safe.
 */
public final class HelperConnection implements AutoCloseable {
    /** Set on the window's command line by the root parent that serves as its helper. */
    public static final String STDIO_PROPERTY = "bpfscope.helper";
    /** Set with it: the catalog probes that cannot attach on this host, as root found them (base64 JSON). */
    public static final String UNAVAILABLE_PROPERTY = "bpfscope.unavailable";
    private static volatile Map<String, String> unavailable = Map.of();
    private static volatile HelperConnection inherited;

    private final InputStream fromHelper;
    private final OutputStream toHelper;
    private final Process process;
    private long nextId = 1;

    private HelperConnection(InputStream fromHelper, OutputStream toHelper, Process process) {
        // One buffer for every stream read from the pipe: a reader that stops at a stream's END leaves
        // what follows (the next stream) in it, and closing a reader does not close the pipe.
        this.fromHelper = new BufferedInputStream(fromHelper, 1 << 16) {
            @Override
            public void close() {
            }
        };
        this.toHelper = toHelper;
        this.process = process;
    }

    /**
     * Called first thing in main: when a root parent serves as our helper on stdin and stdout, take
     * them for it and point {@code System.out} at stderr, so nothing printed can corrupt the commands.
     */
    public static void inheritFromStdioIfAsked() {
        if (!"stdio".equals(System.getProperty(STDIO_PROPERTY))) {
            return;
        }
        String reasons = System.getProperty(UNAVAILABLE_PROPERTY);
        if (reasons != null) {
            // The type is made here, not in a static field: this class is loaded by every start (Main.main).
            Type reasonsType = new TypeToken<Map<String, String>>() { }.getType();
            unavailable = new Gson().fromJson(new String(Base64.getDecoder().decode(reasons), StandardCharsets.UTF_8),
                    reasonsType);
        }
        inherited = new HelperConnection(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), null);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        System.setIn(InputStream.nullInputStream());
    }

    /** The helper a root parent gave this process, if it did. */
    public static Optional<HelperConnection> inherited() {
        return Optional.ofNullable(inherited);
    }

    /**
     * Why {@code probe} cannot attach here, or "" when it can. With an inherited helper, as root found
     * it (the user cannot read tracefs, so would find every tracepoint missing); a probe root did not
     * judge is left for the attach to tell.
     */
    public static String unavailableReason(Probe probe) {
        if (inherited != null) {
            return unavailable.getOrDefault(probe.name(), "");
        }
        return probe.availability().reason();
    }

    /** {@link #UNAVAILABLE_PROPERTY}'s value for these probes, judged on this host. */
    public static String unavailableProperty(List<Probe> probes) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Probe probe : probes) {
            Availability availability = probe.availability(); // reads the host: once per probe
            if (!availability.available()) {
                reasons.put(probe.name(), availability.reason());
            }
        }
        return Base64.getEncoder().encodeToString(new Gson().toJson(reasons).getBytes(StandardCharsets.UTF_8));
    }

    /** Starts {@code bpfscope helper} as a child; we are root already, so is it. */
    public static HelperConnection spawn() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.bpfscope.Main");
        command.add("helper");
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new HelperConnection(process.getInputStream(), process.getOutputStream(), process);
    }

    /** The helper process when we started it. */
    Optional<Process> process() {
        return Optional.ofNullable(process);
    }

    /** The capture streams, one after another. Closing a reader on it leaves it open. */
    public InputStream stream() {
        return fromHelper;
    }

    /** A fresh id for a command: replies name the command they answer by it. */
    public synchronized long nextId() {
        return nextId++;
    }

    public synchronized void send(Command command) throws IOException {
        toHelper.write(command.line());
        toHelper.flush();
    }

    /** Hangs up: the helper detaches everything and exits. */
    @Override
    public void close() {
        try {
            toHelper.close();
        } catch (IOException e) {
            // it is gone already
        }
        if (process != null) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }
}
