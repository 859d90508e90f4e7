package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real execs, seen by the real exec tracepoint: each file once, however many paths and runs lead to it. */
@RequiresBpf
class ExecutableDiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void reportsARunningExecutableOnceWithItsPids() throws Exception {
        Path sleeper = Files.copy(Path.of("/bin/sleep"), dir.resolve("sleeper-running"));
        Process first = new ProcessBuilder(sleeper.toString(), "30").start();
        Process second = new ProcessBuilder(sleeper.toString(), "30").start();
        List<ExecutableDiscovery.Executable> found = new CopyOnWriteArrayList<>();
        try (ExecutableDiscovery discovery = ExecutableDiscovery.start("test", found::add, w -> { })) {
            List<ExecutableDiscovery.Executable> sleepers = found.stream()
                    .filter(e -> e.file().equals(ExecutableDiscovery.fileId(sleeper).orElseThrow())).toList();
            assertThat(sleepers).hasSize(1);
            assertThat(sleepers.get(0).pids()).contains((int) first.pid(), (int) second.pid());
            assertThat(sleepers.get(0).path()).isEqualTo(sleeper);
            assertThat(sleepers.get(0).comm()).isEqualTo("sleeper-running");
        } finally {
            first.destroy();
            second.destroy();
        }
    }

    @Test
    void reportsAFileExecutedLaterOnceThoughRunTwiceThroughTwoPaths() throws Exception {
        Path sleeper = Files.copy(Path.of("/bin/sleep"), dir.resolve("sleeper-started"));
        Path hardLink = Files.createLink(dir.resolve("sleeper-link"), sleeper);
        ExecutableDiscovery.FileId id = ExecutableDiscovery.fileId(sleeper).orElseThrow();
        List<ExecutableDiscovery.Executable> found = new CopyOnWriteArrayList<>();
        try (ExecutableDiscovery discovery = ExecutableDiscovery.start("test", found::add, w -> { })) {
            assertThat(found).noneMatch(e -> e.file().equals(id));
            Process first = new ProcessBuilder(sleeper.toString(), "1").start();
            Process second = new ProcessBuilder(hardLink.toString(), "1").start();
            first.waitFor();
            second.waitFor();
            Thread.sleep(2500); // past one look through /proc as well
            List<ExecutableDiscovery.Executable> sleepers = found.stream().filter(e -> e.file().equals(id)).toList();
            assertThat(sleepers).hasSize(1);
            assertThat(sleepers.get(0).pids()).hasSize(1).containsAnyOf((int) first.pid(), (int) second.pid());
        }
        List<ExecutableDiscovery.Executable> afterClose = List.copyOf(found);
        Path late = Files.copy(Path.of("/bin/sleep"), dir.resolve("sleeper-late"));
        new ProcessBuilder(late.toString(), "0.3").start().waitFor();
        Thread.sleep(100);
        assertThat(found).isEqualTo(afterClose);
    }
}
