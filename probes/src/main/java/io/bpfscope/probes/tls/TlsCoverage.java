package io.bpfscope.probes.tls;

import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.probes.golang.GoBinary;
import io.bpfscope.probes.golang.GoTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which running processes use TLS, and whether the tls probe can see their
 * plaintext: dynamically linked libssl, libgnutls and NSS (libnss3, whose
 * reads and writes go through libnspr4), and OpenSSL or BoringSSL linked
 * into the executable (its SSL_read/SSL_write symbols), and Go's crypto/tls
 * (found in stripped Go binaries too). Each finding says
 * why it can or cannot be traced, and the file the tls probe attaches to
 * ({@code --lib}). A scan of {@code /proc}; stateless, each call looks again.
 */
public final class TlsCoverage {
    private static final Pattern LIBSSL = Pattern.compile("libssl\\.so\\.\\d[\\d.]*");
    private static final Pattern LIBGNUTLS = Pattern.compile("libgnutls\\.so\\.\\d+");
    private static final Pattern LIBNSS = Pattern.compile("libnss3\\.so");
    private static final Pattern LIBNSPR = Pattern.compile("libnspr4\\.so");

    /**
     * One TLS implementation in one process.
     *
     * @param library   the file as the process maps it (its executable, for a static one)
     * @param kind      {@code libssl}, {@code libgnutls}, {@code libnss3}, {@code static OpenSSL}...
     * @param attachTo  the file the tls probe attaches to, readable from here; null when it cannot
     */
    public record Finding(int pid, String comm, String library, String kind, boolean traceable, String why,
                          Path attachTo) {
        /** As plain values, for the {@value #QUERY} host query. */
        public java.util.Map<String, Object> toRow() {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("pid", pid);
            row.put("comm", comm);
            row.put("library", library);
            row.put("kind", kind);
            row.put("traceable", traceable);
            row.put("why", why);
            row.put("attach_to", attachTo == null ? null : attachTo.toString());
            return row;
        }

        /** From {@link #toRow()}'s values as they come back (numbers may have become doubles). */
        public static Finding fromRow(java.util.Map<String, Object> row) {
            Object attach = row.get("attach_to");
            return new Finding(((Number) row.get("pid")).intValue(), String.valueOf(row.get("comm")),
                    String.valueOf(row.get("library")), String.valueOf(row.get("kind")),
                    Boolean.TRUE.equals(row.get("traceable")), String.valueOf(row.get("why")),
                    attach == null ? null : Path.of(attach.toString()));
        }
    }

    /** The host query that lists the processes using TLS (other users' maps: root reads them). */
    public static final String QUERY = "tls-coverage";

    /** {@link #scan()} as rows, the {@value #QUERY} host query's answer. */
    public static java.util.List<java.util.Map<String, Object>> rows() {
        return scan().stream().map(Finding::toRow).toList();
    }

    private TlsCoverage() {
    }

