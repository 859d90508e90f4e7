package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.io.FileSnapshot;
import io.bpfscope.io.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** record's files, for real: --force replaces the user's own file; a rotated file never goes through a link. */
@Tag("bpf")
class RecordOutputTest {
    @TempDir
    Path dir;

    @Test
    @RequiresBpf
    void forceReplacesTheUsersOwnFileWithTheCapture() throws Exception {
        Path own = Files.writeString(dir.resolve("own.bscap"), "an old capture\n");
        String stderr = record(null, "record", "-p", "exec", "--duration", "1s", "--force", "-o", own.toString());
        assertThat(stderr).contains("recorded");
        try (CaptureReader reader = CaptureReader.open(own)) {
            assertThat(reader.header().format()).isEqualTo("bscap");
        }
        assertThat((Integer) Files.getAttribute(own, "unix:mode") & 07777).isEqualTo(0600);
    }

    @Test
    @RequiresBpf
    void aRotatedFileThatIsALinkStopsTheRecordingAndItsTargetIsUntouched() throws Exception {
        TestUser user = TestUser.ensure();
        Path victim = Files.writeString(dir.resolve("victim"), "the test user's file\n");
        user.owns(victim);
        Path planted = Files.createSymbolicLink(dir.resolve("r.1.bscap"), victim);
        FileSnapshot victimBefore = FileSnapshot.of(victim);
        FileSnapshot plantedBefore = FileSnapshot.of(planted);
        String token = "rotlink-" + UUID.randomUUID();
        Path capture = dir.resolve("r.bscap");

        String stderr = record(token, "record", "--include-self", "-p", "exec", "--filter", "argv contains \"" + token + "\"",
                "--max-size", "4K", "--duration", "5s", "--force", "-o", capture.toString());
        assertThat(stderr).contains("writing " + capture + " failed: " + planted + " is a symbolic link");
        assertThat(FileSnapshot.of(victim)).isEqualTo(victimBefore);
        assertThat(FileSnapshot.of(planted)).isEqualTo(plantedBefore);
        try (CaptureReader reader = CaptureReader.open(capture)) {
            int events = 0;
            while (reader.next() != null) {
                events++;
            }
            assertThat(events).as("the first file is whole").isPositive();
            assertThat(reader.problem()).isEmpty();
        }
    }

    /** Runs a recording; with a token, execs /bin/true with it (long argv: 4K fill quickly) once it records. */
    private static String record(String token, String... args) throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() -> Main.run(args));
            long deadline = System.currentTimeMillis() + 20_000;
            while (!stderr.toString(StandardCharsets.UTF_8).contains("recording") && !recording.isDone()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            for (int i = 0; token != null && i < 60 && !recording.isDone(); i++) {
                new ProcessBuilder("/bin/true", token, "n" + i, "x".repeat(200)).start().waitFor();
            }
            int exit = recording.get();
            String text = stderr.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(text).isEqualTo(token == null ? ExitCodes.OK : ExitCodes.INPUT);
            return text;
        } finally {
            System.setErr(originalErr);
        }
    }
}
