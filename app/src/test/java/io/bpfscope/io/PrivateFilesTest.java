package io.bpfscope.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules every file bpfscope writes follows, and the races between a check and a rename. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void createMakesANewPrivateFileAndRefusesAnExistingOne() throws IOException {
        Path file = dir.resolve("a.bscap");
        try (OutputStream out = PrivateFiles.create(file, false)) {
            out.write("first".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(mode(file)).isEqualTo(0600);
        assertThatThrownBy(() -> PrivateFiles.create(file, false)).isInstanceOf(OutputRefusedException.class)
                .hasMessage(file + " exists; choose another name or add --force to replace it");
        assertThat(Files.readString(file)).isEqualTo("first");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (OutputStream out = PrivateFiles.create(file, true)) {
            out.write("second".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(mode(file)).isEqualTo(0600);
        assertDirectoryHoldsOnly(dir, "a.bscap");
    }

    @Test
    void aTemporaryFileIsPrivateAndDeleteRemovesIt() throws IOException {
        PrivateFile temporary = PrivateFiles.createTemporary(dir, "bpfscope-live-", ".bscap");
        try (OutputStream out = temporary.stream()) {
            out.write(new byte[100_000]);
        }
        assertThat(temporary.path().getParent()).isEqualTo(dir);
        assertThat(temporary.path().getFileName().toString()).matches("bpfscope-live-[0-9a-f]{16}\\.bscap");
        assertThat(mode(temporary.path())).isEqualTo(0600);
        assertThat(Files.size(temporary.path())).isEqualTo(100_000);
        PrivateFiles.delete(temporary.path());
        assertDirectoryHoldsOnly(dir);
    }

    @Test
    void anAtomicOutputAppearsOnlyWhenCommitted() throws IOException {
        Path target = dir.resolve("export.jsonl");
        try (AtomicOutput output = AtomicOutput.open(target, false, List.of())) {
            output.stream().write("{}\n".getBytes(StandardCharsets.UTF_8));
            output.stream().close(); // what an exporter does: the output still needs its commit
            assertThat(target).doesNotExist();
            assertThat(output.temporaryFile().getParent()).isEqualTo(dir);
            assertThat(mode(output.temporaryFile())).isEqualTo(0600);
            output.commit();
        }
        assertThat(Files.readString(target)).isEqualTo("{}\n");
        assertThat(mode(target)).isEqualTo(0600);

        Path abandoned = dir.resolve("abandoned.jsonl");
        try (AtomicOutput output = AtomicOutput.open(abandoned, false, List.of())) {
            output.stream().write("half".getBytes(StandardCharsets.UTF_8));
        }
        assertDirectoryHoldsOnly(dir, "export.jsonl");
    }

    @Test
    void aNameThatAppearsBeforeTheCommitIsNotReplacedWithoutForce() throws IOException {
        Path target = dir.resolve("race.jsonl");
        try (AtomicOutput output = AtomicOutput.open(target, false, List.of())) {
            output.stream().write("ours".getBytes(StandardCharsets.UTF_8));
            Files.writeString(target, "someone else's");
            assertThatThrownBy(output::commit).isInstanceOf(OutputRefusedException.class)
                    .hasMessageContaining("exists");
        }
        assertThat(Files.readString(target)).isEqualTo("someone else's");
        assertDirectoryHoldsOnly(dir, "race.jsonl");
    }

    @Test
    void aTargetSwappedForALinkBeforeTheCommitIsNotWrittenThrough() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "not yours");
        Path target = Files.writeString(dir.resolve("mine.csv"), "old");
        try (AtomicOutput output = AtomicOutput.open(target, true, List.of())) {
            output.stream().write("new".getBytes(StandardCharsets.UTF_8));
            Files.delete(target);
            Files.createSymbolicLink(target, victim);
            assertThatThrownBy(output::commit).isInstanceOf(OutputRefusedException.class)
                    .hasMessageContaining("symbolic link");
        }
        assertThat(Files.readString(victim)).isEqualTo("not yours");
        assertThat(Files.isSymbolicLink(target)).isTrue();
        assertDirectoryHoldsOnly(dir, "victim", "mine.csv");
    }

    @Test
    void theLogIsCreatedPrivateInPrivateDirectoriesAndAppendedTo() throws IOException {
        Path log = dir.resolve("cache/bpfscope/bpfscope.log");
        try (OutputStream out = PrivateFiles.openLog(log, 1 << 20)) {
            out.write("one\n".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = PrivateFiles.openLog(log, 1 << 20)) {
            out.write("two\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(log)).isEqualTo("one\ntwo\n");
        assertThat(mode(log)).isEqualTo(0600);
        assertThat(mode(log.getParent())).isEqualTo(0700);
        assertThat(mode(dir.resolve("cache"))).isEqualTo(0700);
    }

    @Test
    void theLogIsRotatedPastItsLimit() throws IOException {
        Path log = dir.resolve("bpfscope.log");
        Files.writeString(log, "x".repeat(2000));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--")); // as java.util.logging left it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        try (OutputStream out = PrivateFiles.openLog(log, 1000)) {
            out.write("fresh\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(log)).isEqualTo("fresh\n");
        assertThat(mode(log)).isEqualTo(0600);
        assertThat(Files.size(dir.resolve("bpfscope.log.1"))).isEqualTo(2000);
    }

    @Test
    void aLogThatIsALinkAFifoOrHasAnotherNameIsNotWritten() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path log = dir.resolve("bpfscope.log");
        Files.createSymbolicLink(log, victim);
        assertThatThrownBy(() -> PrivateFiles.openLog(log, 1 << 20)).isInstanceOf(IOException.class)
                .hasMessageContaining("symbolic link");
        Files.delete(log);
        Files.createLink(log, victim);
        assertThatThrownBy(() -> PrivateFiles.openLog(log, 1 << 20)).isInstanceOf(OutputRefusedException.class)
                .hasMessageContaining("2 names");
        Files.delete(log);
        TestUser.run("mkfifo", log.toString());
        // Opening a FIFO to write waits for a reader: the log must be refused without waiting.
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> PrivateFiles.openLog(log, 1 << 20))).isInstanceOf(IOException.class)
                .hasMessageContaining("a FIFO");
        assertThat(Files.readString(victim)).isEqualTo("precious");
    }

    @Test
    void aLogDirectoryOthersCanWriteOrThatIsALinkIsNotUsed() throws IOException {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateFiles.openLog(open.resolve("bpfscope.log"), 1 << 20))
                .isInstanceOf(OutputRefusedException.class).hasMessageContaining("others can write");
        Path linked = Files.createSymbolicLink(dir.resolve("linked"), Files.createDirectory(dir.resolve("real")));
        assertThatThrownBy(() -> PrivateFiles.openLog(linked.resolve("bpfscope.log"), 1 << 20))
                .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
        assertDirectoryHoldsOnly(open);
        assertDirectoryHoldsOnly(dir.resolve("real"));
    }

    @Test
    void sudoCountsOnlyForRootAndTheHomeComesFromThePasswordDatabase() throws Exception {
        Map<String, String> sudo = Map.of("SUDO_UID", "0", "SUDO_GID", "0", "HOME", "/root");
        assertThat(InvokingUser.of(sudo, 0, 0, 0).viaSudo()).isFalse();
        Map<String, String> byUser = Map.of("SUDO_UID", "4321", "SUDO_GID", "99", "HOME", "/root");
        assertThat(InvokingUser.of(byUser, 1000, 1000, 1000)).isEqualTo(new InvokingUser(1000, 1000,
                Path.of(System.getProperty("user.home")), false));
        InvokingUser root = InvokingUser.of(byUser, 0, 0, 0);
        assertThat(root.uid()).isEqualTo(4321);
        assertThat(root.gid()).isEqualTo(99);
        assertThat(root.viaSudo()).isTrue();
        assertThat(InvokingUser.of(Map.of("SUDO_UID", "12x", "SUDO_GID", "1"), 0, 0, 0).viaSudo()).isFalse();
        assertThat(InvokingUser.of(Map.of("SUDO_UID", "99999999999", "SUDO_GID", "1"), 0, 0, 0).viaSudo()).isFalse();
        assertThat(InvokingUser.homeOf(0)).isEqualTo(Path.of(passwdHome("root")));
        if (TestUser.succeeds("getent", "passwd", TestUser.NAME)) {
            TestUser user = TestUser.ensure();
            assertThat(InvokingUser.of(Map.of("SUDO_UID", Integer.toString(user.uid()), "SUDO_GID",
                    Integer.toString(user.gid()), "HOME", "/root"), 0, 0, 0).home())
                    .isEqualTo(Path.of(passwdHome(TestUser.NAME)));
        }
    }

    private static String passwdHome(String name) throws Exception {
        return TestUser.run("getent", "passwd", name).trim().split(":")[5];
    }

    private static int mode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static void assertDirectoryHoldsOnly(Path directory, String... names) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(names);
        }
    }
}
