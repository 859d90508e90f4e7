package io.bpfscope.probes.jsse;

import com.sun.jna.Native;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.bridge.sys.LibC;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * HotSpot's attach protocol, spoken directly as jattach and the JDK's {@code jdk.attach} do, so the
 * capture (root) can reach JVMs of any user and in any mount namespace: create
 * {@code .attach_pid<nspid>} in the JVM's /tmp (owned by the JVM's user, which HotSpot checks), send
 * SIGQUIT, wait for the JVM's listener socket {@code /tmp/.java_pid<nspid>}, connect through
 * {@code /proc/PID/root}, send {@code 1\0COMMAND\0ARG\0ARG\0ARG\0}, read the status line and the output.
 * Every path under the JVM's root is opened without following a link the JVM's side may have planted.
 */
final class HotSpotAttach {
    private static final LibC LIBC = LibC.INSTANCE;
    private static final int LISTENER_WAIT_MILLIS = 5000;

    /** A command's outcome: HotSpot's status (0 is success) and what it printed. */
    record Response(int status, String output) {
    }

    private HotSpotAttach() {
    }

    /** Runs one attach command (at most three arguments) in {@code jvm}. */
    static Response execute(JvmProcess jvm, String command, String... arguments) throws IOException {
        int tmp = openTmp(jvm);
        try {
            String socketName = ".java_pid" + jvm.namespacePid();
            Path socket = Path.of("/proc/self/fd/" + tmp, socketName);
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                startListener(jvm, tmp, socket);
            }
            try (UnixSocket connection = UnixSocket.connect(socket.toString())) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                for (String part : new String[] {"1", command, arg(arguments, 0), arg(arguments, 1), arg(arguments, 2)}) {
                    request.writeBytes(part.getBytes(StandardCharsets.UTF_8));
                    request.write(0);
                }
                connection.write(request.toByteArray());
                return response(connection);
            }
        } finally {
            LIBC.close(tmp);
        }
    }

    /** Loads a Java agent: what {@code VirtualMachine.loadAgent(jar, options)} sends. */
    static void loadAgent(JvmProcess jvm, String jarInTarget, String options) throws IOException {
        Response response = execute(jvm, "load", "instrument", "false", jarInTarget + "=" + options);
        String output = response.output().strip();
        if (response.status() != 0 || !(output.isEmpty() || output.equals("0") || output.equals("return code: 0"))) {
            throw new IOException("loading the agent failed: " + (output.isEmpty() ? "status " + response.status()
                    : output.lines().findFirst().orElse(output)));
        }
    }

    /** The JVM's system properties (the {@code properties} command), unescaped enough for plain values. */
    static Map<String, String> properties(JvmProcess jvm) throws IOException {
        Response response = execute(jvm, "properties");
        if (response.status() != 0) {
            throw new IOException("reading its properties failed: status " + response.status());
        }
        Map<String, String> properties = new HashMap<>();
        for (String line : response.output().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#")) {
                properties.put(line.substring(0, equals), line.substring(equals + 1).replace("\\:", ":"));
            }
        }
        return properties;
    }

    /** The JVM's /tmp, as a directory descriptor: {@code /proc/PID/root/tmp}, which must not be a link. */
    static int openTmp(JvmProcess jvm) throws IOException {
        String path = jvm.root().resolve("tmp").toString();
        int fd = LIBC.openat(LibC.AT_FDCWD, path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("opening its /tmp: " + LIBC.strerror(Native.getLastError()));
        }
        return fd;
    }

    /**
     * Asks the JVM to start its attach listener. SIGQUIT goes only to a JVM that catches it: one that
     * does not yet (still starting) or never will (-Xrs) would die of it.
     */
    private static void startListener(JvmProcess jvm, int tmp, Path socket) throws IOException {
        if (jvm.attachDisabledBy() != null) {
            throw new IOException("attaching is disabled (-XX:+DisableAttachMechanism in " + jvm.attachDisabledBy() + ")");
        }
        if (!jvm.catchesQuit()) {
            throw new IOException("it does not catch SIGQUIT (still starting, or run with -Xrs): no attach listener");
        }
        String triggerName = ".attach_pid" + jvm.namespacePid();
        int trigger = LIBC.openat(tmp, triggerName,
                LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0600);
        boolean ours = trigger >= 0;
        if (!ours && Native.getLastError() != Errno.EEXIST) {
            throw new IOException("creating " + triggerName + " in its /tmp: " + LIBC.strerror(Native.getLastError()));
        }
        try {
            if (ours) {
                LIBC.fchown(trigger, jvm.uid(), jvm.gid()); // HotSpot trusts only a trigger of its own user (or root)
                LIBC.close(trigger);
            }
            if (LIBC.kill(jvm.pid(), LibC.SIGQUIT) != 0) {
                throw new IOException("signalling it: " + LIBC.strerror(Native.getLastError()));
            }
            long deadline = System.nanoTime() + LISTENER_WAIT_MILLIS * 1_000_000L;
            while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no attach listener after " + LISTENER_WAIT_MILLIS / 1000
                            + " s (attaching disabled, or not a HotSpot JVM)");
                }
                sleep(20);
            }
        } finally {
            if (ours) {
                LIBC.unlinkat(tmp, triggerName, 0);
            }
        }
    }

    private static Response response(UnixSocket connection) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            if (!connection.await(500)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the JVM did not answer within 10 s");
                }
                continue;
            }
            int n = connection.read(buffer, 0);
            if (n == 0) {
                break;
            }
            if (all.size() > (4 << 20)) {
                throw new IOException("the JVM's answer is larger than 4 MiB");
            }
            all.write(buffer, 0, n);
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String first = newline < 0 ? text : text.substring(0, newline);
        try {
            return new Response(Integer.parseInt(first.strip()), newline < 0 ? "" : text.substring(newline + 1));
        } catch (NumberFormatException e) {
            throw new IOException("not an attach listener's answer: " + first);
        }
    }

    private static String arg(String[] arguments, int index) {
        return index < arguments.length ? arguments[index] : "";
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
