package io.bpfscope.probes.jsse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process that runs a JVM, as /proc tells it (root reads every process's entries): which JVM,
 * its ids in our pid namespace and in its own, its effective user, and whether it can be attached
 * to at all. A snapshot; the process may exit at any time (then reads fail with an IOException).
 */
record JvmProcess(int pid, long startTime, Vm vm, int namespacePid, int uid, int gid, String comm,
                  boolean catchesQuit, String attachDisabledBy) {

    enum Vm { HOTSPOT, J9 }

    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    /** The JVM in {@code pid}, or empty when it runs none (yet: a launcher maps libjvm a moment after exec). */
    static Optional<JvmProcess> inspect(int pid) throws IOException {
        Path proc = Path.of("/proc", Integer.toString(pid));
        Vm vm = null;
        for (String line : Files.readAllLines(proc.resolve("maps"), StandardCharsets.ISO_8859_1)) {
            if (line.endsWith("/libjvm.so")) {
                vm = Vm.HOTSPOT;
                break;
            }
            if (line.contains("/libj9vm")) {
                vm = Vm.J9;
                break;
            }
        }
        if (vm == null) {
            return Optional.empty();
        }
        int nsPid = pid;
        int euid = -1;
        int egid = -1;
        boolean catchesQuit = false;
        for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.ISO_8859_1)) {
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "NSpid:" -> nsPid = Integer.parseInt(words[words.length - 1]);
                case "Uid:" -> euid = Integer.parseInt(words[2]);
                case "Gid:" -> egid = Integer.parseInt(words[2]);
                case "SigCgt:" -> catchesQuit = (Long.parseUnsignedLong(words[1], 16) & SIGQUIT_BIT) != 0;
                default -> { }
            }
        }
        String comm = Files.readString(proc.resolve("comm"), StandardCharsets.ISO_8859_1).strip();
        return Optional.of(new JvmProcess(pid, startTime(pid), vm, nsPid, euid, egid, comm, catchesQuit,
                attachDisabledBy(proc)));
    }

    /** The process's start, in clock ticks after boot: with the pid, names it across pid reuse. */
    static long startTime(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        String[] afterComm = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(afterComm[19]); // field 22 of stat; the list starts at field 3
    }

    /** Where -XX:+DisableAttachMechanism was given (the command line or an options variable), or null. */
    private static String attachDisabledBy(Path proc) throws IOException {
        String flag = "-XX:+DisableAttachMechanism";
        for (String argument : nulSeparated(Files.readAllBytes(proc.resolve("cmdline")))) {
            if (argument.equals(flag)) {
                return "its command line";
            }
        }
        for (String variable : nulSeparated(Files.readAllBytes(proc.resolve("environ")))) {
            for (String name : List.of("JAVA_TOOL_OPTIONS=", "JDK_JAVA_OPTIONS=", "_JAVA_OPTIONS=")) {
                if (variable.startsWith(name) && variable.contains(flag)) {
                    return name.substring(0, name.length() - 1);
                }
            }
        }
        return null;
    }

    private static List<String> nulSeparated(byte[] bytes) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i > start) {
                    parts.add(new String(bytes, start, i - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return parts;
    }

    /** Its root directory as we reach it: its own mount namespace's view (a container's files). */
    Path root() {
        return Path.of("/proc", Integer.toString(pid), "root");
    }

    /** {@code pid 1234 (java)}. */
    String name() {
        return "pid " + pid + " (" + comm + ")";
    }
}
