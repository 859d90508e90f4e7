package io.bpfscope.probes.tls;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.probes.golang.GoTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hooks Go's crypto/tls in Go executables: {@code tls_go_write} and
 * {@code tls_go_read} on the entries of {@code (*Conn).Write} and
 * {@code (*Conn).Read}, {@code tls_go_return} on each of their RET
 * instructions (a uretprobe would crash the program when its goroutine's stack
 * moves). Stateless.
 */
final class GoTlsAttacher {
    private GoTlsAttacher() {
    }

    /**
     * Attaches to the Go executable at {@code path} (a path this process can open: a
     * {@code /proc/PID/exe} does). Empty when it is no Go program with crypto/tls; one line to
     * {@code warnings} when it is one the probe cannot trace, saying why. All or nothing per file.
     *
     * @param shown the file's name for messages and link names
     * @param pid   the process to trace, or -1 for every process running the file
     */
    static List<BpfLink> attach(BpfObject object, Path path, String shown, int pid, Consumer<String> warnings)
            throws BpfException {
        GoTls.Inspection go;
        try {
            go = GoTls.inspect(path).orElse(null);
        } catch (IOException | RuntimeException e) {
            return List.of(); // unreadable or no ELF file: not ours to judge
        }
        if (go == null) {
            return List.of();
        }
        if (!go.covered()) {
            warnings.accept("tls: " + shown + ": " + go.describe());
            return List.of();
        }
        List<BpfLink> links = new ArrayList<>();
        try {
            for (GoTls.Hooks hooks : go.hooks()) {
                TlsFunction function = hooks.function().equals(GoTls.WRITE) ? TlsFunction.GO_WRITE : TlsFunction.GO_READ;
                String target = shown + ":" + hooks.function();
                links.add(object.program(function.program()).attachUprobe(path.toString(), hooks.entryOffset(), pid,
                        false, target));
                for (long ret : hooks.returnOffsets()) {
                    links.add(object.program(TlsFunction.GO_RETURN_PROGRAM).attachUprobe(path.toString(), ret, pid,
                            false, target + String.format(" RET at file offset 0x%x", ret)));
                }
            }
        } catch (BpfException | RuntimeException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
        return links;
    }

    /**
     * Attaches to the executables of the running processes (only {@code pid}'s when it is
     * positive) that are Go programs with crypto/tls, once per file: {@code seen} holds the
     * device-and-inode keys of files already attached and gets the new ones. A process that
     * exits meanwhile, or a file that fails, is reported and skipped.
     */
    static List<BpfLink> attachRunning(BpfObject object, int pid, Set<Object> seen, Consumer<String> warnings) {
        List<BpfLink> links = new ArrayList<>();
        for (Path proc : processes(pid)) {
            Path exe = proc.resolve("exe");
            Object key = TlsLibraries.fileKey(exe);
            if (key == null || !seen.add(key)) {
                continue; // a kernel thread, gone, or a file already seen
            }
            String shown = shownPath(exe, key);
            try {
                links.addAll(attach(object, exe, shown, pid > 0 ? pid : -1, warnings));
            } catch (BpfException e) {
                warnings.accept("tls: skipped " + shown + ": " + e.getMessage());
            }
        }
        return links;
    }

    /** The executable's own path when it leads to the same file from here, else {@code /proc/PID/exe}. */
    private static String shownPath(Path exe, Object key) {
        try {
            Path target = Files.readSymbolicLink(exe);
            return key.equals(TlsLibraries.fileKey(target)) ? target.toString() : exe.toString();
        } catch (IOException | UnsupportedOperationException e) {
            return exe.toString();
        }
    }

    private static List<Path> processes(int pid) {
        if (pid > 0) {
            return List.of(Path.of("/proc", Integer.toString(pid)));
        }
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            procs.forEach(all::add);
        } catch (IOException | UncheckedIOException e) {
            return all;
        }
        return all;
    }
}
