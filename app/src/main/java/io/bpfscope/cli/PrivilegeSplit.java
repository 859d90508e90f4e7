package io.bpfscope.cli;

import io.bpfscope.capture.helper.CaptureHelper;
import io.bpfscope.capture.helper.HelperConnection;
import io.bpfscope.io.InvokingUser;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sudo bpfscope}: the window runs as the user who ran sudo, and this root process stays
 * behind as its capture helper (Wireshark's dumpcap split). The window is started through
 * {@code setpriv} with the user's uid, gid and groups, their HOME, and their display (DISPLAY,
 * XAUTHORITY or WAYLAND_DISPLAY, taken from sudo's environment or else from the user's own shell
 * that ran sudo), so no {@code --preserve-env} or {@code xhost} is needed. Its stdin carries the
 * capture stream, its stdout the commands; when the window goes, its pipe closes and the helper
 * detaches everything and exits with the window's exit code.
 */
final class PrivilegeSplit {
    private static final System.Logger LOG = System.getLogger(PrivilegeSplit.class.getName());
    /**
     * What a desktop program needs from the session it draws on; and the user's ssh agent, for the
     * remote hosts the window records on (its ssh runs as the user, with the user's keys).
     */
    private static final List<String> SESSION_VARIABLES = List.of("DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY",
            "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "SSH_AUTH_SOCK");
    /** Passed on from sudo's environment as they are. */
    private static final List<String> KEPT_VARIABLES = List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES",
            "TERM", "COLORTERM", "TZ", "CI", "BPFSCOPE_UI_SHOW", "BPFSCOPE_JAVA_OPTS", "GDK_SCALE", "GDK_DPI_SCALE");

    private PrivilegeSplit() {
    }

    /** The user who ran sudo, when we are root because of sudo (and not already the window). */
    static Optional<User> invokingUser() {
        if (HelperConnection.inherited().isPresent()) {
            return Optional.empty();
        }
        InvokingUser user = InvokingUser.current();
        if (!user.viaSudo()) {
            return Optional.empty();
        }
        var account = InvokingUser.account(user.uid());
        String name = account.map(InvokingUser.Account::name).orElse(Integer.toString(user.uid()));
        return Optional.of(new User(user.uid(), user.gid(), name, user.home() != null ? user.home() : Path.of("/"),
                account.map(InvokingUser.Account::shell).filter(shell -> !shell.isEmpty()).orElse("/bin/sh")));
    }

    /** Starts the window as {@code user} and serves as its helper until it exits; returns its exit code. */
    static int run(User user, List<String> windowArguments) throws IOException, UserError {
        Path setpriv = Path.of("/usr/bin/setpriv");
        if (!Files.isExecutable(setpriv)) {
            throw new UserError(ExitCodes.USAGE, "starting the window as " + user.name() + " needs setpriv "
                    + "(Debian/Ubuntu: apt-get install util-linux); or run the window without sudo: ./bpfscope");
        }
        List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--reuid=" + user.uid(),
                "--regid=" + user.gid(), "--init-groups", "--no-new-privs", "--"));
        command.addAll(windowJava());
        command.add("io.bpfscope.Main");
        command.add("gui");
        command.addAll(windowArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        // The directory sudo was run in, so `sudo ./bpfscope gui capture.bscap` opens the file the user means.
        Path here = Path.of(System.getProperty("user.dir"));
        Path start = Files.isDirectory(here) ? here : Files.isDirectory(user.home()) ? user.home() : Path.of("/");
        builder.directory(start.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment(user));
        LOG.log(Level.INFO, "window as uid " + user.uid() + ": " + command);
        Process window = builder.start();
        CaptureHelper helper = new CaptureHelper(window.getInputStream(), window.getOutputStream(), window.pid());
        try {
            helper.serve(); // returns when the window closes its stdout: it quit, or was killed
        } catch (IOException e) {
            LOG.log(Level.INFO, "the window's pipe broke: " + e.getMessage());
        }
        try {
            return window.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            window.destroy();
            return ExitCodes.INTERNAL;
        }
    }

    /** The same java, class path and JavaFX modules as ours, told that its helper is on stdin/stdout. */
    private static List<String> windowJava() {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.add("-XX:+UseZGC"); // as the launcher gives the window (docs/benchmarks.md, bench pulse)
        java.add("-XX:SoftMaxHeapSize=1g");
        // The user's class-data archive for the window, made by the user's build (the JVM ignores it if stale).
        String archive = System.getProperty("bpfscope.window.cds");
        if (archive != null && Files.isRegularFile(Path.of(archive))) {
            java.add("-XX:SharedArchiveFile=" + archive);
        }
        // The launcher's compiler thresholds for a fast start (JVM flags, no spaces in them).
        for (String flag : System.getProperty("bpfscope.window.jit", "").split(" ")) {
            if (flag.startsWith("-XX:Tier")) {
                java.add(flag);
            }
        }
        // The launcher runs root from a private copy the user cannot read; the window runs the user's own jars.
        String modules = System.getProperty("bpfscope.window.modulepath", System.getProperty("jdk.module.path"));
        if (modules != null && !modules.isEmpty()) {
            java.add("--module-path");
            java.add(modules);
            java.add("--add-modules");
            java.add("javafx.controls,javafx.swing");
        }
        for (String property : List.of("bpfscope.ui.show", "glass.platform", "monocle.platform", "prism.order")) {
            if (System.getProperty(property) != null) {
                java.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        java.add("-D" + HelperConnection.STDIO_PROPERTY + "=stdio");
        java.add("-D" + HelperConnection.UNAVAILABLE_PROPERTY + "="
                + HelperConnection.unavailableProperty(io.bpfscope.probes.catalog.ProbeCatalog.all()));
        java.add("-cp");
        java.add(System.getProperty("bpfscope.window.classpath", System.getProperty("java.class.path")));
        return java;
    }

    private static Map<String, String> environment(User user) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", user.home().toString());
        env.put("USER", user.name());
        env.put("LOGNAME", user.name());
        env.put("SHELL", user.shell());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String name : KEPT_VARIABLES) {
            if (System.getenv(name) != null) {
                env.put(name, System.getenv(name));
            }
        }
        Map<String, String> session = sessionOf(user.uid());
        for (String name : SESSION_VARIABLES) {
            String value = System.getenv(name) != null ? System.getenv(name) : session.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        Path runtime = Path.of("/run/user/" + user.uid());
        if (!env.containsKey("XDG_RUNTIME_DIR") && Files.isDirectory(runtime)) {
            env.put("XDG_RUNTIME_DIR", runtime.toString());
        }
        return env;
    }

    /**
     * The desktop session of the nearest ancestor that runs as {@code uid}: the shell that ran sudo,
     * whose environment sudo did not pass on. Empty when there is none (e.g. sudo from a script run by root).
     */
    private static Map<String, String> sessionOf(int uid) {
        Optional<ProcessHandle> process = ProcessHandle.current().parent();
        for (int depth = 0; depth < 16 && process.isPresent(); depth++) {
            long pid = process.get().pid();
            try {
                if (realUid(pid) == uid) {
                    return environ(pid);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "reading process " + pid + ": " + e.getMessage());
            }
            process = process.get().parent();
        }
        return Map.of();
    }

    private static int realUid(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private static Map<String, String> environ(long pid) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0 && SESSION_VARIABLES.contains(entry.substring(0, eq))) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    /** The user the window runs as. */
    record User(int uid, int gid, String name, Path home, String shell) {
    }
}
