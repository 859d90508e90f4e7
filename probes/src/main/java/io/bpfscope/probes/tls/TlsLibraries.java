package io.bpfscope.probes.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Finds the TLS library files to put uprobes on: those the dynamic linker's cache
 * knows, those running processes have mapped (a container's, a bundled copy), and
 * those the user named. A file is listed once however many paths lead to it, since
 * a uprobe belongs to the file (inode), and two on one file would report every call twice.
 * Stateless; each call looks again.
 */
final class TlsLibraries {
    /** libssl.so.3, libssl.so.1.1, libgnutls.so.30, libnspr4.so; not NSS's libssl3.so, which has no SSL_read. */
    private static final Pattern TLS_LIBRARY = Pattern.compile("lib(ssl\\.so\\.\\d[\\d.]*|gnutls\\.so\\.\\d[\\d.]*|nspr4\\.so)");
    private static final List<String> LDCONFIG = List.of("/sbin/ldconfig", "/usr/sbin/ldconfig");
    private static final List<String> FALLBACK_DIRS = List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib",
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/usr/local/lib", "/usr/local/lib64");
    private static final List<String> FALLBACK_NAMES = List.of("libssl.so.3", "libssl.so.1.1", "libgnutls.so.30", "libnspr4.so");

    /** A file to attach to: the path to open, and where it was found ({@code --lib}, {@code ld.so.cache}, {@code pid 123}). */
    record Library(Path path, String origin) {
        boolean userGiven() {
            return origin.equals("--lib");
        }
    }

    private TlsLibraries() {
    }

    static boolean isTlsLibraryName(String fileName) {
        return TLS_LIBRARY.matcher(fileName).matches();
    }

    /** Every library to attach to, user paths first; a path given that does not exist goes to {@code warnings}. */
    static List<Library> find(List<Path> userPaths, Consumer<String> warnings) {
        Map<Object, Library> byFile = new LinkedHashMap<>();
        for (Path p : userPaths) {
            Object key = fileKey(p);
            if (key == null) {
                warnings.accept("tls: --lib " + p + ": no such readable file");
                continue;
            }
            byFile.putIfAbsent(key, new Library(p, "--lib"));
        }
        for (Path p : installed()) {
            Object key = fileKey(p);
            if (key != null) {
                byFile.putIfAbsent(key, new Library(p, "ld.so.cache"));
            }
        }
        for (Library library : mappedByProcesses()) {
            Object key = fileKey(library.path());
            if (key != null) {
                byFile.putIfAbsent(key, library);
            }
        }
        return List.copyOf(byFile.values());
    }

    /** Whether any TLS library is installed or mapped here: for availability, without --lib. */
    static boolean anyPresent() {
        return !installed().isEmpty() || !mappedByProcesses().isEmpty();
    }

    /** The TLS libraries in the dynamic linker's cache ({@code ldconfig -p}), or in the usual directories without it. */
    static List<Path> installed() {
        Set<Path> found = new LinkedHashSet<>();
        for (String ldconfig : LDCONFIG) {
            if (Files.isExecutable(Path.of(ldconfig))) {
                for (String line : run(ldconfig, "-p")) {
                    // "\tlibssl.so.3 (libc6,x86-64) => /lib/x86_64-linux-gnu/libssl.so.3"
                    int arrow = line.indexOf(" => ");
                    String name = line.strip().split(" ", 2)[0];
                    if (arrow > 0 && isTlsLibraryName(name)) {
                        found.add(Path.of(line.substring(arrow + 4).strip()));
                    }
                }
                break;
            }
        }
        if (found.isEmpty()) {
            for (String dir : FALLBACK_DIRS) {
                for (String name : FALLBACK_NAMES) {
                    Path p = Path.of(dir, name);
                    if (Files.isRegularFile(p)) {
                        found.add(p);
                    }
                }
            }
        }
        return found.stream().filter(Files::isReadable).toList();
    }

    /**
     * TLS libraries mapped by running processes, one per distinct path. A process in
     * another mount namespace sees other files under the same path: those are opened
     * through {@code /proc/PID/root}.
     */
    static List<Library> mappedByProcesses() {
        Map<String, Library> byPath = new LinkedHashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
            for (Path proc : procs) {
                for (String mapped : tlsMappings(proc)) {
                    String pid = proc.getFileName().toString();
                    if (byPath.containsKey(mapped)) {
                        continue;
                    }
                    Path inRoot = proc.resolve("root").resolve(mapped.substring(1));
                    Object key = fileKey(inRoot);
                    if (key == null) {
                        continue; // gone meanwhile
                    }
                    Path plain = Path.of(mapped);
                    Path open = key.equals(fileKey(plain)) ? plain : inRoot;
                    byPath.put(mapped, new Library(open, "pid " + pid));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return List.copyOf(byPath.values()); // /proc unreadable: the cache and --lib remain
        }
        return List.copyOf(byPath.values());
    }

    /** The TLS library paths in one process's maps; none if it exited or cannot be read. */
    private static Set<String> tlsMappings(Path proc) {
        Set<String> paths = new LinkedHashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve("maps"), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return paths;
        }
        for (String line : lines) {
            int slash = line.indexOf('/');
            if (slash < 0 || line.endsWith(" (deleted)")) {
                continue; // anonymous, or a file replaced since (an upgraded library: the process must restart)
            }
            String path = line.substring(slash);
            if (isTlsLibraryName(path.substring(path.lastIndexOf('/') + 1))) {
                paths.add(path);
            }
        }
        return paths;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Device and inode of the file a path leads to, or null if it cannot be read. */
    static Object fileKey(Path p) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class);
            return attributes.isRegularFile() ? attributes.fileKey() : null;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The output lines of a short command (ldconfig -p); none if it fails. */
    private static List<String> run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> lines = new ArrayList<>();
            try (InputStream out = process.getInputStream()) {
                process.getOutputStream().close();
                lines.addAll(new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            return process.exitValue() == 0 ? lines : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
