package io.bpfscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.Await;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sudo ./bpfscope}, for real, on the packaged app: the launcher run as root with SUDO_UID of a
 * test user starts the window as that user (its /proc status says so) and only the capture helper
 * as root; exec attached in the window sees processes start; the capture saved from the window
 * belongs to the user; and when the window is killed, the helper notices and exits, leaving no
 * BPF link behind. Runs after {@code package} (failsafe), under a private Xvfb.
 */
@Tag("bpf")
class PrivilegeSplitIT {
    private static final String TEST_USER = "bpfscope-test";

    @TempDir
    Path dir;

    @Test
    @RequiresBpf("the privilege split needs root")
    void sudoStartsTheWindowAsTheUserAndOnlyTheHelperAsRoot() throws Exception {
        int uid = testUser();
        Path app = installedCopy();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // the user may pass through
        Path saves = Files.createDirectory(dir.resolve("saves"));
        Files.setPosixFilePermissions(saves, PosixFilePermissions.fromString("rwx------"));
        run("chown", uid + ":" + uid, saves.toString());
        Path saved = saves.resolve("live.bscap");

        String display = ":" + (150 + ProcessHandle.current().pid() % 50);
        Process xvfb = new ProcessBuilder("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(dir.resolve("xvfb.log").toFile()).start();
        Process launcher = null;
        try {
            Await.until("Xvfb's display socket", Duration.ofSeconds(10), () -> Files.exists(Path.of("/tmp/.X11-unix/X" + display.substring(1))));
            ProcessBuilder builder = new ProcessBuilder(app.resolve("bpfscope").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("SUDO_") || k.equals("XAUTHORITY") || k.startsWith("BPFSCOPE"));
            env.put("SUDO_UID", Integer.toString(uid));
            env.put("SUDO_GID", Integer.toString(uid));
            env.put("SUDO_USER", TEST_USER);
            env.put("DISPLAY", display);
            env.put("BPFSCOPE_UI_SHOW", "attach=exec;wait;wait;wait;wait;wait;wait;wait;wait;save=" + saved);
            launcher = builder.start();

            // The window, and who runs it.
            Optional<Long> window = waitForProcess("-Dbpfscope.helper=stdio", 60_000);
            assertThat(window).as(log()).isPresent();
            assertThat(ids(window.get(), "Uid:")).as("the window's uids").containsOnly((long) uid);
            assertThat(ids(window.get(), "Gid:")).as("the window's gids").containsOnly((long) uid);
            Optional<Long> helper = waitForProcess("-Dbpfscope.window.classpath=", 1000);
            assertThat(helper).isPresent();
            assertThat(ids(helper.get(), "Uid:")).as("the helper's uids").containsOnly(0L);

            // Processes start while exec is attached in the window; the window saves what it saw.
            // The save is renamed into place whole (AtomicOutput): once it exists, it is complete.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(saved) && System.nanoTime() < deadline) {
                new ProcessBuilder("/bin/true", "bpfscope-split-test").start().waitFor();
                Thread.sleep(100);
            }
            assertThat(saved).as(log()).exists();
            assertThat(Files.getAttribute(saved, "unix:uid")).isEqualTo(uid);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
            try (CaptureReader reader = CaptureReader.open(saved)) {
                long events = 0;
                while (reader.next() != null) {
                    events++;
                }
                assertThat(reader.header().probes()).extracting(CaptureHeader.ProbeEntry::name).contains("exec");
                assertThat(events).as("exec events the window received from the helper").isPositive();
            }

            assertThat(bpfLinksOf(helper.get())).as("the helper holds exec's links").isPositive();

            // Killing the window closes its pipe: the helper detaches everything and exits.
            run("kill", "-KILL", Long.toString(window.get()));
            assertThat(launcher.waitFor(20, TimeUnit.SECONDS)).as("the launcher and helper exit").isTrue();
            assertThat(ProcessHandle.of(helper.get()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(bpfLinksOf(helper.get())).as("BPF links left behind by the helper").isZero();
        } finally {
            if (launcher != null && launcher.isAlive()) {
                launcher.descendants().forEach(ProcessHandle::destroyForcibly);
                launcher.destroyForcibly();
            }
            xvfb.destroyForcibly();
            run("rm", "-rf", app.toString());
        }
    }

    /** The test user's uid, created on first use. */
    private static int testUser() throws Exception {
        Process id = new ProcessBuilder("id", "-u", TEST_USER).start();
        if (id.waitFor() != 0) {
            run("useradd", "--create-home", "--shell", "/bin/sh", TEST_USER);
            id = new ProcessBuilder("id", "-u", TEST_USER).start();
            id.waitFor();
        }
        return Integer.parseInt(new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    /**
     * The launcher and the packaged jars in a root-owned, world-readable folder, as a package would
     * install them (the checkout may sit in /root, which the test user cannot enter).
     */
    private Path installedCopy() throws Exception {
        Path checkout = Path.of(System.getProperty("user.dir")).getParent(); // app/ -> the repository
        Path app = Files.createDirectories(Path.of("/tmp").resolve("bpfscope-it-" + ProcessHandle.current().pid()));
        run("rm", "-rf", app.toString());
        Files.createDirectories(app.resolve("app/target"));
        run("cp", checkout.resolve("bpfscope").toString(), app.toString());
        run("cp", "-r", checkout.resolve("app/target/bpfscope.jar").toString(), checkout.resolve("app/target/lib").toString(),
                app.resolve("app/target").toString());
        run("chmod", "-R", "go-w,a+rX", app.toString());
        return app;
    }

    private static Optional<Long> waitForProcess(String argument, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        do {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    if (!proc.getFileName().toString().matches("\\d+")) {
                        continue;
                    }
                    try {
                        String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                        if (cmdline.contains(argument) && cmdline.contains("io.bpfscope.Main")
                                && !cmdline.startsWith("/usr/bin/setpriv")) {
                            return Optional.of(Long.parseLong(proc.getFileName().toString()));
                        }
                    } catch (IOException e) {
                        // gone meanwhile
                    }
                }
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return Optional.empty();
    }

    /** The real, effective, saved and filesystem ids of a "Uid:" or "Gid:" line. */
    private static List<Long> ids(long pid, String line) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith(line)) {
                List<Long> ids = new ArrayList<>();
                for (String id : l.substring(line.length()).trim().split("\\s+")) {
                    ids.add(Long.parseLong(id));
                }
                return ids;
            }
        }
        throw new IOException("no " + line + " in /proc/" + pid + "/status");
    }

    /** BPF programs process {@code pid} holds attached: perf-event tracepoints ("pid N fd M: prog_id ...") and links. */
    private static long bpfLinksOf(long pid) throws Exception {
        long count = 0;
        for (String[] command : List.of(new String[] {"bpftool", "perf", "list"}, new String[] {"bpftool", "link", "list"})) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            count += out.lines().filter(l -> l.startsWith("pid " + pid + " ") || l.contains("(" + pid + ")")).count();
        }
        return count;
    }

    private String log() {
        try {
            return "app log:\n" + Files.readString(dir.resolve("app.log"));
        } catch (IOException e) {
            return "no app log";
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
