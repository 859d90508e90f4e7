package io.bpfscope.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a dataset directory may go, and that it is whole or absent. */
class AtomicDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aNewDirectoryIsPrivateAndAppearsOnlyOnCommit() throws Exception {
        Path target = dir.resolve("set");
        try (AtomicDirectory output = AtomicDirectory.open(target, false)) {
            Files.createDirectory(output.directory().resolve("probe=exec"));
            Files.writeString(output.directory().resolve("probe=exec/data.parquet"), "x");
            assertThat(target).doesNotExist();
            output.commit();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("probe=exec/data.parquet"))))
                .isEqualTo("rw-------");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void withoutACommitNothingIsLeft() throws Exception {
        Path target = dir.resolve("set");
        try (AtomicDirectory output = AtomicDirectory.open(target, false)) {
            Files.writeString(output.directory().resolve("half"), "x");
        }
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void linksFilesAndOtherUsersDirectoriesAreRefusedEvenWithForce() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), elsewhere);
        assertThatThrownBy(() -> AtomicDirectory.open(link, true)).isInstanceOf(OutputRefusedException.class)
                .hasMessageContaining("symbolic link");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> AtomicDirectory.open(file, true)).isInstanceOf(OutputRefusedException.class)
                .hasMessageContaining("not a directory");
        Path full = Files.createDirectory(dir.resolve("full"));
        Files.writeString(full.resolve("mine.txt"), "x");
        assertThatThrownBy(() -> AtomicDirectory.open(full, false)).isInstanceOf(OutputRefusedException.class)
                .hasMessageContaining("not empty");
        if (InvokingUser.current().uid() == 0) { // root can hand a directory to someone else
            Path theirs = Files.createDirectory(dir.resolve("theirs"));
            Files.setAttribute(theirs, "unix:uid", 65534);
            assertThatThrownBy(() -> AtomicDirectory.open(theirs, true)).isInstanceOf(OutputRefusedException.class)
                    .hasMessageContaining("belongs to uid 65534");
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void forceReplacesOnlyTheDatasetPartsOfAnExistingDirectory() throws Exception {
        Path target = Files.createDirectory(dir.resolve("set"));
        Files.writeString(target.resolve("notes.txt"), "mine");
        Files.createDirectory(target.resolve("probe=tls"));
        Files.writeString(target.resolve("probe=tls/data.parquet"), "old");
        try (AtomicDirectory output = AtomicDirectory.open(target, true)) {
            Files.createDirectory(output.directory().resolve("probe=exec"));
            Files.writeString(output.directory().resolve("probe=exec/data.parquet"), "new");
            output.commit();
        }
        try (Stream<Path> names = Files.list(target)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", "probe=exec");
        }
        assertThat(Files.readString(target.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(leftovers()).isEmpty();
    }

    private java.util.List<String> leftovers() throws Exception {
        try (Stream<Path> names = Files.list(dir)) {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
        }
    }
}
