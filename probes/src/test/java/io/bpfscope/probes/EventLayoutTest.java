package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventLayoutTest {
    private final EventLayout layout = EventLayout.struct("demo_event", 48)
            .field("hdr", 0, EventHeader.SIZE)
            .field("count", 40, 4)
            .field("len", 44, 2)
            .build();

    @Test
    void aDecoderReadsTheOffsetTheTableHas() {
        assertThat(layout.offsetOf("count", Integer.BYTES)).isEqualTo(40);
        assertThat(layout.offsetOf("len", Short.BYTES)).isEqualTo(44);
    }

    @Test
    void readingAFieldWithAnotherWidthFails() {
        // What happens when the C field becomes a __u64 and the table follows the BTF, but the decoder does not.
        assertThatThrownBy(() -> layout.offsetOf("count", Long.BYTES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("demo_event.count is 4 bytes; the decoder reads 8");
        assertThatThrownBy(() -> layout.offsetOf("missing", 4)).hasMessageContaining("demo_event has no field missing");
    }
}
