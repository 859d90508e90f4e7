package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.io.BpfscopeProcess;
import io.bpfscope.io.FileSnapshot;
import io.bpfscope.io.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

/**
 * {@code export -o} and {@code record -o} as root, against what a hostile or
 * careless name can be: a link to another user's file, another user's file
 * in a sticky directory, a FIFO, a device, the input itself; and exports that
 * fail or are cancelled. Each checks the exit, the one-line reason, that the
 * target's owner, mode and content are as they were, and that no temporary
 * file is left in the directory.
 */
@RequiresBpf("creating a user and chowning files needs root")
class OutputFileSafetyTest {
    private static final Path DEMO = Paths.get(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");

    @TempDir
    Path dir;

    private TestUser user;

    @BeforeEach
    void createTestUser() throws Exception {
        user = TestUser.ensure();
    }

    @Test
    void aSymbolicLinkIsNeverFollowedNotEvenWithForce() throws Exception {
        Path victim = file("victim", "belongs to the test user\n");
        user.owns(victim);
        Path link = Files.createSymbolicLink(dir.resolve("LINK"), victim);
        FileSnapshot victimBefore = FileSnapshot.of(victim);
        FileSnapshot linkBefore = FileSnapshot.of(link);

        for (String[] extra : new String[][] {{}, {"--force"}}) {
            Ran ran = export(DEMO, link, extra);
            assertThat(ran.exit).as(ran.stderr).isEqualTo(ExitCodes.INPUT);
            assertThat(ran.stderr).contains(link + " is a symbolic link").hasLineCount(1);
        }
        assertThat(FileSnapshot.of(victim)).isEqualTo(victimBefore);
        assertThat(FileSnapshot.of(link)).isEqualTo(linkBefore);
        assertDirectoryHoldsOnly("victim", "LINK");
    }

    @Test
    void anotherUsersFileInAStickyDirectoryIsNotReplaced() throws Exception {
        Path sticky = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(sticky, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Path theirs = Files.writeString(sticky.resolve("report.jsonl"), "the test user's report\n");
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rw-r--r--"));
        user.owns(theirs);
        FileSnapshot before = FileSnapshot.of(theirs);

        Ran plain = export(DEMO, theirs);
        assertThat(plain.exit).isEqualTo(ExitCodes.INPUT);
        assertThat(plain.stderr.trim()).isEqualTo("bpfscope: " + theirs
                + " exists; choose another name or add --force to replace it");
        Ran forced = export(DEMO, theirs, "--force");
        assertThat(forced.exit).isEqualTo(ExitCodes.INPUT);
        assertThat(forced.stderr).contains("belongs to uid " + user.uid() + ", not to you").hasLineCount(1);
        // Under sudo by a third user (nobody), as sudo would run it: still not theirs to replace.
        BpfscopeProcess.Result bySomeoneElse = BpfscopeProcess.run(BpfscopeProcess.sudoBy(65534, 65534), "export",
                DEMO.toString(), "--format", "jsonl", "-o", theirs.toString(), "--force");
        assertThat(bySomeoneElse.exitCode()).as(bySomeoneElse.stderr()).isEqualTo(ExitCodes.INPUT);
        assertThat(bySomeoneElse.stderr()).contains("belongs to uid " + user.uid() + ", not to you (uid 65534)");

        assertThat(FileSnapshot.of(theirs)).isEqualTo(before);
        assertDirectoryHoldsOnly(sticky, "report.jsonl");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe");
        TestUser.run("mkfifo", "-m", "0666", fifo.toString());
        user.owns(fifo);
        FileSnapshot before = FileSnapshot.of(fifo);
        // Opening a FIFO for writing would wait for a reader for ever: the refusal must come without opening it.
        Ran ran = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> export(DEMO, fifo, "--force"));
        assertThat(ran.exit).isEqualTo(ExitCodes.INPUT);
        assertThat(ran.stderr).contains(fifo + " is a FIFO, not a regular file").hasLineCount(1);
        assertThat(FileSnapshot.of(fifo)).isEqualTo(before);
        assertDirectoryHoldsOnly("pipe");
    }

    @Test
    void aDeviceNodeIsRefused() throws Exception {
        Path device = dir.resolve("null");
        TestUser.run("mknod", "-m", "0666", device.toString(), "c", "1", "3");
        assertThat(Files.exists(device, LinkOption.NOFOLLOW_LINKS)).as("mknod made %s", device).isTrue();
        FileSnapshot before = FileSnapshot.of(device);
        FileSnapshot devNull = FileSnapshot.of(Path.of("/dev/null"));

        for (Path target : List.of(device, Path.of("/dev/null"))) {
            Ran ran = export(DEMO, target, "--force");
            assertThat(ran.exit).isEqualTo(ExitCodes.INPUT);
            assertThat(ran.stderr).contains(target + " is a character device, not a regular file").hasLineCount(1);
        }
        assertThat(FileSnapshot.of(device)).isEqualTo(before);
        assertThat(FileSnapshot.of(Path.of("/dev/null"))).isEqualTo(devNull);
        assertDirectoryHoldsOnly("null");
    }

    @Test
    void exportingOntoItsInputIsRefusedUnderAnyName() throws Exception {
        Path input = Files.copy(DEMO, dir.resolve("x.bscap"));
        Path hardLink = Files.createLink(dir.resolve("same.bscap"), input);
        FileSnapshot before = FileSnapshot.of(input);

        for (Path target : List.of(input, hardLink, dir.resolve(".").resolve("x.bscap"))) {
            for (String[] extra : new String[][] {{}, {"--force"}}) {
                Ran ran = export(input, target, extra);
                assertThat(ran.exit).as(ran.stderr).isEqualTo(ExitCodes.INPUT);
                assertThat(ran.stderr).contains(" is the file being read; choose another name").hasLineCount(1);
            }
        }
        assertThat(FileSnapshot.of(input)).isEqualTo(before);
        assertDirectoryHoldsOnly("x.bscap", "same.bscap");
    }

    @Test
    void anExportThatFailsAfterItsOutputWasCreatedLeavesNothingBehind() throws Exception {
        // A field no probe has passes the syntax check and is refused once the header is read: after OUT was made.
        Path target = dir.resolve("new.jsonl");
        Ran ran = export(DEMO, target, "--filter", "no_such_field == 3");
        assertThat(ran.exit).isEqualTo(ExitCodes.INPUT);
        assertThat(ran.stderr).contains("unknown field 'no_such_field'");
        assertDirectoryHoldsOnly();

        Path own = file("own.jsonl", "an older export\n");
        FileSnapshot before = FileSnapshot.of(own);
        Ran forced = export(DEMO, own, "--force", "--filter", "no_such_field == 3");
        assertThat(forced.exit).isEqualTo(ExitCodes.INPUT);
        assertThat(FileSnapshot.of(own)).isEqualTo(before);
        assertDirectoryHoldsOnly("own.jsonl");
    }

    @Test
    void anExportThatFillsTheDiskLeavesNothingBehindAndKeepsTheOldFile() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        // 64 KiB of tmpfs: the demo's JSON Lines (about 170 KiB) cannot fit.
        TestUser.run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", small.toString());
        try {
            Path target = small.resolve("full.jsonl");
            Ran ran = export(DEMO, target);
            assertThat(ran.exit).isEqualTo(ExitCodes.INPUT);
            assertThat(ran.stderr).contains("writing " + target + ": no space left on the device").hasLineCount(1);
            assertDirectoryHoldsOnly(small);

            Path own = Files.writeString(small.resolve("own.jsonl"), "kept\n");
            FileSnapshot before = FileSnapshot.of(own);
            Ran forced = export(DEMO, own, "--force");
            assertThat(forced.exit).isEqualTo(ExitCodes.INPUT);
            assertThat(forced.stderr).contains("no space left on the device");
            assertThat(FileSnapshot.of(own)).isEqualTo(before);
            assertDirectoryHoldsOnly(small, "own.jsonl");
        } finally {
            TestUser.run("umount", small.toString());
        }
    }

