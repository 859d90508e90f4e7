package io.bpfscope.probes.uprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.Probe;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A uprobe made in the window is made again, the same, by the capture helper from its name and parameters. */
class BufferCaptureParametersTest {
    @Test
    void aUprobeWithABufferTravelsAsNameAndParameters() {
        UprobeProbe made = new UprobeProbe(Path.of("/usr/bin/true"), "write", true, BufferCapture.lengthFromReturn(1));
        Probe again = ProbeCatalog.find(made.name(), made.parameters()).orElseThrow();

        assertThat(again).isInstanceOf(UprobeProbe.class).isEqualTo(made);
        assertThat(((UprobeProbe) again).buffer()).isEqualTo(made.buffer());
    }

    @Test
    void noBufferIsNoParameters() {
        UprobeProbe plain = new UprobeProbe(Path.of("/usr/bin/true"), "main", false, BufferCapture.NONE);
        assertThat(plain.parameters()).isEmpty();
        assertThat(((UprobeProbe) ProbeCatalog.find(plain.name(), Map.of()).orElseThrow()).buffer())
                .isEqualTo(BufferCapture.NONE);
    }

    @Test
    void parametersOutOfRangeOrNotNumbersAreRefused() {
        assertThatThrownBy(() -> BufferCapture.fromParameters(Map.of("buffer_arg", "9", "fixed_length", "16")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 5");
        assertThatThrownBy(() -> BufferCapture.fromParameters(Map.of("buffer_arg", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole numbers");
    }
}
