package io.bpfscope.probes.tls;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.probes.golang.GoTls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hooks Go's crypto/tls in Go executables: {@code tls_go_write} on the entry of
 * {@code (*Conn).Write} (whose bytes are all there at entry), {@code tls_go_read}
 * on the entry of {@code (*Conn).Read} and {@code tls_go_return} on each of its
 * RET instructions (a uretprobe would crash the program when its goroutine's
 * stack moves). Stateless.
 */
final class GoTlsAttacher {
    private GoTlsAttacher() {
    }

    /**
     * Attaches to the Go executable at {@code path} (a path this process can open: a
     * {@code /proc/PID/exe} does), whose headers are {@code elf}. Empty when it is no Go
     * program with crypto/tls; one line to {@code warnings} when it is one the probe cannot
     * trace, saying why. All or nothing per file.
     *
     * @param shown the file's name for messages and link names
     * @param pid   the process to trace, or -1 for every process running the file
     */
    static List<BpfLink> attach(BpfObject object, Path path, ElfFile elf, String shown, int pid,
                                Consumer<String> warnings) throws BpfException {
        GoTls.Inspection go;
        try {
            go = GoTls.inspect(path, elf).orElse(null);
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
                for (long ret : function == TlsFunction.GO_READ ? hooks.returnOffsets() : List.<Long>of()) {
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
}