    /** Every TLS user among the running processes, by pid. Processes that cannot be read are left out. */
    public static List<Finding> scan() {
        List<Finding> all = new ArrayList<>();
        Map<Path, Optional<ElfFile>> elfs = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            List<Path> sorted = new ArrayList<>();
            procs.forEach(sorted::add);
            sorted.sort((a, b) -> Integer.compare(pid(a), pid(b)));
            for (Path proc : sorted) {
                all.addAll(scan(pid(proc), elfs));
            }
        } catch (IOException | UncheckedIOException e) {
            return all; // /proc unreadable: what was found so far
        }
        return all;
    }

    /** The TLS implementations one process uses; none if it has gone or cannot be read. */
    public static List<Finding> scan(int pid) {
        return scan(pid, new HashMap<>());
    }

    private static List<Finding> scan(int pid, Map<Path, Optional<ElfFile>> elfs) {
        Path proc = Path.of("/proc", Integer.toString(pid));
        List<String> lines;
        String comm;
        try {
            lines = Files.readAllLines(proc.resolve("maps"), StandardCharsets.UTF_8);
            comm = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        // Path -> replaced on disk since it was mapped; in map order, one entry per file.
        Map<String, Boolean> mapped = new LinkedHashMap<>();
        for (String line : lines) {
            int slash = line.indexOf('/');
            // Only code the process can run: a file merely mapped to be read (bpfscope's own ELF reader
            // maps libssl to find its symbols) is no TLS the process uses. "addr perms ...": perms[2] is x.
            int perms = line.indexOf(' ') + 1;
            if (slash < 0 || perms <= 0 || perms + 2 >= line.length() || line.charAt(perms + 2) != 'x') {
                continue;
            }
            String path = line.substring(slash);
            boolean deleted = path.endsWith(" (deleted)");
            mapped.merge(deleted ? path.substring(0, path.length() - " (deleted)".length()) : path, deleted,
                    Boolean::logicalOr);
        }
        List<Finding> found = new ArrayList<>();
        boolean nspr = mapped.keySet().stream().anyMatch(p -> LIBNSPR.matcher(fileName(p)).matches());
        for (Map.Entry<String, Boolean> m : mapped.entrySet()) {
            String name = fileName(m.getKey());
            String kind = LIBSSL.matcher(name).matches() ? "libssl" : LIBGNUTLS.matcher(name).matches() ? "libgnutls"
                    : LIBNSS.matcher(name).matches() ? "libnss3" : null;
            if (kind == null) {
                continue;
            }
            if (m.getValue()) {
                found.add(new Finding(pid, comm, m.getKey(), kind, false,
                        "the library was replaced on disk after the process started (an upgrade?): restart the process",
                        null));
                continue;
            }
            Path file = reachable(proc, m.getKey());
            if (kind.equals("libnss3")) {
                Optional<String> pr = mapped.keySet().stream().filter(p -> LIBNSPR.matcher(fileName(p)).matches()).findFirst();
                found.add(nspr ? new Finding(pid, comm, m.getKey(), kind, true,
                        "through libnspr4 (PR_Read/PR_Write), which it has loaded", reachable(proc, pr.get()))
                        : new Finding(pid, comm, m.getKey(), kind, false, "libnspr4 is not loaded: NSS's I/O is not seen", null));
                continue;
            }
            found.add(library(pid, comm, m.getKey(), kind, file, elfs));
        }
        executable(pid, comm, proc, elfs).ifPresent(found::add);
        return found;
    }

    /** A dynamically linked library: traceable when it has the functions the tls probe hooks. */
    private static Finding library(int pid, String comm, String mapped, String kind, Path file,
                                   Map<Path, Optional<ElfFile>> elfs) {
        Optional<ElfFile> elf = file == null ? Optional.empty() : elf(file, elfs);
        if (elf.isEmpty()) {
            return new Finding(pid, comm, mapped, kind, false, "cannot read the library from here", null);
        }
        if (elf.get().machine() != TlsProbe.hostMachine()) {
            return new Finding(pid, comm, mapped, kind, false, "built for another machine than this host", null);
        }
        List<String> hooked = hooked(elf.get());
        return hooked.isEmpty()
                ? new Finding(pid, comm, mapped, kind, false, "none of the functions the tls probe hooks is exported", null)
                : new Finding(pid, comm, mapped, kind, true, "hooks " + String.join(", ", hooked), file);
    }

    /** OpenSSL or BoringSSL linked into the executable, or Go's own TLS; empty for anything else. */
    private static Optional<Finding> executable(int pid, String comm, Path proc, Map<Path, Optional<ElfFile>> elfs) {
        Path exe;
        String shown;
        try {
            shown = Files.readSymbolicLink(proc.resolve("exe")).toString();
            exe = proc.resolve("exe");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty(); // a kernel thread, or not ours to read
        }
        if (LIBSSL.matcher(fileName(shown)).matches()) {
            return Optional.empty();
        }
        Optional<ElfFile> elf = elf(exe, elfs);
        if (elf.isEmpty()) {
            return Optional.empty();
        }
        if (elf.get().hasSymbol("SSL_write") || elf.get().hasSymbol("SSL_read")) {
            String kind = elf.get().hasSymbol("BORINGSSL_self_test") ? "static BoringSSL" : "static OpenSSL";
            List<String> hooked = hooked(elf.get());
            return Optional.of(new Finding(pid, comm, shown, kind, true, "hooks " + String.join(", ", hooked)
                    + " in the executable (attach with --lib)", reachable(proc, shown)));
        }
        return goTls(pid, comm, shown, exe, elf.get());
    }

    /** Go's crypto/tls: covered (with the Go version and where its functions were found), or why not. */
    private static Optional<Finding> goTls(int pid, String comm, String shown, Path exe, ElfFile elf) {
        Optional<GoTls.Inspection> go;
        try {
            go = GoBinary.mayBeGo(elf) ? GoTls.inspect(exe, elf) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return go.map(g -> new Finding(pid, comm, shown, "Go crypto/tls", g.covered(),
                g.describe().substring("Go crypto/tls ".length()) + (g.covered() ? " automatically" : ""),
                g.covered() ? exe : null));
    }

    private static List<String> hooked(ElfFile elf) {
        List<String> names = new ArrayList<>();
        for (TlsFunction f : TlsFunction.values()) {
            if (elf.hasSymbol(f.symbol())) {
                names.add(f.symbol());
            }
        }
        return names;
    }

    /** The path as this process sees it, or through /proc/PID/root when it lives in another mount namespace. */
    private static Path reachable(Path proc, String mapped) {
        Path plain = Path.of(mapped);
        Object key = TlsLibraries.fileKey(proc.resolve("root").resolve(mapped.substring(1)));
        if (key == null) {
            return null;
        }
        return key.equals(TlsLibraries.fileKey(plain)) ? plain : proc.resolve("root").resolve(mapped.substring(1));
    }

    private static Optional<ElfFile> elf(Path file, Map<Path, Optional<ElfFile>> cache) {
        Path key;
        try {
            key = file.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(key, k -> {
            try {
                return Optional.of(ElfFile.open(k));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static int pid(Path proc) {
        return Integer.parseInt(proc.getFileName().toString());
    }
}
