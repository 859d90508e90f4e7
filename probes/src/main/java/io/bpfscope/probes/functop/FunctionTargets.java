package io.bpfscope.probes.functop;

import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.bridge.elf.ElfSymbol;
import io.bpfscope.bridge.elf.ElfSymbolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Finds the functions functop attaches to: every function symbol matching a
 * pattern in one file, or in the executable and libraries a process has
 * mapped ({@code /proc/PID/maps}). Aliases (several names at one address)
 * become one function, under the plainest name. GNU indirect functions are
 * left out: their symbol is the resolver, which runs once at load time.
 * Stateless.
 */
public final class FunctionTargets {
    /** A function to trace: where it is and what it is called. {@code id} is its attach cookie. */
    public record Target(int id, Path file, String symbol, long offset) {
        /** {@code libc.so.6:malloc}. */
        public String shortName() {
            return file.getFileName() + ":" + symbol;
        }
    }

    private FunctionTargets() {
    }

    /** The matching functions of one file. */
    public static List<Target> inFile(Path file, Pattern match, Consumer<String> warnings) throws IOException {
        List<Target> found = new ArrayList<>();
        add(found, file, match, warnings);
        return found;
    }

    /** The matching functions of every executable file process {@code pid} has mapped. */
    public static List<Target> inProcess(int pid, Pattern match, Consumer<String> warnings) throws IOException {
        List<Target> found = new ArrayList<>();
        for (Path file : mappedFiles(pid)) {
            try {
                add(found, file, match, warnings);
            } catch (IOException | UncheckedIOException e) {
                warnings.accept("functop: skipped " + file + ": " + e.getMessage());
            }
        }
        return found;
    }

    /**
     * The files mapped executable by a process, the executable first. A file seen
     * under another mount namespace is opened through {@code /proc/PID/root}.
     */
    public static List<Path> mappedFiles(int pid) throws IOException {
        Path proc = Path.of("/proc", Integer.toString(pid));
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve("maps"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read /proc/" + pid + "/maps (is process " + pid + " running?): " + e.getMessage(), e);
        }
        Set<Path> files = new LinkedHashSet<>();
        for (String line : lines) {
            String[] columns = line.split("\\s+", 6);
            if (columns.length < 6 || columns[1].indexOf('x') < 0 || !columns[5].startsWith("/")
                    || columns[5].endsWith(" (deleted)")) {
                continue;
            }
            Path plain = Path.of(columns[5]);
            Path inRoot = proc.resolve("root").resolve(columns[5].substring(1));
            Object key = fileKey(inRoot);
            if (key == null) {
                continue;
            }
            files.add(key.equals(fileKey(plain)) ? plain : inRoot);
        }
        return List.copyOf(files);
    }

    private static void add(List<Target> found, Path file, Pattern match, Consumer<String> warnings) throws IOException {
        ElfFile elf = ElfFile.open(file);
        // One function per address: prefer "malloc" over "__libc_malloc".
        Map<Long, ElfSymbol> byAddress = new LinkedHashMap<>();
        for (ElfSymbol symbol : elf.functionSymbols()) {
            if (symbol.type() != ElfSymbol.STT_FUNC || symbol.value() == 0 || !match.matcher(symbol.name()).find()) {
                continue;
            }
            byAddress.merge(symbol.value(), symbol, (a, b) -> plainer(a, b) <= 0 ? a : b);
        }
        List<ElfSymbol> chosen = new ArrayList<>(byAddress.values());
        chosen.sort(Comparator.comparing(ElfSymbol::name));
        for (ElfSymbol symbol : chosen) {
            String versioned = symbol.isVersioned() ? symbol.name() + "@" + symbol.version() : symbol.name();
            try {
                long offset = elf.uprobeOffset(versioned);
                found.add(new Target(found.size(), file, bareIfSame(elf, symbol.name(), offset, versioned), offset));
            } catch (ElfSymbolException e) {
                warnings.accept("functop: skipped " + file + ":" + versioned + ": " + e.getMessage());
            }
        }
    }

    /** {@code malloc} rather than {@code malloc@GLIBC_2.2.5} when the bare name means the same function. */
    private static String bareIfSame(ElfFile elf, String bare, long offset, String versioned) {
        try {
            return elf.uprobeOffset(bare) == offset ? bare : versioned;
        } catch (ElfSymbolException e) {
            return versioned;
        }
    }

    private static int plainer(ElfSymbol a, ElfSymbol b) {
        int underscores = Integer.compare(leadingUnderscores(a.name()), leadingUnderscores(b.name()));
        if (underscores != 0) {
            return underscores;
        }
        int global = Boolean.compare(b.binding() != ElfSymbol.STB_LOCAL, a.binding() != ElfSymbol.STB_LOCAL);
        return global != 0 ? global : Integer.compare(a.name().length(), b.name().length());
    }

    private static int leadingUnderscores(String name) {
        int n = 0;
        while (n < name.length() && name.charAt(n) == '_') {
            n++;
        }
        return n;
    }

    private static Object fileKey(Path p) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
            return attributes.isRegularFile() ? attributes.fileKey() : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
