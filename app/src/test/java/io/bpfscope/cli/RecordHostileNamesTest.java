package io.bpfscope.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For real: a process started through a link whose name holds ESC [2J and a
 * byte that is not UTF-8 (0xff) is recorded; show prints its name escaped, and
 * the JSON Lines export gives back the exact bytes of its comm and filename.
 */
@Tag("bpf")
class RecordHostileNamesTest {
    @TempDir
    Path dir;

    @Test
    @RequiresBpf
    void aRecordedHostileNameIsEscapedOnTheTerminalAndRecoverableInJson() throws Exception {
        Path capture = dir.resolve("x.bscap");
        // printf makes the bytes: the shell creates the link and execs it, so the name never passes through Java.
        String link = dir + "/\\033[2Jbad\\377";
        String script = "l=\"$(printf '" + link + "')\"; ln -s /bin/true \"$l\" && \"$l\"";

        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true));
        int exit;
        try {
            CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() ->
                    Main.run("record", "--include-self", "-p", "exec", "--duration", "3s", "-o", capture.toString()));
            long deadline = System.currentTimeMillis() + 20_000;
            while (!stderr.toString().contains("recording") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Process shell = new ProcessBuilder("/bin/sh", "-c", script).inheritIO().start();
            assertThat(shell.waitFor()).isZero();
            exit = recording.get();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).as(stderr.toString()).isZero();

        byte[] name = {0x1b, '[', '2', 'J', 'b', 'a', 'd', (byte) 0xff};
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        System.setOut(new PrintStream(shown, true, UTF_8));
        try {
            assertThat(Main.run("show", capture.toString(), "-Y", "comm contains \"bad\"")).isZero();
        } finally {
            System.setOut(originalOut);
        }
        assertThat(shown.toString(UTF_8)).contains("\\x1b[2Jbad\\xff").doesNotContain("\u001b");

        Path jsonl = dir.resolve("x.jsonl");
        assertThat(Main.run("export", capture.toString(), "--format", "jsonl", "-Y", "comm contains \"bad\"",
                "-o", jsonl.toString())).isZero();
        List<String> lines = Files.readAllLines(jsonl, UTF_8);
        assertThat(lines).hasSize(1);
        JsonObject event = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertThat(Base64.getDecoder().decode(event.get("comm_b64").getAsString())).isEqualTo(name);
        byte[] filename = Base64.getDecoder().decode(event.get("filename_b64").getAsString());
        assertThat(new String(filename, 0, filename.length - name.length, UTF_8)).isEqualTo(dir + "/");
        assertThat(java.util.Arrays.copyOfRange(filename, filename.length - name.length, filename.length)).isEqualTo(name);
    }
}
