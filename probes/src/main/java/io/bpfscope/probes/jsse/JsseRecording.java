package io.bpfscope.probes.jsse;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.RecordSink;
import io.bpfscope.probes.UserSpaceSource;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The jsse probe while it records: finds the JVMs the options choose (every one visible, or one
 * {@code --pid}), loads the agent into each, and keeps watching /proc for JVMs that start later.
 * A JVM that cannot be traced is reported once with its reason (at the start through the warnings,
 * later through {@link RecordSink#notice}); the others go on. Closing it disconnects every agent:
 * their hooks fall silent, the JVMs run on. Thread-safe.
 */
final class JsseRecording implements UserSpaceSource {
    private static final System.Logger LOG = System.getLogger(JsseRecording.class.getName());
    private static final long POLL_MILLIS = 250;
    /** A process this young may still be becoming a JVM (a launcher maps libjvm after exec). */
    private static final long YOUNG_TICKS = 10 * 100;
    /** The agent is Java 8 bytecode. */
    private static final int MIN_FEATURE = 8;
    /** Unix-domain SocketChannels came with Java 16; older JVMs get a FIFO. */
    private static final int SOCKET_FEATURE = 16;
    /**
     * {@code fifo} or {@code socket} forces that channel on every JVM that can have it (tests use it to
     * run the Java 8–15 path on the newer JVMs at hand); unset, the JVM's version decides.
     */
    static final String CHANNEL_PROPERTY = "bpfscope.jsse.channel";

    private final ProbeOptions options;
    private final int source;
    private final RecordSink sink;
    private final byte[] agentJar;
    /** Every pid looked at, by its start time: attached, failed, or not a JVM (once it is old enough). */
    private final Map<Integer, Long> settled = new HashMap<>();
    private final List<AgentConnection> agents = new ArrayList<>();
    private final Thread watcher;
    private volatile boolean closed;
    private long closedLost;
    private long closedTruncated;

    private JsseRecording(ProbeOptions options, int source, RecordSink sink, byte[] agentJar) {
        this.options = options;
        this.source = source;
        this.sink = sink;
        this.agentJar = agentJar;
        this.watcher = new Thread(this::watch, "bpfscope-jsse-watcher");
        watcher.setDaemon(true);
    }

    static JsseRecording start(ProbeOptions options, int source, RecordSink sink, byte[] agentJar,
                               Consumer<String> warnings) throws BpfException {
        JsseRecording recording = new JsseRecording(options, source, sink, agentJar);
        if (options.pid() > 0) {
            Optional<String> failure = recording.tryAttach(options.pid(), true);
            if (failure.isPresent()) {
                throw BpfException.of("attach agent", "jsse", Errno.ESRCH, failure.get());
            }
        } else {
            int attached = recording.scan(warnings);
            if (attached == 0) {
                warnings.accept("jsse: no JVM to trace yet; JVMs that start while recording are traced");
            }
        }
        recording.watcher.start();
        return recording;
    }

    /** One pass over /proc: each pid not settled yet is tried. Returns how many agents were attached. */
    private int scan(Consumer<String> report) {
        int attached = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (closed || name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                int pid = Integer.parseInt(name);
                if (options.pid() > 0 && pid != options.pid() || isBpfscope(pid)) {
                    continue;
                }
                Optional<String> failure = tryAttach(pid, false);
                if (failure == null) {
                    continue;
                }
                if (failure.isPresent()) {
                    report.accept(failure.get());
                } else {
                    attached++;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "jsse: listing /proc: " + e.getMessage());
        }
        return attached;
    }

    /**
     * Attaches to {@code pid} if it is a JVM the options choose and was not settled before. Returns
     * null when there was nothing to do (yet), empty when attached, else why it is not traced.
     */
    private Optional<String> tryAttach(int pid, boolean chosen) {
        JvmProcess jvm;
        long start;
        try {
            start = JvmProcess.startTime(pid);
            Long known = settled.get(pid);
            if (known != null && known == start) {
                return null;
            }
            Optional<JvmProcess> found = JvmProcess.inspect(pid);
            if (found.isEmpty()) {
                if (chosen) {
                    settled.put(pid, start);
                    return Optional.of("pid " + pid + " runs no JVM (no libjvm.so mapped)");
                }
                if (uptimeTicks() - start > YOUNG_TICKS) {
                    settled.put(pid, start); // old enough: it will not become a JVM
                }
                return null;
            }
            jvm = found.get();
        } catch (IOException | RuntimeException e) {
            if (chosen) {
                return Optional.of("pid " + pid + ": " + e.getMessage());
            }
            return null; // it exited meanwhile
        }
        if (!chosen && !matchesFilters(jvm)) {
            settled.put(pid, start);
            return null;
        }
        if (!jvm.catchesQuit() && jvm.vm() == JvmProcess.Vm.HOTSPOT && uptimeTicks() - start < YOUNG_TICKS) {
            return null; // still starting: its signal handlers come in a moment
        }
        settled.put(pid, start);
        try {
            if (jvm.vm() == JvmProcess.Vm.J9) {
                throw new IOException("an OpenJ9 JVM: its attach mechanism differs from HotSpot's, not supported");
            }
            Map<String, String> properties = HotSpotAttach.properties(jvm);
            int feature = feature(properties.getOrDefault("java.specification.version", "0"));
            if (feature < MIN_FEATURE) {
                throw new IOException("Java " + properties.get("java.specification.version")
                        + ": the agent needs Java " + MIN_FEATURE + " or later");
            }
            AgentConnection agent = AgentConnection.attach(jvm, channelFor(feature), agentJar, source,
                    options.maxPayload(), sink);
            synchronized (this) {
                if (closed) {
                    agent.close();
                    return Optional.of(jvm.name() + ": the recording stopped");
                }
                agents.add(agent);
            }
            LOG.log(System.Logger.Level.INFO, "jsse: agent attached to " + jvm.name());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("jsse: " + jvm.name() + " not traced: " + e.getMessage());
        }
    }

    /**
     * bpfscope's own JVMs are never traced: this one, and those that run bpfscope's main class (the
     * window, whose JVM is the capture helper's child, or its parent when a root window started it).
     */
    private static boolean isBpfscope(int pid) {
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        try {
            byte[] commandLine = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
            return new String(commandLine, java.nio.charset.StandardCharsets.ISO_8859_1).contains("\0io.bpfscope.Main\0");
        } catch (IOException e) {
            return false; // gone
        }
    }

    private boolean matchesFilters(JvmProcess jvm) {
        return (options.uid() == ProbeOptions.ANY_UID || options.uid() == jvm.uid())
                && (options.comm().isEmpty() || options.comm().equals(jvm.comm()));
    }

    /** A socket where the JVM has unix-domain channels, else a FIFO; {@link #CHANNEL_PROPERTY} may force one. */
    static AgentConnection.ChannelKind channelFor(int feature) {
        String forced = System.getProperty(CHANNEL_PROPERTY, "");
        if (forced.equals("fifo") || feature < SOCKET_FEATURE) {
            return AgentConnection.ChannelKind.FIFO;
        }
        return AgentConnection.ChannelKind.SOCKET;
    }

    private static int feature(String specification) {
        String number = specification.startsWith("1.") ? specification.substring(2) : specification;
        try {
            return Integer.parseInt(number.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long uptimeTicks() {
        try {
            String uptime = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            return (long) (Double.parseDouble(uptime) * 100); // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** JVMs that start later: a pass over /proc every {@link #POLL_MILLIS}. */
    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (options.pid() <= 0) {
                scan(sink::notice);
            }
            forgetExited();
        }
    }

    /** An agent whose JVM exited is closed (its directory went with the JVM, or is removed now). */
    private void forgetExited() {
        List<AgentConnection> gone = new ArrayList<>();
        synchronized (this) {
            agents.removeIf(agent -> {
                if (Files.exists(Path.of("/proc", Integer.toString(agent.jvm().pid())))) {
                    return false;
                }
                gone.add(agent);
                closedLost += agent.lost();
                closedTruncated += agent.truncated();
                return true;
            });
        }
        gone.forEach(AgentConnection::close);
    }

    @Override
    public synchronized long lost() {
        return closedLost + agents.stream().mapToLong(AgentConnection::lost).sum();
    }

    @Override
    public synchronized long truncated() {
        return closedTruncated + agents.stream().mapToLong(AgentConnection::truncated).sum();
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
        try {
            watcher.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<AgentConnection> all;
        synchronized (this) {
            all = List.copyOf(agents);
        }
        all.forEach(AgentConnection::close);
        synchronized (this) {
            for (AgentConnection agent : all) {
                closedLost += agent.lost();
                closedTruncated += agent.truncated();
            }
            agents.clear();
        }
    }
}
