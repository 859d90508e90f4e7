package io.bpfscope.probes.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@RequiresBpf
class ExecProbeTest {
    @Test
    void seesSuccessfulExecWithArgvAndParent() throws Exception {
        String token = "tok-" + UUID.randomUUID();
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exec").orElseThrow(), ProbeOptions.defaults())) {
            Process process = new ProcessBuilder("/bin/echo", token, "second arg").start();
            process.waitFor();
            List<ExecEvent> events = probe.await(ExecEvent.class, e -> e.argv().contains(token), 1, Duration.ofSeconds(5));

            assertThat(events).hasSize(1);
            ExecEvent exec = events.get(0);
            assertThat(exec.filename()).isEqualTo("/bin/echo");
            assertThat(exec.argv()).containsExactly("/bin/echo", token, "second arg");
            assertThat(exec.retval()).isZero();
            assertThat(exec.header().pid()).isEqualTo((int) process.pid());
            assertThat(exec.header().tid()).isEqualTo((int) process.pid());
            assertThat(exec.ppid()).isEqualTo((int) ProcessHandle.current().pid());
            assertThat(exec.header().comm()).isEqualTo("echo");
            assertThat(exec.header().source()).isEqualTo(7);
            assertThat(probe.loaded().lost()).isZero();
        }
    }

    @Test
    void reportsFailedExecWithErrno() throws Exception {
        Path missing = Path.of("/nonexistent-" + UUID.randomUUID());
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exec").orElseThrow(), ProbeOptions.defaults())) {
            // bash execs the missing path itself and gets ENOENT from execve.
            new ProcessBuilder("/bin/bash", "-c", "exec " + missing + " 2>/dev/null").start().waitFor();
            List<ExecEvent> events = probe.await(ExecEvent.class, e -> e.filename().equals(missing.toString()), 1,
                    Duration.ofSeconds(5));

            assertThat(events).hasSize(1);
            assertThat(events.get(0).retval()).isEqualTo(-2);
            assertThat(events.get(0).fields()).containsEntry("error", "ENOENT");
            assertThat(events.get(0).summary()).startsWith("ENOENT " + missing);
        }
    }

    @Test
    void marksArgvTruncatedWhenItDoesNotFit() throws Exception {
        String[] command = new String[80];
        command[0] = "/bin/true";
        for (int i = 1; i < command.length; i++) {
            command[i] = "a" + i;
        }
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exec").orElseThrow(), ProbeOptions.defaults())) {
            new ProcessBuilder(command).start().waitFor();
            List<ExecEvent> events = probe.await(ExecEvent.class, e -> e.argv().contains("a1") && e.argv().contains("a2"),
                    1, Duration.ofSeconds(5));

            assertThat(events).hasSize(1);
            assertThat(events.get(0).argv()).hasSize(64).startsWith("/bin/true", "a1");
            assertThat(events.get(0).argsTruncated()).isTrue();
            assertThat(probe.loaded().truncated()).isEqualTo(1);
        }
    }

    @Test
    void pidFilterIsAppliedInTheKernel() throws Exception {
        int unrelatedPid = Integer.MAX_VALUE - 1; // no such process: nothing may arrive
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("exec").orElseThrow(),
                ProbeOptions.defaults().withPid(unrelatedPid))) {
            new ProcessBuilder("/bin/true").start().waitFor();
            assertThat(probe.await(ExecEvent.class, e -> true, 1, Duration.ofMillis(500))).isEmpty();
        }
    }
}
