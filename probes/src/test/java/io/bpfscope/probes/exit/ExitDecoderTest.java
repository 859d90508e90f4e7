package io.bpfscope.probes.exit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExitDecoderTest {
    private static byte[] record(int status, long lifetimeNanos) {
        ByteBuffer b = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 123L).putInt(8, 4242).putInt(12, 4243).putInt(16, 1000).putShort(20, (short) 2);
        b.put(24, "worker".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, lifetimeNanos).putInt(48, 1).putInt(52, status);
        return b.array();
    }

    @Test
    void decodesASignalWithCoreDump() throws Exception {
        // SIGSEGV (11) with the core-dumped bit, as the kernel stores it.
        ExitEvent e = new ExitDecoder().decode(ByteBuffer.wrap(record(0x80 | 11, 5_000_000L)), 0, 56);

        assertThat(e.header().pid()).isEqualTo(4242);
        assertThat(e.header().tid()).isEqualTo(4243);
        assertThat(e.header().comm()).isEqualTo("worker");
        assertThat(e.ppid()).isEqualTo(1);
        assertThat(e.signal()).isEqualTo(11);
        assertThat(e.coreDumped()).isTrue();
        assertThat(e.lifetime()).isEqualTo(Duration.ofMillis(5));
        assertThat(e.summary()).isEqualTo("killed by SIGSEGV after 5.00 ms (core dumped)");
    }

    @Test
    void decodesAnExitCode() throws Exception {
        ExitEvent e = new ExitDecoder().decode(ByteBuffer.wrap(record(255 << 8, 1_234_000_000L)), 0, 56);

        assertThat(e.exitCode()).isEqualTo(255);
        assertThat(e.signal()).isZero();
        assertThat(e.summary()).isEqualTo("exited 255 after 1.23 s");
        assertThat(e.fields()).containsKeys("ppid", "uid", "exit_code", "signal", "core_dumped", "lifetime_ns");
    }

    @Test
    void namesRealTimeSignals() {
        assertThat(ExitEvent.signalName(34)).isEqualTo("SIGRTMIN");
        assertThat(ExitEvent.signalName(36)).isEqualTo("SIGRTMIN+2");
        assertThat(ExitEvent.signalName(64)).isEqualTo("SIGRTMAX");
        assertThat(ExitEvent.signalName(32)).isEqualTo("signal 32");
    }

    @Test
    void rejectsAShortRecord() {
        assertThatThrownBy(() -> new ExitDecoder().decode(ByteBuffer.wrap(record(0, 0)), 0, 50))
                .isInstanceOf(MalformedEventException.class);
    }
}
