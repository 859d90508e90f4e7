package io.bpfscope.probes.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.bpfscope.bridge.sys.RequiresBpf;
import org.junit.jupiter.api.Test;

@RequiresBpf
class SignalProbeTest {
    private static final int SIGUSR1 = 10;

    /** The killsnoop case: one process sends kill -USR1 to another; the event names both. */
    @Test
    void reportsWhoSentWhichSignalToWhom() throws Exception {
        try (ProbeHarness probe = ProbeHarness.attach(ProbeCatalog.find("signal").orElseThrow(), ProbeOptions.defaults())) {
            // A handler, so that the signal is delivered (an ignored one is dropped and reported "ignored").
            Process target = new ProcessBuilder("/bin/sh", "-c", "trap 'exit 7' USR1; while :; do sleep 0.05; done").start();
            Thread.sleep(200); // the shell installs its trap
            Process sender = new ProcessBuilder("/bin/kill", "-USR1", Long.toString(target.pid())).start();
            assertThat(sender.waitFor()).isZero();
            assertThat(target.waitFor(5, TimeUnit.SECONDS)).isTrue();
            List<SignalEvent> events = probe.await(SignalEvent.class,
                    e -> e.targetPid() == target.pid() && e.signo() == SIGUSR1, 1, Duration.ofSeconds(5));

            assertThat(events).hasSize(1);
            SignalEvent signal = events.get(0);
            assertThat(signal.header().pid()).isEqualTo((int) sender.pid());
            assertThat(signal.header().comm()).isEqualTo("kill");
            assertThat(signal.targetComm()).isEqualTo("sh");
            assertThat(signal.signalName()).isEqualTo("SIGUSR1");
            assertThat(signal.resultName()).isEqualTo("delivered");
            assertThat(signal.code()).isZero(); // SI_USER: kill(2)
            assertThat(signal.fields()).containsEntry("signo", SIGUSR1).containsEntry("signal", "SIGUSR1")
                    .containsEntry("target_pid", (int) target.pid()).containsEntry("target_comm", "sh")
                    .containsEntry("result", "delivered");
            assertThat(signal.summary()).isEqualTo("SIGUSR1 → sh [" + target.pid() + "]");
        }
    }
}
