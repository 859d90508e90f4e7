package io.bpfscope.probes.exit;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.Await;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@RequiresBpf
class ExitProbeTest {
    private static final int SIGKILL = 9;

    @Test
    void reportsTheExitCodeOfAChild() throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exit").orElseThrow(), ProbeOptions.defaults())) {
            Process child = new ProcessBuilder("/bin/sh", "-c", "sleep 0.05; exit 3").start();
            assertThat(child.waitFor()).isEqualTo(3);
            List<ExitEvent> events = probe.await(ExitEvent.class, e -> e.header().pid() == child.pid(), 1,
                    Duration.ofSeconds(5));

            assertThat(events).hasSize(1);
            ExitEvent exit = events.get(0);
            assertThat(exit.exitCode()).isEqualTo(3);
            assertThat(exit.signal()).isZero();
            assertThat(exit.coreDumped()).isFalse();
            assertThat(exit.ppid()).isEqualTo((int) ProcessHandle.current().pid());
            assertThat(exit.header().comm()).isEqualTo("sh");
            // It slept 50 ms before exiting; minutes would mean the wrong clock or start time.
            assertThat(exit.lifetime()).isBetween(Duration.ofMillis(50), Duration.ofSeconds(5));
            assertThat(exit.fields()).containsEntry("exit_code", 3).containsEntry("signal", 0)
                    .doesNotContainKey("signal_name");
            assertThat(exit.summary()).matches("exited 3 after \\d+\\.\\d\\d ms");
        }
    }

    @Test
    void reportsTheSignalThatKilledAChild() throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exit").orElseThrow(), ProbeOptions.defaults())) {
            long beforeStart = System.nanoTime();
            Process child = new ProcessBuilder("sleep", "30").start();
            long afterStart = System.nanoTime(); // the child was born between these two
            Path comm = Path.of("/proc", Long.toString(child.pid()), "comm");
            Await.until("the child to run sleep", Duration.ofSeconds(5), () -> commIs(comm, "sleep")); // killed after its exec
            long beforeKill = System.nanoTime();
            child.destroyForcibly();
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
            long afterExit = System.nanoTime();
            List<ExitEvent> events = probe.await(ExitEvent.class, e -> e.header().pid() == child.pid(), 1,
                    Duration.ofSeconds(5));

            assertThat(events).hasSize(1);
            ExitEvent exit = events.get(0);
            assertThat(exit.signal()).isEqualTo(SIGKILL);
            assertThat(exit.exitCode()).isZero();
            assertThat(exit.header().comm()).isEqualTo("sleep");
            assertThat(exit.lifetime()).isBetween(Duration.ofNanos(beforeKill - afterStart), Duration.ofNanos(afterExit - beforeStart));
            assertThat(exit.fields()).containsEntry("signal", SIGKILL).containsEntry("signal_name", "SIGKILL");
            assertThat(exit.summary()).startsWith("killed by SIGKILL after ");
        }
    }

    @Test
    void reportsAMultiThreadedProcessOnceWhenItsLastThreadExits() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exit").orElseThrow(), ProbeOptions.defaults())) {
            // A JVM runs a dozen threads before it finds out the class is missing and exits 1.
            Process child = new ProcessBuilder(java.toString(), "-Xint", "-cp", "/nonexistent", "NoSuchClass")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(1);
            probe.await(ExitEvent.class, e -> e.header().pid() == child.pid(), 2, Duration.ofSeconds(2));
            List<ExitEvent> events = probe.await(ExitEvent.class, e -> e.header().pid() == child.pid(), 1,
                    Duration.ZERO);

            assertThat(events).hasSize(1);
            assertThat(events.get(0).exitCode()).isEqualTo(1);
            assertThat(events.get(0).signal()).isZero();
        }
    }

    @Test
    void pidFilterIsAppliedInTheKernel() throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exit").orElseThrow(),
                ProbeOptions.defaults().withPid(Integer.MAX_VALUE - 1))) {
            new ProcessBuilder("/bin/true").start().waitFor();
            assertThat(probe.await(ExitEvent.class, e -> true, 1, Duration.ofMillis(500))).isEmpty();
        }
    }

    private static boolean commIs(Path comm, String name) {
        try {
            return Files.readString(comm).strip().equals(name);
        } catch (IOException gone) {
            return false;
        }
    }
}
