package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** record --filter and --max-size, for real: only matching events are kept, and files rotate whole. */
@Tag("bpf")
class RecordOptionsTest {
    @TempDir
    Path dir;

    @Test
    @RequiresBpf
    void keepsOnlyMatchingEventsAndRotatesFiles() throws Exception {
        String token = "rot-" + UUID.randomUUID();
        Path capture = dir.resolve("r.bscap");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true));
        int exit;
        try {
            CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() -> Main.run("record", "--include-self", "-p", "exec",
                    "--filter", "argv contains \"" + token + "\"", "--max-size", "4K", "--duration", "5s",
                    "-o", capture.toString()));
            long deadline = System.currentTimeMillis() + 20_000;
            while (!stderr.toString().contains("recording") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            for (int i = 0; i < 60; i++) {
                new ProcessBuilder("/bin/true", token, "n" + i, "x".repeat(200)).start().waitFor();
                new ProcessBuilder("/bin/true", "not-me").start().waitFor();
            }
            exit = recording.get();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).as(stderr.toString()).isZero();

        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".bscap")).sorted().collect(Collectors.toList());
        }
        assertThat(files).hasSizeGreaterThan(2).contains(capture, dir.resolve("r.1.bscap"));
        List<String> argvs = new ArrayList<>();
        for (Path file : files) {
            Path out = dir.resolve(file.getFileName() + ".jsonl");
            assertThat(Main.run("export", file.toString(), "-f", "jsonl", "-o", out.toString())).as(file.toString()).isZero();
            for (String line : Files.readAllLines(out)) {
                argvs.add(JsonParser.parseString(line).getAsJsonObject().get("argv").toString());
            }
        }
        assertThat(argvs).hasSize(60).allMatch(a -> a.contains(token));
        assertThat(stderr.toString()).contains("did not match the filter").contains("files");
    }

    @Test
    void aBadFilterIsOneLineWithTheColumn() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true));
        int exit;
        try {
            exit = Main.run("record", "-p", "exec", "--filter", "pid ==", "-o", dir.resolve("x.bscap").toString());
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).isEqualTo(ExitCodes.INPUT);
        assertThat(stderr.toString()).startsWith("bpfscope: bad filter: column").hasLineCount(1);
        assertThat(dir.resolve("x.bscap")).doesNotExist();
    }
}
