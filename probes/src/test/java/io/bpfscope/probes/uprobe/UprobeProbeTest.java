package io.bpfscope.probes.uprobe;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeHarness;
import io.bpfscope.probes.ProbeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any user function, attached for real to target.c's bpfscope_target(7, -3, "hello uprobe", 12, 5, 6) = 28. */
@RequiresBpf
class UprobeProbeTest {
    @TempDir
    static Path dir;
    static Path binary;

    @BeforeAll
    static void compile() throws Exception {
        binary = TargetProgram.compile(dir);
    }

    private static UprobeEvent callOnce(UprobeProbe spec) throws Exception {
        try (TargetProgram target = TargetProgram.start(binary, 0, 0);
             ProbeHarness probe = ProbeHarness.attach(spec, ProbeOptions.defaults().withPid(target.pid()))) {
            assertThat(target.go()).isEqualTo(28);
            List<UprobeEvent> calls = probe.await(UprobeEvent.class, e -> true, 1, Duration.ofSeconds(5));
            assertThat(calls).as("the call of bpfscope_target").hasSize(1);
            assertThat(calls.get(0).header().pid()).isEqualTo(target.pid());
            return calls.get(0);
        }
    }

    @Test
    void uprobeSeesTheArgumentsAndTheBufferAnArgumentPointsTo() throws Exception {
        UprobeEvent call = callOnce(UprobeProbe.parse("uprobe:" + binary + ":bpfscope_target",
                BufferCapture.lengthFromArg(2, 3)));

        assertThat(call.atReturn()).isFalse();
        assertThat(call.args()).startsWith(7, -3).endsWith(12, 5, 6);
        assertThat(call.fields()).containsEntry("function", "bpfscope_target").containsEntry("binary", binary.toString())
                .containsEntry("phase", "entry").containsEntry("arg0", 7L).containsEntry("arg1", -3L)
                .containsEntry("arg3", 12L).containsEntry("buf_size", 12L).containsEntry("read_failed", false)
                .doesNotContainKeys("ret", "latency_ns");
        assertThat(call.payload().bytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello uprobe");
        assertThat(call.payload().truncated()).isFalse();
        assertThat(call.fields().get("buf_addr")).isEqualTo("0x" + Long.toHexString(call.args()[2]));
        assertThat(call.summary()).startsWith("bpfscope_target(7, -3, 0x");
    }

    @Test
    void uretprobeSeesTheReturnValueTheLatencyAndAFixedSizeBuffer() throws Exception {
        UprobeEvent call = callOnce(UprobeProbe.parse("uretprobe:" + binary + ":bpfscope_target",
                BufferCapture.fixed(2, 5)));

        assertThat(call.atReturn()).isTrue();
        assertThat(call.entrySeen()).isTrue();
        assertThat(call.retval()).isEqualTo(28);
        assertThat(call.args()).containsExactly(7, -3, call.args()[2], 12, 5, 6);
        assertThat(call.latencyNs()).isBetween(2_000_000L, 2_000_000_000L); // it sleeps 2 ms
        assertThat(call.fields()).containsEntry("ret", 28L).containsEntry("phase", "return")
                .containsEntry("entry_seen", true);
        assertThat(call.payload().bytes()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
        assertThat(call.summary()).contains(") = 28  ").endsWith("ms");
    }

    @Test
    void aPayloadLimitCutsTheBufferAndSaysSo() throws Exception {
        UprobeProbe spec = UprobeProbe.parse("uprobe:" + binary + ":bpfscope_target", BufferCapture.lengthFromArg(2, 3));
        try (TargetProgram target = TargetProgram.start(binary, 0, 0);
             ProbeHarness probe = ProbeHarness.attach(spec, ProbeOptions.defaults().withPid(target.pid()).withMaxPayload(4))) {
            target.go();
            UprobeEvent call = probe.await(UprobeEvent.class, e -> true, 1, Duration.ofSeconds(5)).get(0);
            assertThat(call.payload().bytes()).asString(StandardCharsets.UTF_8).isEqualTo("hell");
            assertThat(call.payload().originalLength()).isEqualTo(12);
            assertThat(call.payload().truncated()).isTrue();
            assertThat(probe.loaded().truncated()).isEqualTo(1);
        }
    }

    @Test
    void aMissingSymbolIsUnavailableWithTheWayToListThem() {
        Availability missing = ProbeCatalog.find("uprobe:" + binary + ":no_such_function").orElseThrow().availability();
        assertThat(missing.available()).isFalse();
        assertThat(missing.reason()).contains("no_such_function").contains("bpfscope symbols " + binary);
        assertThat(ProbeCatalog.find("uprobe:" + binary + ":bpfscope_target").orElseThrow().availability().available())
                .isTrue();
        assertThat(ProbeCatalog.find("uprobe:nocolon")).isEmpty();
    }
}
