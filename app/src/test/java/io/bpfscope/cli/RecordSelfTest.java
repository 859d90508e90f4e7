package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.StrangerProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record} leaves itself out: run in this JVM, it records no exec or open of this process or of
 * the cat it starts, and a stranger's; {@code --include-self} records ours too.
 */
@Tag("bpf")
class RecordSelfTest {
    private static final long SELF = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    @RequiresBpf
    void recordLeavesItsOwnProcessAndChildrenOut() throws Exception {
        List<JsonObject> events;
        try (StrangerProcess stranger = StrangerProcess.start(dir)) {
            events = record("plain");
            assertThat(events).as("the stranger's exec and opens").anyMatch(opens(stranger.marker()))
                    .anyMatch(execs(stranger.marker()));
        }
        assertThat(events).as("record's own events and its children's")
                .noneMatch(e -> e.get("pid").getAsLong() == SELF)
                .noneMatch(e -> e.has("ppid") && e.get("ppid").getAsLong() == SELF)
                .noneMatch(opens(selfFile()));
    }

    @Test
    @RequiresBpf
    void includeSelfRecordsThemToo() throws Exception {
        List<JsonObject> events = record("self", "--include-self");
        assertThat(events).as("this process's open and its cat's exec")
                .anyMatch(opens(selfFile()).and(e -> e.get("pid").getAsLong() == SELF))
                .anyMatch(execs(selfFile()).and(e -> e.get("ppid").getAsLong() == SELF));
    }

    private Path selfFile() {
        return dir.resolve("self-marker");
    }

    /** Records exec and open for 3 s while this JVM reads {@link #selfFile()} and runs cat on it; the events. */
    private List<JsonObject> record(String name, String... extra) throws Exception {
        Files.writeString(selfFile(), "x");
        Path capture = dir.resolve(name + ".bscap");
        List<String> args = new ArrayList<>(List.of("record", "-p", "exec", "-p", "open", "--duration", "3s", "--force",
                "-o", capture.toString()));
        args.addAll(List.of(extra));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        int exit;
        try {
            CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() -> Main.run(args.toArray(String[]::new)));
            while (!recording.isDone()) {
                if (stderr.toString(StandardCharsets.UTF_8).contains("recording")) {
                    Files.readAllBytes(selfFile());
                    new ProcessBuilder("/bin/cat", selfFile().toString())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                }
                Thread.sleep(100);
            }
            exit = recording.get();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        Path jsonl = dir.resolve(name + ".jsonl");
        assertThat(Main.run("export", capture.toString(), "--format", "jsonl", "--force", "-o", jsonl.toString())).isZero();
        return Files.readAllLines(jsonl).stream().map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
    }

    private static Predicate<JsonObject> opens(Path file) {
        return e -> e.get("probe").getAsString().equals("open") && e.get("path").getAsString().equals(file.toString());
    }

    private static Predicate<JsonObject> execs(Path file) {
        return e -> e.get("probe").getAsString().equals("exec") && e.get("argv").toString().contains(file.toString());
    }
}
