package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfMap;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.bridge.ring.RingBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Finds the executable files that processes run — those running when it starts, and
 * those executed while it runs — and reports each file once, by device and inode, so
 * that two paths to one file (a hard link, a bind mount, {@code /proc/PID/exe}) count
 * once: a uprobe belongs to the file, and two on one file would report every call twice.
 *
 * <p>Execs are seen by a small BPF object of its own (execwatch.bpf.o, a tracepoint on
 * {@code sched:sched_process_exec} feeding a private ring buffer), read on a daemon
 * thread; a look through {@code /proc} every {@value #RESCAN_MS} ms catches what
 * the ring dropped. Which files matter is the {@link Handler}'s call: it gets every new
 * executable and attaches what it wants (and owns what it attached).
 *
 * <p>A process is reported after its exec: uprobes attached then see every call it
 * makes from then on; calls made in the few milliseconds between its exec and the
 * attach are missed (only on the first run of a file: later runs find the uprobes in place).
 *
 * <pre>{@code
 * try (ExecutableDiscovery discovery = ExecutableDiscovery.start("tls", exe -> {
 *         if (looksInteresting(exe.path())) attachTo(exe.path());   // runs on one thread at a time
 *     }, warnings)) {
 *     ... // running processes were reported before start() returned; new ones arrive meanwhile
 * }
 * }</pre>
 */
public final class ExecutableDiscovery implements AutoCloseable {
    private static final String OBJECT = "execwatch.bpf.o";
    private static final int RESCAN_MS = 2000;
    private static final int POLL_MS = 50;

    /** A file by device and inode, as {@code stat} gives them. */
    public record FileId(long device, long inode) {
    }

    /**
     * A newly found executable file.
     *
     * @param file  its device and inode
     * @param path  a path that opens it from here: the path the process ran when that leads to
     *              the same file, else {@code /proc/PID/exe} (another mount namespace)
     * @param shown the path as the process shows it ({@code readlink /proc/PID/exe})
     * @param pids  the processes running it when it was found (one, for an exec seen live)
     * @param comm  the first of them's command name
     */
    public record Executable(FileId file, Path path, String shown, List<Integer> pids, String comm) {
    }

    /** Gets each new executable, one call at a time: first on the caller of start(), then on the discovery's thread. */
    @FunctionalInterface
    public interface Handler {
        void found(Executable executable);
    }

    private final String owner;
    private final Handler handler;
    private final Consumer<String> warnings;
    private final BpfObject object;
    private final BpfLink link;
    private final RingBuffer ring;
    private final Set<FileId> seen = new HashSet<>();
    private final Thread thread;
    private volatile boolean stopping;

    private ExecutableDiscovery(String owner, Handler handler, Consumer<String> warnings, BpfObject object,
                                BpfLink link, RingBuffer ring) {
        this.owner = owner;
        this.handler = handler;
        this.warnings = warnings;
        this.object = object;
        this.link = link;
        this.ring = ring;
        this.thread = new Thread(this::watch, owner + "-executables");
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching execs, then reports every executable running now (on this thread),
     * then keeps reporting new ones on its own thread until {@link #close()}.
     *
     * @param owner    the probe's name, for warnings and the thread's name
     * @param warnings what went wrong with one executable (the handler's exceptions included)
     */
    public static ExecutableDiscovery start(String owner, Handler handler, Consumer<String> warnings)
            throws BpfException {
        BpfObject object = BpfObject.open("execwatch", Probe.objectBytes(OBJECT));
        BpfLink link = null;
        try {
            object.load();
            link = object.program("exec_seen").attachTracepoint("sched", "sched_process_exec");
            BpfMap execs = object.map("execs");
            RingBuffer ring = RingBuffer.mapExisting(execs.fd(), execs.maxEntries());
            ExecutableDiscovery discovery = new ExecutableDiscovery(owner, handler, warnings, object, link, ring);
            discovery.rescan();
            discovery.thread.start();
            return discovery;
        } catch (BpfException | RuntimeException e) {
            if (link != null) {
                link.close();
            }
            object.close();
            throw e;
        }
    }

    /** Every executable running now, grouped by file; what was already reported is skipped. */
    private void rescan() {
        Map<FileId, List<Integer>> pidsByFile = new LinkedHashMap<>();
        Map<FileId, Integer> firstPid = new LinkedHashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path proc : procs) {
                int pid = Integer.parseInt(proc.getFileName().toString());
                Optional<FileId> file = fileId(proc.resolve("exe"));
                if (file.isPresent() && !seen.contains(file.get())) {
                    pidsByFile.computeIfAbsent(file.get(), f -> new ArrayList<>()).add(pid);
                    firstPid.putIfAbsent(file.get(), pid);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            warnings.accept(owner + ": cannot list /proc: " + e.getMessage());
        }
        pidsByFile.forEach((file, pids) -> report(file, pids));
    }

    /** One process just executed a file: report the file if it is new. */
    private void execSeen(int pid) {
        Optional<FileId> file = fileId(Path.of("/proc", Integer.toString(pid), "exe"));
        if (file.isPresent() && !seen.contains(file.get())) {
            report(file.get(), List.of(pid));
        }
    }

    private void report(FileId file, List<Integer> pids) {
        for (int pid : pids) {
            Path proc = Path.of("/proc", Integer.toString(pid));
            String shown;
            String comm;
            try {
                shown = Files.readSymbolicLink(proc.resolve("exe")).toString();
                comm = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).strip();
            } catch (IOException | UncheckedIOException e) {
                continue; // exited meanwhile: another of its processes, or its next exec, tells
            }
            Path plain = Path.of(shown);
            Path path = plain.isAbsolute() && fileId(plain).equals(Optional.of(file)) ? plain : proc.resolve("exe");
            seen.add(file);
            try {
                handler.found(new Executable(file, path, shown, List.copyOf(pids), comm));
            } catch (RuntimeException e) {
                warnings.accept(owner + ": skipped " + shown + ": " + e.getMessage());
            }
            return;
        }
    }

    private void watch() {
        long nextRescan = System.nanoTime() + RESCAN_MS * 1_000_000L;
        try {
            while (!stopping) {
                if (ring.awaitData(POLL_MS)) {
                    RecordBatch batch = new RecordBatch(16 * 1024, 1024); // pids only: 4 bytes each
                    ring.drain(batch);
                    for (int i = 0; i < batch.count(); i++) {
                        ByteBuffer record = ByteBuffer.wrap(batch.bytes(), batch.offset(i), batch.length(i))
                                .order(ByteOrder.nativeOrder());
                        execSeen(record.getInt());
                    }
                }
                if (System.nanoTime() - nextRescan > 0) {
                    rescan();
                    nextRescan = System.nanoTime() + RESCAN_MS * 1_000_000L;
                }
            }
        } catch (BpfException | RuntimeException e) {
            warnings.accept(owner + ": stopped watching new executables: " + e.getMessage());
        }
    }

    /** Stops watching and unloads the exec tracepoint; what the handler attached stays its own to close. */
    @Override
    public void close() {
        stopping = true;
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ring.close();
        link.close();
        object.close();
    }

    /** The device and inode of the file a path leads to (following links, /proc/PID/exe too); empty when unreadable. */
    public static Optional<FileId> fileId(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino,mode");
            int mode = (Integer) attributes.get("mode");
            if ((mode & 0170000) != 0100000) {
                return Optional.empty(); // not a regular file
            }
            return Optional.of(new FileId((Long) attributes.get("dev"), (Long) attributes.get("ino")));
        } catch (IOException | UncheckedIOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
