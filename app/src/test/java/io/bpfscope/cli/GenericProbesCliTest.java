package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic probes through the command line, for real: record, export, show, functop, tls-map. */
@Tag("bpf")
class GenericProbesCliTest {
    private static final String LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";

    @TempDir
    Path dir;

    /** stdout and stderr of one command, with its exit code. */
    record Run(int exit, String out, String err) {
    }

    /** Runs a command; {@code during} runs once it has said {@code ready} on stderr (or at once for null). */
    private static Run run(String ready, Runnable during, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CompletableFuture<Integer> command = CompletableFuture.supplyAsync(() -> Main.run(args));
            if (ready != null) {
                waitFor(() -> err.toString(StandardCharsets.UTF_8).contains(ready) || command.isDone(), 20_000);
                during.run();
            }
            return new Run(command.get(60, TimeUnit.SECONDS), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private static void waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void exec(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<JsonObject> exportJsonl(Path capture, String... filter) throws Exception {
        Path jsonl = dir.resolve(UUID.randomUUID() + ".jsonl");
        String[] args = filter.length == 0
                ? new String[] {"export", capture.toString(), "--format", "jsonl", "-o", jsonl.toString()}
                : new String[] {"export", capture.toString(), "--format", "jsonl", "-Y", filter[0], "-o", jsonl.toString()};
        assertThat(run(null, null, args).exit()).isZero();
        return Files.readAllLines(jsonl).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    /**
     * A node client started while recording, against openssl s_server on loopback: found on its own
     * (OpenSSL inside node, or its libssl), its events carry the connection's ports, and follow lists
     * the conversation with them.
     */
    @Test
    @RequiresBpf
    void nodeStartedWhileRecordingIsSeenWithItsConnection() throws Exception {
        Path node = Path.of("/usr/bin/node");
        if (!Files.isExecutable(node)) {
            assertThat(System.getenv("CI")).as("node is required in CI (apt-get install nodejs)").isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort("node is not installed");
        }
        exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
        Files.writeString(dir.resolve("page"), "node-page-content\n");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", "cert.pem",
                "-key", "key.pem", "-WWW", "-quiet").directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String[] localPort = new String[1];
        try {
            waitFor(() -> {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            }, 10_000);
            Path capture = dir.resolve("node.bscap");
            String script = "const r = require('https').get({host: '127.0.0.1', port: " + port + ", path: '/page',"
                    + " rejectUnauthorized: false}, res => { const local = res.socket.localPort; res.resume();"
                    + " res.on('end', () => console.log(local)); });";
            Run record = run("recording", () -> {
                try {
                    Process client = new ProcessBuilder(node.toString(), "-e", script).start();
                    localPort[0] = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "record", "--include-self", "-p", "tls", "--comm", "node", "--duration", "4s", "-o", capture.toString());
            assertThat(record.exit()).as(record.err()).isZero();
            assertThat(localPort[0]).matches("\\d+");

            List<JsonObject> events = exportJsonl(capture, "probe == tls && dport == " + port + " && sport == " + localPort[0]);
            assertThat(events).anySatisfy(e -> assertThat(e.get("payload_len").getAsLong()).isPositive()
                    .satisfies(n -> assertThat(e.get("direction").getAsString()).isEqualTo("write")));
            assertThat(events).anySatisfy(e -> assertThat(e.get("direction").getAsString()).isEqualTo("read"));
            assertThat(events).allSatisfy(e -> {
                assertThat(e.get("comm").getAsString()).isEqualTo("node");
                assertThat(e.get("daddr").getAsString()).isEqualTo("127.0.0.1");
            });
            Run follow = run(null, null, "follow", capture.toString());
            assertThat(follow.out()).contains("127.0.0.1:" + localPort[0] + " -> 127.0.0.1:" + port);
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    @RequiresBpf
    void aTracepointsOwnFieldsReachTheFileTheExportAndTheFilters() throws Exception {
        Path capture = dir.resolve("unlink.bscap");
        Path doomed = Files.writeString(dir.resolve("doomed-" + UUID.randomUUID()), "x");
        Run record = run("recording", () -> exec("rm", doomed.toString()), "record", "--include-self", "-p",
                "tracepoint:syscalls:sys_enter_unlinkat", "--comm", "rm", "--duration", "3s", "-o", capture.toString());
        assertThat(record.exit()).as(record.err()).isZero();
        assertThat(record.err()).contains("recording tracepoint:syscalls:sys_enter_unlinkat");

        List<JsonObject> events = exportJsonl(capture);
        JsonObject unlink = events.stream().filter(e -> e.get("pathname").getAsString().equals(doomed.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no unlinkat of " + doomed + " in " + events));
        assertThat(unlink.get("probe").getAsString()).isEqualTo("tracepoint:syscalls:sys_enter_unlinkat");
        assertThat(unlink.get("tracepoint").getAsString()).isEqualTo("syscalls:sys_enter_unlinkat");
        assertThat(unlink.get("dfd").getAsLong()).isEqualTo(-100);
        assertThat(unlink.get("flag").getAsLong()).isZero();
        assertThat(unlink.get("comm").getAsString()).isEqualTo("rm");

        // The tracepoint's field names are filter fields, in export and show.
        assertThat(exportJsonl(capture, "pathname == \"" + doomed + "\" && dfd == -100")).hasSize(1);
        assertThat(exportJsonl(capture, "pathname contains \"no such thing\"")).isEmpty();
        Run show = run(null, null, "show", capture.toString(), "-Y", "pathname == \"" + doomed + "\"");
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("sys_enter_unlinkat").contains("pathname=" + doomed);
        Run typo = run(null, null, "show", capture.toString(), "-Y", "pathnme == \"x\"");
        assertThat(typo.exit()).isEqualTo(ExitCodes.INPUT);
        assertThat(typo.err().strip()).contains("did you mean pathname").doesNotContain("\n");
    }

    @Test
    @RequiresBpf
    void aUretprobeWithABufferRecordsArgumentsReturnValueLatencyAndPayload() throws Exception {
        Path capture = dir.resolve("gai.bscap");
        Run record = run("recording", () -> exec("getent", "ahosts", "localhost"), "record", "--include-self",
                "-p", "uretprobe:" + LIBC + ":getaddrinfo", "--buffer-arg", "0", "--length", "9",
                "--comm", "getent", "--duration", "3s", "-o", capture.toString());
        assertThat(record.exit()).as(record.err()).isZero();

        List<JsonObject> calls = exportJsonl(capture);
        assertThat(calls).hasSize(1);
        JsonObject call = calls.get(0);
        assertThat(call.get("function").getAsString()).isEqualTo("getaddrinfo");
        assertThat(call.get("binary").getAsString()).isEqualTo(LIBC);
        assertThat(call.get("ret").getAsLong()).isZero();
        assertThat(call.get("latency_ns").getAsLong()).isPositive();
        assertThat(call.get("entry_seen").getAsBoolean()).isTrue();
        assertThat(call.get("arg0").getAsLong()).isEqualTo(Long.decode(call.get("buf_addr").getAsString()));
        assertThat(new String(Base64.getDecoder().decode(call.get("payload").getAsString()), StandardCharsets.UTF_8))
                .isEqualTo("localhost");
        assertThat(exportJsonl(capture, "ret == 0 && payload contains \"local\" && latency_ns > 0")).hasSize(1);
    }

    @Test
    @RequiresBpf
    void functopCountsTheCallsOfALibraryFunction() throws Exception {
        Run functop = run("Ctrl-C stops", () -> {
            for (int i = 0; i < 3; i++) {
                exec("getent", "ahosts", "localhost");
            }
        }, "functop", "--include-self", "--lib", LIBC, "--match", "^getaddrinfo$", "--duration", "3s", "--interval", "1s");
        assertThat(functop.exit()).as(functop.err()).isZero();
        assertThat(functop.err()).contains("functop on 1 functions of " + LIBC);
        String last = functop.out().substring(functop.out().lastIndexOf("FUNCTION"));
        // --lib counts every process on the machine, and another may resolve a name meanwhile: at least
        // our three (the exact count, for one process, is functopLeavesOutTheCallsOfBpfscopesOwnProcesses')
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("libc\\.so\\.6:getaddrinfo\\s+(\\d+)\\s").matcher(last);
        assertThat(count.find()).as(last).isTrue();
        assertThat(Long.parseLong(count.group(1))).isBetween(3L, 10L);
    }

    /** A process bpfscope started is its own: functop counts none of its calls, unless --include-self. */
    @Test
    @RequiresBpf
    void functopLeavesOutTheCallsOfBpfscopesOwnProcesses() throws Exception {
        for (boolean includeSelf : new boolean[] {false, true}) {
            Process python = new ProcessBuilder("/usr/bin/python3", "-c", "import socket, sys\nprint('ready', flush=True)\n"
                    + "for line in sys.stdin: socket.getaddrinfo('localhost', 80)").start();
            try {
                // functop reads the process's libraries from its maps: only once it runs are they there
                assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(python.getInputStream(),
                        StandardCharsets.UTF_8)).readLine()).isEqualTo("ready");
                List<String> args = new java.util.ArrayList<>(List.of("functop", "--pid", Long.toString(python.pid()),
                        "--match", "^getaddrinfo$", "--duration", "3s", "--interval", "1s"));
                if (includeSelf) {
                    args.add("--include-self");
                }
                Run functop = run("Ctrl-C stops", () -> {
                    try {
                        python.getOutputStream().write("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
                        python.getOutputStream().flush();
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, args.toArray(String[]::new));
                assertThat(functop.exit()).as(functop.err()).isZero();
                String last = functop.out().substring(functop.out().lastIndexOf("FUNCTION"));
                if (includeSelf) {
                    assertThat(last).containsPattern("libc\\.so\\.6:getaddrinfo\\s+3\\s");
                } else {
                    assertThat(last).as("a function never called has no row").doesNotContain("getaddrinfo");
                }
            } finally {
                python.destroy();
            }
        }
    }

    @Test
    void tlsMapShowsAProcessThatLoadedLibssl() throws Exception {
        Process python = new ProcessBuilder("/usr/bin/python3", "-c",
                "import ssl, sys; print('ready', flush=True); sys.stdin.read()").start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8)).readLine())
                    .isEqualTo("ready");
            Run map = run(null, null, "tls-map");
            assertThat(map.exit()).isZero();
            assertThat(map.out()).containsPattern("(?m)^\\s*" + python.pid() + "\\s+python3\\S*\\s+OpenSSL library\\s+yes\\s+/\\S*libssl\\.so\\.3$");
        } finally {
            python.getOutputStream().close();
            python.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void badGenericProbeInputIsOneLineWithWhatToDo() throws Exception {
        Run badTracepoint = run(null, null, "record", "-p", "tracepoint:sched", "-o", dir.resolve("a").toString());
        assertThat(badTracepoint.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badTracepoint.err().strip()).contains("tracepoint:GROUP:NAME").doesNotContain("\n");

        Run noLength = run(null, null, "record", "-p", "uprobe:" + LIBC + ":getaddrinfo", "--buffer-arg", "0",
                "-o", dir.resolve("b").toString());
        assertThat(noLength.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noLength.err().strip()).contains("--length-arg").doesNotContain("\n");

        Run retOnEntry = run(null, null, "record", "-p", "uprobe:" + LIBC + ":read", "--buffer-arg", "1",
                "--length-arg", "ret", "-o", dir.resolve("c").toString());
        assertThat(retOnEntry.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(retOnEntry.err().strip()).contains("use uretprobe:" + LIBC + ":read");

        Run symbols = run(null, null, "symbols", LIBC, "^getaddrinfo$");
        assertThat(symbols.exit()).isZero();
        assertThat(symbols.out()).contains("getaddrinfo@@GLIBC_2.2.5");
        assertThat(run(null, null, "symbols", "/no/such/lib.so").err()).contains("no such file");

        Run tracepoints = run(null, null, "tracepoints", "^sched:sched_process_(fork|exec)$", "--fields");
        assertThat(tracepoints.exit()).isZero();
        assertThat(tracepoints.out()).contains("sched:sched_process_exec").contains("sched:sched_process_fork")
                .containsPattern("child_pid\\s+pid_t").containsPattern("filename\\s+__data_loc char\\[\\]");

        Run functop = run(null, null, "functop", "--lib", LIBC, "--match", "(");
        assertThat(functop.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(functop.err()).contains("--match '(' is not a regular expression");
    }
}
