package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.bridge.Await;
import io.bpfscope.bridge.sys.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture recorded with several probes: info's counts per probe equal what export writes, for every format. */
@Tag("bpf")
class InfoExportRoundTripTest {
    private static final Pattern PROBE_ROW = Pattern.compile("^(exec|exit|open)\\s+([\\d,]+)\\s", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    @RequiresBpf
    void infoCountsEqualExportedEvents() throws Exception {
        Path capture = dir.resolve("multi.bscap");
        String stderr = capture(soFar -> {
            CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() -> Main.run("record", "--include-self", "-p", "exec",
                    "-p", "exit", "-p", "open", "--comm", "cat", "--duration", "4s", "-o", capture.toString()));
            Await.until("record to say it is recording", Duration.ofSeconds(30),
                    () -> soFar.get().contains("recording") || recording.isDone());
            for (int i = 0; i < 20; i++) {
                new ProcessBuilder("/bin/cat", "/etc/hostname").start().waitFor();
            }
            assertThat(recording.get()).isZero();
            return null;
        });
        assertThat(stderr).contains("recording");

        String info = capture(soFar -> {
            PrintStream original = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true));
            try {
                assertThat(Main.run("info", capture.toString())).isZero();
            } finally {
                System.setOut(original);
            }
            return out.toString();
        });
        Map<String, Long> counted = new java.util.HashMap<>();
        Matcher row = PROBE_ROW.matcher(info);
        while (row.find()) {
            counted.put(row.group(1), Long.parseLong(row.group(2).replace(",", "")));
        }
        assertThat(counted).as(info).containsKeys("exec", "exit", "open");
        assertThat(counted.get("exec")).isGreaterThanOrEqualTo(20);

        Path jsonl = dir.resolve("multi.jsonl");
        assertThat(Main.run("export", capture.toString(), "-f", "jsonl", "-o", jsonl.toString())).isZero();
        Map<String, Long> exported = Files.readAllLines(jsonl).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject().get("probe").getAsString())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(exported).isEqualTo(counted);

        Path csv = dir.resolve("multi.csv");
        assertThat(Main.run("export", capture.toString(), "-f", "csv", "-o", csv.toString())).isZero();
        long total = counted.values().stream().mapToLong(Long::longValue).sum();
        assertThat(Files.readString(csv).split("\r\n")).hasSize((int) total + 1); // header row + one per event

        Path filtered = dir.resolve("open.jsonl");
        assertThat(Main.run("export", capture.toString(), "-f", "jsonl", "-Y", "probe == open && path == \"/etc/hostname\"",
                "-o", filtered.toString())).isZero();
        assertThat(Files.readAllLines(filtered)).hasSize(20)
                .allMatch(l -> l.contains("\"path\":\"/etc/hostname\"") && l.contains("\"comm\":\"cat\""));
        assertThat(Arrays.asList(info.split("\n"))).anyMatch(l -> l.startsWith("complete:   yes"));
    }

    private interface Body {
        /** {@code stderr} gives what was written to stderr so far. */
        Object run(Supplier<String> stderr) throws Exception;
    }

    /** Runs the body with stderr captured; returns stdout of the body if it returns a string, else stderr. */
    private static String capture(Body body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            Object result = body.run(err::toString);
            return result instanceof String ? (String) result : err.toString();
        } finally {
            System.setErr(original);
        }
    }
}
