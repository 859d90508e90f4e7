package io.bpfscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.ui.common.FxTaskRunner;
import io.bpfscope.ui.follow.FollowWindow;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
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
 * The walk-through, live: tick exec and tls, attach, curl an HTTPS
 * server on loopback (openssl s_server), see the request live, follow the TLS
 * stream, filter, and export the shown events to pcapng, which tshark reads
 * as HTTP.
 */
@Tag("bpf")
@ExtendWith(ApplicationExtension.class)
class LiveTlsWindowTest {
    @TempDir
    Path tmp;

    private MainWindow window;
    private final List<Process> servers = new ArrayList<>();
    private final ChosenPaths chosen = new ChosenPaths();

    @Start
    void start(Stage stage) {
        MainViewModel viewModel = new MainViewModel(null, new FxTaskRunner());
        viewModel.setPathChooser(chosen);
        window = new MainWindow(viewModel);
        stage.setScene(new Scene(window.root(), 1200, 800));
        stage.show();
    }

    @AfterEach
    void stop(FxRobot robot) {
        servers.forEach(Process::destroyForcibly);
        robot.interact(() -> window.viewModel().close());
    }

    @Test
    @RequiresBpf
    void curlOverTlsIsSeenLiveFollowedFilteredAndExportedToPcapng(FxRobot robot) throws Exception {
        int port = startHttpsServer();

        robot.clickOn("#probe-exec");
        // tls sits below the fold of the probe list on a small screen: ticked through the model, not a click
        robot.interact(() -> window.viewModel().probes().stream().filter(row -> row.probe().name().equals("tls"))
                .forEach(row -> row.selectedProperty().set(true)));
        OwnProcesses.traceThem(robot);
        robot.clickOn("#attach-button");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> window.viewModel().probes().stream()
                .filter(row -> row.selectedProperty().get())
                .allMatch(row -> row.stateProperty().get().equals("attached")));

        String token = "/gui-" + UUID.randomUUID();
        Process curl = new ProcessBuilder("curl", "-sk", "--http1.1", "https://127.0.0.1:" + port + token)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("curl.out").toFile()).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();

        TableView<Long> table = robot.lookup("#event-table").queryTableView();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> rowWith(table, "tls", "GET " + token).isPresent());
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> rowWith(table, "exec", "curl").isPresent());
        // Follow gathers what has arrived when it opens: wait for the reply curl read, too.
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> List.copyOf(table.getItems())
                .stream().map(this::record).anyMatch(r -> r != null && r.probe().equals("tls")
                        && r.event().header().comm().equals("curl") && r.event().summary().contains("HTTP/1.0 200")))
                .get(10, TimeUnit.SECONDS));
        long request = rowWith(table, "tls", "GET " + token).orElseThrow();

        // follow: the request and the server's reply, in one conversation
        FollowWindow follow = WaitForAsyncUtils.asyncFx(() -> window.follow(request)).get(10, TimeUnit.SECONDS)
                .orElseThrow(() -> new AssertionError("a tls event has a stream to follow"));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> follow.viewModel().shownText().contains("HTTP/1.0 200 ok"));
        assertThat(follow.viewModel().shownText()).contains("GET " + token + " HTTP/1.1");
        robot.interact(() -> follow.stage().close());

        // filter to the curl process's tls events
        robot.clickOn("#filter-field").write("probe == tls && comm == \"curl\"").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> !table.getItems().isEmpty()
                && table.getItems().stream().allMatch(seq -> record(seq).probe().equals("tls"))).get(10, TimeUnit.SECONDS));

        // export the shown rows as pcapng; tshark dissects the HTTP in it
        chosen.next = tmp.resolve("curl.pcapng");
        robot.clickOn("#tool-export");
        robot.clickOn("#export-format-pcapng");
        robot.clickOn("#export-scope-shown");
        robot.clickOn("#export-start");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.viewModel().export().resultProperty().get() != null);
        String dissected = run("tshark", "-r", chosen.next.toString(), "-Y", "http.request", "-T", "fields",
                "-e", "http.request.method", "-e", "http.request.uri");
        assertThat(dissected).contains("GET\t" + token);
    }

    /** Looked up on the FX thread: the rows and the record cache are the FX thread's. */
    private Optional<Long> rowWith(TableView<Long> table, String probe, String text) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> List.copyOf(table.getItems()).stream().filter(seq -> {
            DecodedRecord record = record(seq);
            return record != null && record.probe().equals(probe) && record.event().summary().contains(text);
        }).findFirst()).get(10, TimeUnit.SECONDS);
    }

    private DecodedRecord record(long seq) {
        return window.viewModel().record(seq);
    }

    /** openssl s_server -www answers GET with a status page; a fresh self-signed key for each run. */
    private int startHttpsServer() throws Exception {
        Path key = tmp.resolve("key.pem");
        Path cert = tmp.resolve("cert.pem");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                "-keyout", key.toString(), "-out", cert.toString());
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-quiet", "-www", "-accept", "127.0.0.1:" + port,
                "-key", key.toString(), "-cert", cert.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("server.log").toFile()).start();
        servers.add(server);
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("openssl s_server did not listen on " + port + ": "
                + Files.readString(tmp.resolve("server.log")));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
