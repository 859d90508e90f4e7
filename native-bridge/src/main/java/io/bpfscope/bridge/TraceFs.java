package io.bpfscope.bridge;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.bridge.sys.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kernel's tracing filesystem: where tracepoints are listed and described.
 * Tracepoint attachment needs it mounted; if it is not and we are root, we
 * mount it (as perf and bpftrace do). Thread-safe.
 */
public final class TraceFs {
    private static final Path TRACING = Path.of("/sys/kernel/tracing");
    private static final Path DEBUG_TRACING = Path.of("/sys/kernel/debug/tracing");
    private static Path root;

    private TraceFs() {
    }

    /** The mounted tracefs, mounting it at /sys/kernel/tracing when needed and allowed. */
    public static synchronized Path root() throws KernelFeatureMissingException {
        if (root != null) {
            return root;
        }
        if (Files.isDirectory(TRACING.resolve("events"))) {
            return root = TRACING;
        }
        if (Files.isDirectory(DEBUG_TRACING.resolve("events"))) {
            return root = DEBUG_TRACING;
        }
        if (LibC.INSTANCE.geteuid() != 0) {
            throw new KernelFeatureMissingException("find tracefs", TRACING.toString(),
                    "tracefs is not mounted; run with sudo (bpfscope mounts it) or: sudo mount -t tracefs tracefs " + TRACING, "");
        }
        int rc = LibC.INSTANCE.mount("tracefs", TRACING.toString(), "tracefs", new NativeLong(0), null);
        if (rc != 0) {
            int errno = Native.getLastError();
            throw new KernelFeatureMissingException("mount tracefs", TRACING.toString(),
                    Errno.describe(errno) + "; is CONFIG_TRACING enabled? Try: mount -t tracefs tracefs " + TRACING, "");
        }
        return root = TRACING;
    }

    /** True when the kernel has the tracepoint {@code group:name}. */
    public static boolean hasTracepoint(String group, String name) {
        try {
            return Files.isDirectory(root().resolve("events").resolve(group).resolve(name));
        } catch (KernelFeatureMissingException e) {
            return false;
        }
    }

    /** The {@code format} file that describes a tracepoint's record. */
    public static Path formatFile(String group, String name) throws KernelFeatureMissingException {
        Path format = root().resolve("events").resolve(group).resolve(name).resolve("format");
        if (!Files.isReadable(format)) {
            throw new KernelFeatureMissingException("find tracepoint", group + ":" + name,
                    "this kernel has no such tracepoint (see " + root().resolve("events") + ")", "");
        }
        return format;
    }

    /** Every tracepoint as {@code group:name}, sorted. */
    public static List<String> tracepoints() throws KernelFeatureMissingException {
        Path events = root().resolve("events");
        List<String> all = new ArrayList<>();
        try (Stream<Path> groups = Files.list(events)) {
            for (Path group : (Iterable<Path>) groups.filter(Files::isDirectory).sorted()::iterator) {
                try (Stream<Path> names = Files.list(group)) {
                    names.filter(p -> Files.isRegularFile(p.resolve("format")))
                            .map(p -> group.getFileName() + ":" + p.getFileName())
                            .sorted()
                            .forEach(all::add);
                }
            }
        } catch (IOException e) {
            throw new KernelFeatureMissingException("list tracepoints", events.toString(), String.valueOf(e.getMessage()), "");
        }
        return all;
    }
}
