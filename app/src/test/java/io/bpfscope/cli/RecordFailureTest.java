package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.live.CaptureSession;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the capture dies under {@code record} (the disk fills, the writer or the
 * ring reader throws), record stops at once with one line and a non-zero exit
 * instead of going on saying it is recording.
 */
class RecordFailureTest {
    @TempDir
    Path dir;

    @Test
    @RequiresBpf("loading BPF and mounting a tmpfs need root")
    @Tag("bpf")
    void aFullDiskEndsRecordWithExitOneAndOneLine() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString());
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true));
        try {
            Path capture = small.resolve("x.bscap");
            CompletableFuture<Integer> recording = CompletableFuture.supplyAsync(() ->
                    Main.run("record", "--include-self", "-p", "exec", "--duration", "60s", "-o", capture.toString()));
            waitFor(() -> stderr.toString().contains("recording"), 20_000);
            String longArgument = "x".repeat(2000); // ~2 KB per event: 64 KB fill after a few dozen
            long deadline = System.currentTimeMillis() + 30_000;
            while (!recording.isDone() && System.currentTimeMillis() < deadline) {
                new ProcessBuilder("/bin/true", longArgument).start().waitFor();
            }
            int exit = recording.get(5, TimeUnit.SECONDS);

            String lastLine = stderr.toString().lines().filter(l -> l.startsWith("bpfscope: ")).reduce((a, b) -> b).orElse("");
            assertThat(exit).as(stderr.toString()).isEqualTo(ExitCodes.INPUT);
            assertThat(lastLine).startsWith("bpfscope: writing " + capture + ": no space left on the device")
                    .contains("free some space").contains("can still be read").contains("--max-size");
        } finally {
            System.setErr(originalErr);
            run("umount", small.toString());
        }
    }

    @Test
    @RequiresBpf
    @Tag("bpf")
    void aListenerThatThrowsStopsTheSession() throws Exception {
        CaptureSession.Listener broken = batch -> {
            throw new IllegalStateException("listener bug");
        };
        try (CaptureSession session = CaptureSession.start(1 << 16, broken)) {
            session.attachAll(List.of(new CaptureSession.Request(ProbeCatalog.find("exec").orElseThrow(),
                    ProbeOptions.defaults())));
            long deadline = System.currentTimeMillis() + 20_000;
            while (session.isRunning() && System.currentTimeMillis() < deadline) {
                new ProcessBuilder("/bin/true").start().waitFor();
            }
            assertThat(session.isRunning()).isFalse();
            assertThat(session.listenerFailure()).hasMessage("listener bug");

            UserError error = RecordCommand.failure(session.readerFailure(), session.listenerFailure(), "x.bscap");
            assertThat(error.exitCode()).isEqualTo(ExitCodes.INTERNAL);
            assertThat(error.getMessage()).startsWith("recording stopped: the capture writer failed: "
                    + "java.lang.IllegalStateException: listener bug").doesNotContain("\n");
        }
    }

    @Test
    void aDeadReaderIsAnInternalErrorThatSaysWhatToDo() {
        UserError error = RecordCommand.failure(new IndexOutOfBoundsException("ring position 12"), null, "x.bscap");

        assertThat(error.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(error.getMessage()).startsWith("recording stopped: the ring buffer reader failed: ")
                .contains("ring position 12", "bpfscope info x.bscap", "please report it with the log");
    }

    @Test
    void anOutputThatFailsIsBadInputAndNoFailureIsNoError() {
        assertThat(RecordCommand.failure(null, new IOException("No space left on device"), "x.bscap").exitCode())
                .isEqualTo(ExitCodes.INPUT);
        assertThat(RecordCommand.failure(null, null, "x.bscap")).isNull();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
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