    @Test
    void ctrlCDuringAnExportLeavesNothingBehindAndKeepsTheOldFile() throws Exception {
        Path own = file("old.jsonl", "the previous export\n");
        FileSnapshot before = FileSnapshot.of(own);
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed, 1 << 20);
        InputStream originalIn = System.in;
        // A SIGINT that came before export installs its own handler must not end the test JVM.
        sun.misc.SignalHandler originalInt = Signal.handle(new Signal("INT"), signal -> { });
        System.setIn(stdin);
        try {
            CompletableFuture<Ran> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return export(Path.of("-"), own, "--force");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host", "6.1", 0, 0,
                    1 << 20, List.of());
            CaptureWriter writer = new CaptureWriter(feed, header);
            appendRecords(writer, 100);
            waitFor(() -> stdin.available() == 0 || running.isDone());
            // All that was sent has been read: export is reading events, past installing its Ctrl-C handler.
            TestUser.run("kill", "-INT", Long.toString(ProcessHandle.current().pid()));
            try {
                for (int i = 0; i < 500 && !running.isDone(); i++) {
                    appendRecords(writer, 2048); // export looks at Ctrl-C between chunks of records
                }
            } catch (IOException e) {
                // export stopped reading and closed stdin: cancelled
            }
            Ran ran = running.get(60, TimeUnit.SECONDS);
            assertThat(ran.exit).as(ran.stderr).isEqualTo(ExitCodes.INPUT);
            assertThat(ran.stderr).contains("export cancelled; nothing was written to " + own);
        } finally {
            System.setIn(originalIn);
            Signal.handle(new Signal("INT"), originalInt);
        }
        assertThat(FileSnapshot.of(own)).isEqualTo(before);
        assertDirectoryHoldsOnly("old.jsonl");
    }

    @Test
    void forceReplacesTheUsersOwnRegularFile() throws Exception {
        Path own = file("mine.jsonl", "old\n");
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-r--r--"));
        Ran ran = export(DEMO, own, "--force");
        assertThat(ran.exit).as(ran.stderr).isZero();
        assertThat(Files.readAllLines(own)).hasSize(549);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(own))).isEqualTo("rw-------");
        assertDirectoryHoldsOnly("mine.jsonl");
    }

    @Test
    void underSudoTheFileIsTheInvokingUsersAndForceReplacesOnlyTheirs() throws Exception {
        Map<String, String> sudo = BpfscopeProcess.sudoBy(user.uid(), user.gid());
        Path created = dir.resolve("theirs.jsonl");
        BpfscopeProcess.Result first = BpfscopeProcess.run(sudo, "export", DEMO.toString(), "--format", "jsonl", "-o",
                created.toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        Map<String, Object> owner = Files.readAttributes(created, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(owner.get("uid")).isEqualTo(user.uid());
        assertThat(owner.get("gid")).isEqualTo(user.gid());
        assertThat((Integer) owner.get("mode") & 07777).isEqualTo(0600);
        assertThat(Files.readAllLines(created)).hasSize(549);

        Files.writeString(created, "changed by the user\n");
        BpfscopeProcess.Result again = BpfscopeProcess.run(sudo, "export", DEMO.toString(), "--format", "csv", "-o",
                created.toString(), "--force");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(Files.readString(created)).startsWith("seq,");
        assertThat((Integer) Files.getAttribute(created, "unix:uid")).isEqualTo(user.uid());

        Path roots = file("roots.jsonl", "root's\n");
        FileSnapshot before = FileSnapshot.of(roots);
        BpfscopeProcess.Result refused = BpfscopeProcess.run(sudo, "export", DEMO.toString(), "--format", "jsonl", "-o",
                roots.toString(), "--force");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(refused.stderr()).contains("belongs to uid 0, not to you (uid " + user.uid() + ")");
        assertThat(FileSnapshot.of(roots)).isEqualTo(before);
        assertDirectoryHoldsOnly("theirs.jsonl", "roots.jsonl");
    }

    @Test
    void theModeIsExactly0600WhateverTheUmask() throws Exception {
        Path created = dir.resolve("strict.jsonl");
        BpfscopeProcess.Result result = BpfscopeProcess.runWithUmask("0377", Map.of(), "export", DEMO.toString(),
                "--format", "jsonl", "-o", created.toString());
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat((Integer) Files.getAttribute(created, "unix:mode") & 07777).isEqualTo(0600);
        assertThat(Files.readAllLines(created)).hasSize(549);
    }

    @Test
    void recordRefusesAnExistingFileBeforeAttachingAnything() throws Exception {
        Path existing = file("x.bscap", "an earlier capture\n");
        user.owns(existing);
        Path link = Files.createSymbolicLink(dir.resolve("link.bscap"), existing);
        FileSnapshot before = FileSnapshot.of(existing);
        for (Path target : List.of(existing, link)) {
            Ran ran = run("record", "-p", "exec", "--duration", "1s", "--force", "-o", target.toString());
            assertThat(ran.exit).as(ran.stderr).isEqualTo(ExitCodes.INPUT);
            assertThat(ran.stderr).doesNotContain("recording").hasLineCount(1);
        }
        Ran plain = run("record", "-p", "exec", "--duration", "1s", "-o", existing.toString());
        assertThat(plain.stderr).contains("exists; choose another name or add --force");
        assertThat(FileSnapshot.of(existing)).isEqualTo(before);
        assertDirectoryHoldsOnly("x.bscap", "link.bscap");
    }

    private void appendRecords(CaptureWriter writer, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            byte[] record = io.bpfscope.bench.CaptureBenchmark.execRecord(i);
            writer.append(record, 0, record.length);
        }
        writer.flush(new CaptureCounters(0, count, 0, List.of()));
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private void assertDirectoryHoldsOnly(String... names) throws IOException {
        assertDirectoryHoldsOnly(dir, names);
    }

    /** Nothing but {@code names}: no output where it was refused, no temporary file anywhere. */
    private static void assertDirectoryHoldsOnly(Path directory, String... names) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(names);
        }
    }

    private Ran export(Path input, Path output, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("export", input.toString(), "--format", "jsonl", "-o",
                output.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** What Main.run returned and wrote to stderr. */
    private record Ran(int exit, String stderr) {
    }

    private static synchronized Ran run(String... args) throws IOException {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Ran(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
        }
    }

    private static void waitFor(Check condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.test()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean test() throws Exception;
    }
}
