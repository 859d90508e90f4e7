package io.bpfscope.probes.tracepoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any tracepoint, attached for real: fields decoded from the host's format files. */
@RequiresBpf
class GenericTracepointProbeTest {
    private static final int THIS_JVM = (int) ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private static ProbeHarness attach(String spec, ProbeOptions options) throws Exception {
        return ProbeHarness.attach(ProbeCatalog.find(spec).orElseThrow(), options);
    }

    @Test
    void forkGivesTheParentCommAndTheChildPid() throws Exception {
        try (ProbeHarness probe = attach("tracepoint:sched:sched_process_fork", ProbeOptions.defaults().withPid(THIS_JVM))) {
            Process child = new ProcessBuilder("true").start();
            int childPid = (int) child.pid();
            child.waitFor(5, TimeUnit.SECONDS);

            List<TracepointEvent> forks = probe.await(TracepointEvent.class,
                    e -> Long.valueOf(childPid).equals(e.field("child_pid")), 1, Duration.ofSeconds(5));
            assertThat(forks).as("the fork of child %d", childPid).hasSize(1);
            TracepointEvent fork = forks.get(0);
            assertThat(fork.tracepoint()).isEqualTo("sched:sched_process_fork");
            // parent_comm is a __data_loc string on recent kernels, char[16] on older ones: both decode to the thread's name.
            assertThat(fork.field("parent_comm")).isEqualTo(fork.header().comm());
            assertThat(fork.field("parent_pid")).isEqualTo((long) fork.header().tid());
            assertThat(fork.field("child_comm")).isEqualTo(fork.header().comm());
            assertThat(fork.fields()).containsKeys("tracepoint", "parent_comm", "parent_pid", "child_comm", "child_pid")
                    .doesNotContainKeys("common_pid", "record_truncated");
            assertThat(fork.summary()).startsWith("sched:sched_process_fork parent_comm=").contains("child_pid=" + childPid);
        }
    }

    @Test
    void unlinkatGivesThePathReadFromUserMemory() throws Exception {
        Path file = Files.writeString(dir.resolve("doomed file.txt"), "x");
        try (ProbeHarness probe = attach("tracepoint:syscalls:sys_enter_unlinkat", ProbeOptions.defaults().withComm("rm"))) {
            Process rm = new ProcessBuilder("rm", "-f", file.toString()).start();
            assertThat(rm.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(file).doesNotExist();

            List<TracepointEvent> unlinks = probe.await(TracepointEvent.class,
                    e -> file.toString().equals(e.field("pathname")), 1, Duration.ofSeconds(5));
            assertThat(unlinks).as("rm's unlinkat of %s", file).hasSize(1);
            TracepointEvent unlink = unlinks.get(0);
            assertThat(unlink.header().pid()).isEqualTo((int) rm.pid());
            assertThat(unlink.field("dfd")).isEqualTo(-100L); // AT_FDCWD, an int in an 8-byte slot
            assertThat(unlink.field("flag")).isEqualTo(0L);
            assertThat(unlink.field("__syscall_nr")).isEqualTo(263L); // x86_64 unlinkat
        }
    }

    @Test
    void execFilenameIsADataLocString() throws Exception {
        GenericTracepointProbe exec = GenericTracepointProbe.of("tracepoint:sched:sched_process_exec");
        assertThat(exec.parsedFormat().field("filename").orElseThrow().kind())
                .isEqualTo(TracepointFormat.Kind.DATA_LOC_STRING);
        Path tru = Path.of("/usr/bin/true").toRealPath();
        try (ProbeHarness probe = ProbeHarness.attach(exec, ProbeOptions.defaults())) {
            Process child = new ProcessBuilder(tru.toString()).start();
            child.waitFor(5, TimeUnit.SECONDS);

            // The JVM may exec its spawn helper in the child first: wait for the exec of true itself.
            List<TracepointEvent> execs = probe.await(TracepointEvent.class,
                    e -> e.header().pid() == child.pid() && "true".equals(e.header().comm()), 1, Duration.ofSeconds(5));
            assertThat(execs).hasSize(1);
            assertThat(execs.get(0).field("filename")).isEqualTo(tru.toString());
            assertThat(execs.get(0).field("tp_pid")).isEqualTo(child.pid()); // "pid" is the header's: renamed
        }
    }
}
