package io.bpfscope.probes.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.GoldenHeader;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes of {@code struct signal_event}, at a non-zero offset, every field distinct. */
class SignalDecoderTest {
    private static final int AT = 24;

    private static ByteBuffer record(int signo, int code, int result, boolean group, String targetComm) {
        ByteBuffer b = ByteBuffer.allocate(AT + 80).order(ByteOrder.LITTLE_ENDIAN);
        GoldenHeader.write(b, AT, SignalProbe.KIND);
        b.putInt(AT + 40, signo).putInt(AT + 44, code).putInt(AT + 48, result).putInt(AT + 52, 31337)
                .putInt(AT + 56, group ? 1 : 0).putInt(AT + 60, 0);
        b.put(AT + 64, targetComm.getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    @Test
    void decodesAKill() throws Exception {
        SignalEvent e = new SignalDecoder().decode(record(10, 0, 0, true, "nginx"), AT, 80);

        GoldenHeader.assertDecoded(e.header(), SignalProbe.KIND);
        assertThat(e.signo()).isEqualTo(10);
        assertThat(e.signalName()).isEqualTo("SIGUSR1");
        assertThat(e.targetPid()).isEqualTo(31337);
        assertThat(e.targetComm()).isEqualTo("nginx");
        assertThat(e.group()).isTrue();
        assertThat(e.origin()).isEqualTo("kill");
        assertThat(e.resultName()).isEqualTo("delivered");
        assertThat(e.fields()).containsEntry("signo", 10).containsEntry("signal", "SIGUSR1")
                .containsEntry("target_pid", 31337).containsEntry("target_comm", "nginx").containsEntry("code", 0)
                .containsEntry("origin", "kill").containsEntry("group", true).containsEntry("result", "delivered");
        assertThat(e.summary()).isEqualTo("SIGUSR1 → nginx [31337]");
    }

    @Test
    void namesTheOriginAndWhatBecameOfIt() throws Exception {
        SignalEvent fault = new SignalDecoder().decode(record(11, 1, 0, false, "crasher"), AT, 80);
        assertThat(fault.origin()).isEqualTo("fault");
        assertThat(fault.summary()).isEqualTo("SIGSEGV → crasher [31337] from fault");

        SignalEvent ignored = new SignalDecoder().decode(record(34 + 2, -6, 1, false, "worker"), AT, 80);
        assertThat(ignored.signalName()).isEqualTo("SIGRTMIN+2");
        assertThat(ignored.resultName()).isEqualTo("ignored");
        assertThat(ignored.summary()).isEqualTo("SIGRTMIN+2 → worker [31337] (ignored) from tkill");

        assertThat(new SignalDecoder().decode(record(9, 0x80, 2, true, "x"), AT, 80).origin()).isEqualTo("kernel");
        SignalEvent child = new SignalDecoder().decode(record(17, 1, 1, true, "bash"), AT, 80); // CLD_EXITED
        assertThat(child.summary()).isEqualTo("SIGCHLD → bash [31337] (ignored) from child");
        assertThat(new SignalDecoder().decode(record(9, 0, 7, true, "x"), AT, 80).resultName()).isEqualTo("result 7");
    }

    @Test
    void aShortRecordIsRefused() {
        assertThatThrownBy(() -> new SignalDecoder().decode(record(9, 0, 0, true, "x"), AT, 79))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void everyFieldItReportsIsDeclared() throws Exception {
        SignalEvent e = new SignalDecoder().decode(record(15, 0, 0, true, "sleep"), AT, 80);
        assertThat(SignalProbe.DECLARATION.undeclaredFields(e, List.of())).isEmpty();
    }
}
