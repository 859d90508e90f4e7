package io.bpfscope.probes.golang;

import io.bpfscope.bridge.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Go's {@code crypto/tls} inside one executable: where to hook {@code (*Conn).Write}
 * and {@code (*Conn).Read} (the entry, and every {@code RET}: Go code gets no
 * uretprobe, see {@link X86Instructions}), or why it cannot be traced. Stateless.
 */
public final class GoTls {
    public static final String WRITE = "crypto/tls.(*Conn).Write";
    public static final String READ = "crypto/tls.(*Conn).Read";

    /** The file offsets of one function's entry and of each of its returns. */
    public record Hooks(String function, long entryOffset, List<Long> returnOffsets) {
    }

    /**
     * What one Go executable with crypto/tls offers.
     *
     * @param goVersion  e.g. {@code go1.19.8}, or {@code ""} when the build info is gone
     * @param foundIn    {@code .symtab} or {@code .gopclntab}: where the functions were found
     * @param hooks      where to attach, when covered; empty otherwise
     * @param notCovered why it cannot be traced, or null when it can
     */
    public record Inspection(Path path, String goVersion, String foundIn, List<Hooks> hooks, String notCovered) {
        public boolean covered() {
            return notCovered == null;
        }

        /** {@code go1.19.8, functions from .gopclntab}. */
        public String details() {
            return (goVersion.isEmpty() ? "Go version unknown" : goVersion) + ", functions from " + foundIn;
        }

        /** One line: {@code Go crypto/tls (go1.19.8, functions from .gopclntab): covered}, or why not. */
        public String describe() {
            return "Go crypto/tls (" + details() + "): " + (covered() ? "covered" : "not covered: " + notCovered);
        }
    }

    private GoTls() {
    }

    /**
     * Looks at {@code path}: empty when it is no Go program or has no crypto/tls connection
     * calls; otherwise where to hook them, or why not.
     *
     * @throws IOException if the file cannot be read or is no ELF file
     */
    public static Optional<Inspection> inspect(Path path) throws IOException {
        return inspect(path, ElfFile.open(path));
    }

    /** Like {@link #inspect(Path)}, with the file's headers already read. */
    public static Optional<Inspection> inspect(Path path, ElfFile elf) throws IOException {
        Optional<GoBinary> opened;
        try {
            opened = GoBinary.open(path, elf);
        } catch (GoFormatException e) {
            return Optional.of(new Inspection(path, "", ".gopclntab", List.of(), "its function table is unreadable: "
                    + e.getMessage()));
        }
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        GoBinary go = opened.get();
        try {
            List<GoBinary.Located> found = new ArrayList<>();
            for (String name : List.of(WRITE, READ)) {
                go.function(name).ifPresent(found::add);
            }
            if (found.isEmpty()) {
                return Optional.empty();
            }
            String foundIn = found.get(0).table();
            String why = whyNot(go);
            if (why != null) {
                return Optional.of(new Inspection(path, go.version(), foundIn, List.of(), why));
            }
            List<Hooks> hooks = new ArrayList<>();
            for (GoBinary.Located f : found) {
                hooks.add(hooks(go, f.function()));
            }
            return Optional.of(new Inspection(path, go.version(), foundIn, List.copyOf(hooks), null));
        } catch (GoFormatException e) {
            return Optional.of(new Inspection(path, go.version(), ".gopclntab", List.of(), e.getMessage()));
        }
    }

    /** Null when the probe can read this binary's arguments and results. */
    private static String whyNot(GoBinary go) {
        if (!go.isX86_64()) {
            return "Go crypto/tls is traced on x86-64 only (this is ELF machine " + go.elf().machine() + ")";
        }
        Optional<Boolean> registers = go.registerAbi();
        if (registers.isEmpty()) {
            return "Go 1.16 or 1.17 without build info: whether arguments are in registers (1.17+) is unknown";
        }
        return registers.get() ? null : "Go < 1.17 stack ABI (arguments on the goroutine stack are not read)";
    }

    private static Hooks hooks(GoBinary go, GoPclntab.Function function) throws GoFormatException {
        byte[] code = go.code(function);
        List<Integer> returns;
        try {
            returns = X86Instructions.returns(code);
        } catch (X86Instructions.DecodeException e) {
            throw new GoFormatException("cannot disassemble " + function.name() + ": " + e.getMessage());
        }
        if (returns.isEmpty()) {
            throw new GoFormatException("no return instruction in " + function.name());
        }
        long entry = go.fileOffset(function.entry());
        return new Hooks(function.name(), entry, returns.stream().map(r -> entry + r).toList());
    }
}
