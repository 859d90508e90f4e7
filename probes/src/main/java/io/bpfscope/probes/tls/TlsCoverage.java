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
 * Which running processes use TLS, what implementation, and whether the tls
 * probe covers it: OpenSSL, BoringSSL, GnuTLS and NSS libraries (NSS's reads
 * and writes go through libnspr4), OpenSSL or BoringSSL linked into the
 * executable (its SSL_read/SSL_write symbols), Go's crypto/tls (stripped Go
 * binaries too), rustls, and Java's JSSE. Each finding says why it is or is
 * not covered, and the file the tls probe attaches to. A JVM's TLS is JSSE
 * whatever native libraries it maps: a libssl it loaded is listed for the
 * native code that may call it, and the JVM gets a {@value #JAVA} row of its
 * own. A scan of {@code /proc}; stateless, each call looks again.
 */
public final class TlsCoverage {
    private static final Pattern LIBSSL = Pattern.compile("libssl\\.so\\.\\d[\\d.]*");
    private static final Pattern LIBGNUTLS = Pattern.compile("libgnutls\\.so\\.\\d[\\d.]*"); // maps show the file: libgnutls.so.30.34.3
    private static final Pattern LIBNSS = Pattern.compile("libnss3\\.so");
    private static final Pattern LIBNSPR = Pattern.compile("libnspr4\\.so");

    /**
     * One TLS implementation in one process.
     *
     * @param library   the file as the process maps it (its executable, for a static one)
     * @param kind      {@code OpenSSL library}, {@code GnuTLS library}, {@code NSS library}, {@code static OpenSSL},
     *                  {@code static BoringSSL}, {@code Go crypto/tls}, {@code rustls}, {@value #JAVA}
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

    /** What a JVM is listed as: its TLS is JSSE, Java code, which the jsse probe covers (the tls probe cannot). */
    public static final String JAVA = "Java (JSSE)";

    /**
     * The jsse probe's class: on the class path exactly when the catalog offers jsse. Looked up as a
     * resource, because the catalog names this package and this package may not name the catalog.
     */
    private static final String JSSE_PROBE_CLASS = "/io/bpfscope/probes/jsse/JsseProbe.class";

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
            String kind = LIBSSL.matcher(name).matches() ? "OpenSSL library"
                    : LIBGNUTLS.matcher(name).matches() ? "GnuTLS library"
                    : LIBNSS.matcher(name).matches() ? "NSS library" : null;
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
            if (kind.equals("NSS library")) {
                Optional<String> pr = mapped.keySet().stream().filter(p -> LIBNSPR.matcher(fileName(p)).matches()).findFirst();
                found.add(nspr ? new Finding(pid, comm, m.getKey(), kind, true,
                        "covered automatically, through libnspr4 (PR_Read/PR_Write), which it has loaded",
                        reachable(proc, pr.get()))
                        : new Finding(pid, comm, m.getKey(), kind, false,
                                "not covered: libnspr4 is not loaded, so NSS's I/O is not seen", null));
                continue;
            }
            found.add(library(pid, comm, m.getKey(), kind, file, elfs));
        }
        Optional<String> jvm = mapped.keySet().stream().filter(p -> fileName(p).equals("libjvm.so")).findFirst();
        if (jvm.isPresent()) {
            // A JVM's own TLS is JSSE: a libssl it maps serves only native code (JNI, netty-tcnative).
            found.replaceAll(f -> f.traceable() ? new Finding(f.pid(), f.comm(), f.library(), f.kind(), true,
                    f.why() + ", for native code in this JVM that calls it; its Java HTTPS is JSSE (see " + JAVA + ")",
                    f.attachTo()) : f);
            found.add(java(pid, comm, jvm.get()));
        } else {
            executable(pid, comm, proc, elfs).ifPresent(found::add);
        }
        return found;
    }

    /** A JVM: JSSE, covered by the jsse probe when the catalog has one, never by tls. */
    private static Finding java(int pid, String comm, String libjvm) {
        boolean jsse = TlsCoverage.class.getResource(JSSE_PROBE_CLASS) != null;
        return new Finding(pid, comm, libjvm, JAVA, false, jsse
                ? "covered by jsse, not tls: Java's TLS (JSSE) is Java code; record -p jsse loads an agent into the JVM"
                : "not covered: needs the jsse probe (Java's TLS, JSSE, is Java code, which no uprobe on a C library sees)",
                null);
    }

    /** A dynamically linked library: traceable when it has the functions the tls probe hooks. */
    private static Finding library(int pid, String comm, String mapped, String kind, Path file,
                                   Map<Path, Optional<ElfFile>> elfs) {
        Optional<ElfFile> elf = file == null ? Optional.empty() : elf(file, elfs);
        if (elf.isEmpty()) {
            return new Finding(pid, comm, mapped, kind, false, "cannot read the library from here", null);
        }
        if (elf.get().machine() != TlsProbe.hostMachine()) {
            return new Finding(pid, comm, mapped, kind, false, "not covered: built for another machine than this host", null);
        }
        List<String> hooked = hooked(elf.get());
        if (kind.equals("OpenSSL library") && elf.get().hasSymbol("BORINGSSL_self_test")) {
            kind = "BoringSSL library";
        }
        return hooked.isEmpty()
                ? new Finding(pid, comm, mapped, kind, false,
                        "not covered: none of the functions the tls probe hooks is exported (give another with --lib)", null)
                : new Finding(pid, comm, mapped, kind, true, "covered automatically: hooks " + String.join(", ", hooked),
                        file);
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
            return Optional.of(new Finding(pid, comm, shown, kind, true, "covered automatically: hooks "
                    + String.join(", ", hooked) + " in the executable", reachable(proc, shown)));
        }
        Optional<Finding> go = goTls(pid, comm, shown, exe, elf.get());
        return go.isPresent() ? go : rustls(pid, comm, shown, elf.get());
    }

    /**
     * rustls linked into a Rust executable: its crate paths and messages stay in .rodata even when
     * the binary is stripped. Not covered: Rust code, with no stable C symbol to hook.
     */
    private static Optional<Finding> rustls(int pid, String comm, String shown, ElfFile elf) {
        Optional<java.nio.ByteBuffer> rodata = elf.section(".rodata");
        if (rodata.isEmpty() || !contains(rodata.get(), "rustls".getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new Finding(pid, comm, shown, "rustls", false,
                "not covered: rustls is Rust code, inlined and without stable symbols; the tls probe hooks C"
                        + " libraries (OpenSSL, BoringSSL, GnuTLS, NSS) and Go", null));
    }

    private static boolean contains(java.nio.ByteBuffer haystack, byte[] needle) {
        int last = haystack.limit() - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack.get(i) != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
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
                (g.covered() ? "covered automatically" : "not covered: " + g.notCovered()) + " (" + g.details() + ")",
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
