package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foundation's promise, for real: record exec while 200 processes start, export, find all 200. */
@Tag("bpf")
class RecordExportTest {
    @TempDir
    Path dir;

    @Test
    @RequiresBpf
    void recordsTwoHundredProcessesAndExportsThemAsJsonLines() throws Exception {
        String token = "bpfscope-" + UUID.randomUUID();
        Path capture = dir.resolve("x.bscap");
        Path jsonl = dir.resolve("x.jsonl");

        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream teeErr = new PrintStream(stderr, true);
        System.setErr(teeErr);
        int exit;
        try {
            CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() ->
                    Main.run("record", "--include-self", "-p", "exec", "--duration", "6s", "-o", capture.toString()));
            waitFor(() -> stderr.toString().contains("recording"), 20_000);
            for (int i = 0; i < 200; i++) {
                new ProcessBuilder("/bin/true", token, "n" + i).start().waitFor();
            }
            exit = recording.get();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).as(stderr.toString()).isZero();
        assertThat(stderr.toString()).contains("recording exec").contains("lost 0");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(capture))).isEqualTo("rw-------");

        assertThat(Main.run("export", capture.toString(), "--format", "jsonl", "-o", jsonl.toString())).isZero();
        List<JsonObject> mine = Files.readAllLines(jsonl).stream()
                .map(line -> JsonParser.parseString(line).getAsJsonObject())
                .filter(o -> o.get("argv").getAsJsonArray().toString().contains(token))
                .collect(Collectors.toList());
        assertThat(mine).hasSize(200);
        for (int i = 0; i < 200; i++) {
            JsonObject event = mine.get(i);
            assertThat(event.get("probe").getAsString()).isEqualTo("exec");
            assertThat(event.get("filename").getAsString()).isEqualTo("/bin/true");
            assertThat(event.get("argv").getAsJsonArray().get(2).getAsString()).isEqualTo("n" + i);
            assertThat(event.get("time").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
            assertThat(event.get("pid").getAsInt()).isEqualTo(event.get("tid").getAsInt());
            assertThat(event.get("ppid").getAsLong()).isEqualTo(ProcessHandle.current().pid());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jsonl))).isEqualTo("rw-------");
    }

    @Test
    void exportOfGarbageIsOneLineAndExitCodeOne() throws Exception {
        Path garbage = dir.resolve("garbage.bscap");
        Files.writeString(garbage, "not a capture");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true));
        int exit;
        try {
            exit = Main.run("export", garbage.toString(), "--format", "jsonl", "-o", dir.resolve("out.jsonl").toString());
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).isEqualTo(ExitCodes.INPUT);
        assertThat(stderr.toString()).startsWith("bpfscope: " + garbage + ": offset 0: expected the bpfscope capture magic")
                .hasLineCount(1);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
