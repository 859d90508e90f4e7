package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.capture.file.ManyProbesCapture;
import io.bpfscope.capture.file.OtherHostCopy;
import io.bpfscope.capture.file.RepeatedCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two captures of two hosts given to show, info and export at once: the real demo capture (host
 * {@code vm}) and a copy of it written as host {@code db2}, whose clock runs 1.5 ms later (its
 * header's boot-to-wall offset) and whose exec probe lost 7 events. The merge is in time order on one
 * wall-clock axis, every event keeps its host, and each host's losses stay its own.
 */
class MultiHostCommandsTest {
    private static final Path DEMO = Paths.get(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");
    private static final long SKEW_NANOS = 1_500_000;
    private static final int DEMO_EVENTS = 549;

    @TempDir
    Path dir;
    Path other;

    @BeforeEach
    void writeSecondHost() throws Exception {
        other = dir.resolve("db2.bscap");
        OtherHostCopy.write(DEMO, other, "db2", SKEW_NANOS, 7);
    }

    @Test
    void exportMergesByTimeWithEachEventsHost() throws Exception {
        Path jsonl = dir.resolve("both.jsonl");
        assertThat(Main.run("export", DEMO.toString(), other.toString(), "-f", "jsonl", "-o", jsonl.toString())).isZero();
        List<JsonObject> events = Files.readAllLines(jsonl).stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .toList();
        assertThat(events).hasSize(2 * DEMO_EVENTS);
        assertThat(events.stream().filter(e -> e.get("host").getAsString().equals("vm"))).hasSize(DEMO_EVENTS);
        assertThat(events.stream().filter(e -> e.get("host").getAsString().equals("db2"))).hasSize(DEMO_EVENTS);
        List<Instant> times = events.stream().map(e -> Instant.parse(e.get("time").getAsString())).toList();
        assertThat(times).isSorted();
        // The same event of both hosts: db2's clock says 1.5 ms later, and that is where it stands.
        JsonObject firstExec = events.stream().filter(e -> e.get("probe").getAsString().equals("exec")).findFirst().orElseThrow();
        JsonObject twin = events.stream().filter(e -> e.get("host").getAsString().equals("db2")
                && e.get("pid").equals(firstExec.get("pid")) && e.get("probe").getAsString().equals("exec")).findFirst().orElseThrow();
        assertThat(firstExec.get("host").getAsString()).isEqualTo("vm");
        assertThat(java.time.Duration.between(Instant.parse(firstExec.get("time").getAsString()),
                Instant.parse(twin.get("time").getAsString())).toNanos()).isEqualTo(SKEW_NANOS);
        assertThat(events.stream().mapToLong(e -> e.get("seq").getAsLong())).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 2L * DEMO_EVENTS).boxed().toList());

        Path filtered = dir.resolve("db2.jsonl");
        assertThat(Main.run("export", DEMO.toString(), other.toString(), "-f", "jsonl", "-Y", "host == \"db2\" && probe == exec",
                "-o", filtered.toString())).isZero();
        assertThat(Files.readAllLines(filtered)).hasSize(9).allMatch(l -> l.contains("\"host\":\"db2\""));

        Path csv = dir.resolve("both.csv");
        assertThat(Main.run("export", other.toString(), DEMO.toString(), "-f", "csv", "-o", csv.toString())).isZero();
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).startsWith("seq,time,host,probe,");
        assertThat(rows).hasSize(2 * DEMO_EVENTS + 1);
        assertThat(rows.stream().filter(r -> r.split(",")[2].equals("db2"))).hasSize(DEMO_EVENTS);
    }

    @Test
    void infoCountsAndLossesPerHost() {
        String info = CommandOutput.both("info", DEMO.toString(), other.toString());
        assertThat(info).contains("events:     1,098");
        Matcher host = Pattern.compile("^(vm|db2)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)$", Pattern.MULTILINE).matcher(info);
        List<String> hosts = new ArrayList<>();
        while (host.find()) {
            hosts.add(host.group(1) + " " + host.group(2) + " " + host.group(3) + " " + host.group(4));
        }
        assertThat(hosts).containsExactly("vm 549 0 4", "db2 549 7 4");
        assertThat(info).containsPattern("(?m)^db2\\s+exec\\s+9\\s+7\\s+0\\s")
                .containsPattern("(?m)^vm\\s+exec\\s+9\\s+0\\s+0\\s")
                .contains("complete:   yes");
    }

    @Test
    void showHasAHostColumnInTimeOrder() {
        String shown = CommandOutput.both("show", DEMO.toString(), other.toString(), "-Y", "probe == exec");
        List<String> rows = shown.lines().skip(1).toList();
        assertThat(shown.lines().findFirst().orElseThrow()).contains("host").contains("probe");
        assertThat(rows).hasSize(18);
        // Each exec twice; the first is vm's: db2's copy stands 1.5 ms later on the common axis.
        assertThat(rows.get(0)).contains(" vm ");
        assertThat(rows.stream().filter(r -> r.contains(" db2 "))).hasSize(9);
    }

    @Test
    void pcapngHasAnInterfacePerHost() throws Exception {
        Path pcapng = dir.resolve("both.pcapng");
        assertThat(Main.run("export", DEMO.toString(), other.toString(), "-f", "pcapng", "-o", pcapng.toString())).isZero();
        Process tshark = new ProcessBuilder("tshark", "-r", pcapng.toString(), "-T", "fields", "-e", "frame.interface_name")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String names = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tshark.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(names.lines().distinct().sorted().toList()).containsExactly("bpfscope@db2", "bpfscope@vm");
        assertThat(names.lines().filter("bpfscope@db2"::equals).count())
                .isEqualTo(names.lines().filter("bpfscope@vm"::equals).count());
    }

    @Test
    void aBadRemoteHostIsAUsageErrorBeforeAnyWindowOrSsh() {
        assertThat(CommandOutput.both("gui", "ssh://me@-oProxyCommand=touch_x")).contains("not a valid host");
        assertThat(Main.run("gui", "ssh://me@db1", "-p", "exec;reboot")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("gui", "ssh://me@db1", "--ssh-option", "-v")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aCutInputIsReportedByShowAndInfoAfterTheMergedEvents() throws Exception {
        Path cut = dir.resolve("cut.bscap");
        byte[] whole = Files.readAllBytes(other);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));

        String info = CommandOutput.both("info", DEMO.toString(), cut.toString());
        assertThat(info).containsPattern("(?m)^complete:   no — " + Pattern.quote(cut.toString()) + ": offset \\d+: the file is cut")
                .containsPattern("(?m)^vm\\s+549\\s");
        assertThat(Main.run("info", DEMO.toString(), cut.toString())).isEqualTo(ExitCodes.PARTIAL);
        String shown = CommandOutput.both("show", cut.toString(), DEMO.toString());
        assertThat(shown.lines().reduce((first, last) -> last).orElseThrow()).startsWith("bpfscope: " + cut + ": offset ");
        assertThat(Main.run("show", cut.toString(), DEMO.toString())).isEqualTo(ExitCodes.PARTIAL);
    }

    @Test
    void aMergeThatFailsIsOneLineAndAnInputError() throws Exception {
        Path many = dir.resolve("many.bscap");
        ManyProbesCapture.write(many, 40_000); // two cannot be merged: more than 65,535 probes
        for (String command : List.of("show", "info")) {
            String output = CommandOutput.both(command, many.toString(), many.toString());
            assertThat(output).endsWith("bpfscope: merging " + many + " + " + many
                    + " failed: more than 65535 probes in the merged inputs\n").doesNotContain("\tat ");
            assertThat(Main.run(command, many.toString(), many.toString())).isEqualTo(ExitCodes.INPUT);
        }
    }

    @Test
    void stdinThatStaysOpenDoesNotHoldBackTheFirstEvents() throws Exception {
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        java.io.InputStream stdin = System.in;
        java.util.concurrent.CompletableFuture<Void> feeder = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                java.nio.channels.Channels.newOutputStream(pipe.sink()).write(Files.readAllBytes(other)); // and no end yet
            } catch (java.io.IOException e) {
                // show may have stopped reading stdin before its end: that is what it may do
            }
        });
        System.setIn(java.nio.channels.Channels.newInputStream(pipe.source()));
        try {
            String shown = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> CommandOutput.both("show", "-", DEMO.toString(), "--limit", "3")).get(120, TimeUnit.SECONDS);
            assertThat(shown.lines().skip(1).toList()).hasSize(3);
            assertThat(pipe.sink().isOpen()).as("stdin did not end").isTrue();
        } finally {
            System.setIn(stdin);
            feeder.get(120, TimeUnit.SECONDS);
            pipe.sink().close();
        }
    }

    @Test
    void showIntoAClosedPipeStopsReadingAndMerging() throws Exception {
        Path big = dir.resolve("big.bscap");
        RepeatedCapture.write(DEMO, big, 100);
        // What `show big big | head -1` writes into: the pipe is gone after the first 4 KiB.
        int[] writes = new int[1];
        java.io.OutputStream closedPipe = new java.io.OutputStream() {
            private long written;

            @Override
            public void write(int b) throws java.io.IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                writes[0]++;
                written += len;
                if (written > 4096) {
                    throw new java.io.IOException("Broken pipe");
                }
            }
        };
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(closedPipe, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("show", big.toString(), big.toString())).isEqualTo(ExitCodes.OK);
        } finally {
            System.setOut(stdout);
        }
        // printf writes each piece of a row on its own (about 20 a row): all 109,800 rows would be ~2M writes.
        assertThat(writes[0]).as("writes tried for %,d rows", 200 * DEMO_EVENTS).isLessThan(200 * DEMO_EVENTS);
    }

    @Test
    void stdinAtMostOnce() {
        assertThat(Main.run("show", "-", "-")).isEqualTo(ExitCodes.USAGE);
    }
}
