package io.bpfscope.probes.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import io.bpfscope.bridge.sys.LibC;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresBpf
class OpenProbeTest {
    private static final ProbeOptions THIS_JVM = ProbeOptions.defaults().withPid((int) ProcessHandle.current().pid());
    private static final long SYS_OPENAT2 = 437; // x86_64 and the generic table
    private static final long RESOLVE_NO_SYMLINKS = 0x04;

    @TempDir
    Path dir;

    private static ProbeHarness attach() throws Exception {
        return ProbeHarness.attach(ProbeCatalog.find("open").orElseThrow(), THIS_JVM);
    }

    private static OpenEvent awaitPath(ProbeHarness probe, Path path) throws Exception {
        List<OpenEvent> events = probe.await(OpenEvent.class, e -> e.path().equals(path.toString()), 1,
                Duration.ofSeconds(5));
        assertThat(events).as("an open of %s", path).hasSize(1);
        return events.get(0);
    }

    @Test
    void seesASuccessfulOpenWithItsFd() throws Exception {
        Path file = Files.writeString(dir.resolve("present.txt"), "hello");
        try (ProbeHarness probe = attach()) {
            new FileInputStream(file.toFile()).close();
            OpenEvent open = awaitPath(probe, file);

            assertThat(open.syscall()).isEqualTo(OpenEvent.Syscall.OPENAT);
            assertThat(open.fd()).isGreaterThanOrEqualTo(0);
            assertThat(open.failed()).isFalse();
            assertThat(open.dfd()).isEqualTo(OpenEvent.AT_FDCWD);
            assertThat(open.header().pid()).isEqualTo((int) ProcessHandle.current().pid());
            assertThat((String) open.fields().get("flags_text")).startsWith("O_RDONLY");
            assertThat(open.fields()).containsEntry("syscall", "openat").containsEntry("path_truncated", false)
                    .doesNotContainKeys("error", "mode");
            assertThat(open.summary()).startsWith("openat " + file + " O_RDONLY").endsWith(" → " + open.fd());
        }
    }

    @Test
    void reportsAMissingFileWithEnoent() throws Exception {
        Path missing = dir.resolve("missing.txt");
        try (ProbeHarness probe = attach()) {
            assertThatThrownBy(() -> new FileInputStream(missing.toFile())).isInstanceOf(FileNotFoundException.class);
            OpenEvent open = awaitPath(probe, missing);

            assertThat(open.ret()).isEqualTo(-2);
            assertThat(open.fd()).isEqualTo(-1);
            assertThat(open.fields()).containsEntry("error", "ENOENT").containsEntry("fd", -1);
            assertThat(open.summary()).endsWith(" → ENOENT");
        }
    }

    @Test
    void showsTheModeOfACreatingOpen() throws Exception {
        Path created = dir.resolve("created.txt");
        try (ProbeHarness probe = attach()) {
            try (SeekableByteChannel channel = Files.newByteChannel(created,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")))) {
                assertThat(channel.isOpen()).isTrue();
            }
            OpenEvent open = awaitPath(probe, created);

            assertThat(open.mode()).isEqualTo(0640);
            assertThat(open.fields()).containsEntry("mode", "0640");
            assertThat((String) open.fields().get("flags_text"))
                    .startsWith("O_WRONLY").contains("|O_CREAT", "|O_EXCL");
            assertThat(open.fd()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void readsFlagsModeAndResolveOfOpenat2FromStructOpenHow() throws Exception {
        Path created = dir.resolve("openat2.txt");
        try (ProbeHarness probe = attach()) {
            Memory how = new Memory(24);
            how.setLong(0, OpenEvent.O_CREAT | 01); // O_WRONLY
            how.setLong(8, 0600);
            how.setLong(16, RESOLVE_NO_SYMLINKS);
            long fd = Function.getFunction("c", "syscall").invokeLong(
                    new Object[] {SYS_OPENAT2, (long) OpenEvent.AT_FDCWD, created.toString(), how, 24L});
            assertThat(fd).as("openat2 fd").isGreaterThanOrEqualTo(0);
            LibC.INSTANCE.close((int) fd);
            OpenEvent open = awaitPath(probe, created);

            assertThat(open.syscall()).isEqualTo(OpenEvent.Syscall.OPENAT2);
            assertThat(open.ret()).isEqualTo((int) fd);
            assertThat(open.fields()).containsEntry("syscall", "openat2").containsEntry("mode", "0600")
                    .containsEntry("flags_text", "O_WRONLY|O_CREAT").containsEntry("resolve", "RESOLVE_NO_SYMLINKS");
        }
    }

    @Test
    void pathPrefixFilterIsAppliedInTheKernel() throws Exception {
        Path keep = Files.writeString(dir.resolve("keep-a.txt"), "a");
        Path drop = Files.writeString(dir.resolve("drop-b.txt"), "b");
        OpenProbe filtered = OpenProbe.PROBE.withPathPrefix(dir.resolve("keep").toString());
        try (ProbeHarness probe = ProbeHarness.attach(filtered, THIS_JVM)) {
            new FileInputStream(drop.toFile()).close();
            new FileInputStream(keep.toFile()).close();
            awaitPath(probe, keep);

            assertThat(probe.seen()).isNotEmpty().allSatisfy(e ->
                    assertThat(((OpenEvent) e).path()).startsWith(dir.resolve("keep").toString()));
        }
    }

    @Test
    void pidFilterIsAppliedInTheKernel() throws Exception {
        Path file = Files.writeString(dir.resolve("other.txt"), "x");
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("open").orElseThrow(),
                ProbeOptions.defaults().withPid(Integer.MAX_VALUE - 1))) {
            new FileInputStream(file.toFile()).close();
            assertThat(probe.await(OpenEvent.class, e -> true, 1, Duration.ofMillis(500))).isEmpty();
        }
    }
}
