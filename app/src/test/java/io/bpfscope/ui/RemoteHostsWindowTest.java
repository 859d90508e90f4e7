package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.live.MergedSources;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.common.FxTaskRunner;
import io.bpfscope.ui.sources.SourcesViewModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window fed by remote hosts over a real ssh: the test runs Debian's sshd on a free loopback
 * port with a host key and an authorized client key it makes in a temporary folder (no password,
 * its own known_hosts). The "remote" bpfscope is this checkout's, run by sshd as root, each in a UTS
 * namespace of its own so the two sources name two hosts ({@code edge-a}, {@code edge-b}). One comes
 * from the command line's form ({@code ssh://root@127.0.0.1:PORT}), one through File → Add remote
 * host…; a third, as a user with no key there, fails and says ssh's reason. Both hosts' exec events
 * arrive with their host, the host column and filter work, each source's state shows.
 */
@Tag("bpf")
@ExtendWith(ApplicationExtension.class)
class RemoteHostsWindowTest {
    @TempDir
    Path dir;

    private MainWindow window;
    private Process sshd;

    @Start
    void start(Stage stage) {
        MainViewModel viewModel = new MainViewModel("testing offline", new FxTaskRunner());
        window = new MainWindow(viewModel);
        stage.setScene(new Scene(window.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> window.viewModel().close());
        if (sshd != null) {
            sshd.destroy();
        }
    }

    @Test
    @RequiresBpf("the remote bpfscope records, as root")
    void twoRemoteHostsOverSshShowTheirEventsWithTheirHostsAndStates(FxRobot robot) throws Exception {
        int port = startSshd();
        List<String> sshOptions = List.of("IdentityFile=" + dir.resolve("client_key"),
                "UserKnownHostsFile=" + dir.resolve("known_hosts"), "StrictHostKeyChecking=no");
        Path edgeA = remoteBpfscope("edge-a");
        Path edgeB = remoteBpfscope("edge-b");
        SourcesViewModel sources = window.viewModel().sources();

        // gui ssh://root@127.0.0.1:PORT, as the command line gives it
        robot.interact(() -> {
            sources.setDefaults(new SourcesViewModel.RemoteDefaults(List.of("exec"), sshOptions, edgeA.toString()));
            window.viewModel().openAll(List.of("ssh://root@127.0.0.1:" + port));
        });
        // File → Add remote host…
        robot.clickOn("File").clickOn("Add remote host…");
        robot.clickOn("#remote-target").write("root@127.0.0.1:" + port);
        robot.clickOn("#remote-bpfscope").push(KeyCode.CONTROL, KeyCode.A).write(edgeB.toString());
        robot.clickOn("#remote-probes").push(KeyCode.CONTROL, KeyCode.A).write("exec");
        robot.type(KeyCode.ENTER);
        // and one that cannot log in: no key for nobody
        robot.interact(() -> sources.open(List.of("ssh://nobody@127.0.0.1:" + port)));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Set<String> hosts = new TreeSet<>();
        while (System.nanoTime() < deadline && !(hosts.contains("edge-a") && hosts.contains("edge-b"))) {
            new ProcessBuilder("/bin/true", "remote-hosts-test").start().waitFor();
            Thread.sleep(200);
            hosts.addAll(hostsOfExecsShown(robot));
        }
        assertThat(hosts).as(states(robot, sources)).contains("edge-a", "edge-b");

        // The failed login's reason (ssh's last line) comes once ssh has exited.
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> states(robot, sources).contains("FAILED"));
        List<MergedSources.Status> states = statuses(robot, sources);
        assertThat(states).extracting(MergedSources.Status::host).containsExactly("edge-a", "edge-b", "");
        assertThat(states).extracting(MergedSources.Status::state)
                .containsExactly(MergedSources.State.LIVE, MergedSources.State.LIVE, MergedSources.State.FAILED);
        assertThat(states.get(2).reason()).contains("Permission denied");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#source-0").queryAs(Label.class).getText()).contains("root@127.0.0.1:" + port)
                .contains("edge-a").contains("live");
        assertThat(robot.lookup("#source-1").queryAs(Label.class).getText()).contains("edge-b").contains("live");
        assertThat(robot.lookup("#source-2").queryAs(Label.class).getText()).contains("nobody@").contains("failed")
                .contains("Permission denied");
        assertThat(robot.lookup("#column-host").query().isVisible()).isTrue();

        robot.interact(() -> window.viewModel().filter().apply("host == \"edge-b\" && probe == exec"));
        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !table.getItems().isEmpty()
                && table.getItems().stream().allMatch(seq -> window.viewModel().record(seq).host().equals("edge-b")));
    }

    private Set<String> hostsOfExecsShown(FxRobot robot) {
        Set<String> hosts = new TreeSet<>();
        robot.interact(() -> {
            long size = window.viewModel().onScreen().get().store().size();
            for (long seq = Math.max(1, size - 2000); seq <= size; seq++) {
                DecodedRecord record = window.viewModel().record(seq);
                if (record != null && record.probe().equals("exec")
                        && String.valueOf(record.event().summary()).contains("remote-hosts-test")) {
                    hosts.add(record.host());
                }
            }
        });
        return hosts;
    }

    private static List<MergedSources.Status> statuses(FxRobot robot, SourcesViewModel sources) {
        List<List<MergedSources.Status>> copy = new java.util.ArrayList<>();
        robot.interact(() -> copy.add(List.copyOf(sources.statuses())));
        return copy.get(0);
    }

    private static String states(FxRobot robot, SourcesViewModel sources) {
        return "sources: " + statuses(robot, sources);
    }

    /** sshd -D on a free loopback port: its own host key, one authorized key, no passwords. */
    private int startSshd() throws Exception {
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("client_key").toString());
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PidFile none", ""));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return port;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !sshd.isAlive()) {
                    throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    /** A "host" on this machine: this checkout's bpfscope in a UTS namespace named {@code hostname}. */
    private Path remoteBpfscope(String hostname) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path classPath = Files.writeString(dir.resolve("classpath-" + hostname), // long: the script reads it
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        Path script = dir.resolve("bpfscope-" + hostname);
        Files.writeString(script, "#!/bin/sh\n"
                + "CP=$(cat " + classPath + "); export CP\n"
                + "exec unshare -u sh -c 'hostname " + hostname + "; exec \"$0\" -cp \"$CP\" io.bpfscope.Main \"$@\"' "
                + java + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
    }
}
