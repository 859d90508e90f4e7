package io.bpfscope.probes.uprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.GoldenHeader;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Golden {@code struct uprobe_event} records (uprobe.h), built byte by byte. */
class UprobeDecoderTest {
    private static final int KIND = 9; // EVENT_UPROBE in event_header.h
    private static final int FIXED = 128; // offsetof(struct uprobe_event, data)
    private static final int AT = 16; // records sit inside a batch: never at 0
    private static final long[] ARGS = {1, -2, 0x7ffd_5a2c_0010L, 3, 0x1_0000_0000L, Long.MIN_VALUE};

    /** Fills every field; {@code data} goes after the fixed part. */
    private static ByteBuffer record(int phase, int flags, long retval, long latency, long bufAddr, long bufSize,
                                     byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(AT + FIXED + data.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        GoldenHeader.write(b, AT, KIND);
        for (int i = 0; i < 6; i++) {
            b.putLong(AT + 40 + 8 * i, ARGS[i]); // args[6]
        }
        b.putLong(AT + 88, retval);           // retval
        b.putLong(AT + 96, latency);          // latency_ns
        b.putLong(AT + 104, bufAddr);         // buf_addr
        b.putLong(AT + 112, bufSize);         // buf_size
        b.putInt(AT + 120, data.length);      // len
        b.put(AT + 124, (byte) phase);        // phase
        b.put(AT + 125, (byte) flags);        // flags
        b.putShort(AT + 126, (short) 0x5a5a); // reserved: ignored
        b.put(AT + FIXED, data);
        return b;
    }

    @Test
    void decodesAnEntryWithItsArgumentsAndTheBufferOneOfThemPointsTo() throws Exception {
        byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = record(0, 0, 0, 0, 0x7ffd_5a2c_0010L, 5, data);

        UprobeEvent e = new UprobeDecoder("/opt/app/bin:bpfscope_target").decode(b, AT, FIXED + data.length);

        GoldenHeader.assertDecoded(e.header(), KIND);
        assertThat(e.binary()).isEqualTo("/opt/app/bin");
        assertThat(e.function()).isEqualTo("bpfscope_target");
        assertThat(e.atReturn()).isFalse();
        assertThat(e.args()).containsExactly(ARGS);
        assertThat(e.bufferAddress()).isEqualTo(0x7ffd_5a2c_0010L);
        assertThat(e.bufferSize()).isEqualTo(5);
        assertThat(e.buffer()).containsExactly(data);
        assertThat(e.readFailed()).isFalse();
        assertThat(e.payload().truncated()).isFalse();
        assertThat(e.fields()).containsEntry("phase", "entry").containsEntry("arg1", -2L)
                .containsEntry("buf_addr", "0x7ffd5a2c0010").doesNotContainKeys("ret", "latency_ns");
        assertThat(e.summary()).isEqualTo("bpfscope_target(1, -2, 0x7ffd5a2c0010, 3, 0x100000000, 0x8000000000000000)");
    }

    @Test
    void decodesAReturnWithItsValueLatencyAndACutBuffer() throws Exception {
        byte[] data = {0, 1, 2, (byte) 0xff};
        // phase UPROBE_PHASE_RETURN; flags UPROBE_ENTRY_SEEN | UPROBE_READ_FAILED
        ByteBuffer b = record(1, 3, -11, 12_500, 0x5000, 4096, data);

        UprobeEvent e = new UprobeDecoder().decode(b, AT, FIXED + data.length);

        GoldenHeader.assertDecoded(e.header(), KIND);
        assertThat(e.function()).isEqualTo("?");
        assertThat(e.atReturn()).isTrue();
        assertThat(e.retval()).isEqualTo(-11);
        assertThat(e.latencyNs()).isEqualTo(12_500);
        assertThat(e.entrySeen()).isTrue();
        assertThat(e.readFailed()).isTrue();
        assertThat(e.bufferSize()).isEqualTo(4096);
        DecodedEvent.Payload payload = e.payload();
        assertThat(payload.bytes()).containsExactly(data);
        assertThat(payload.originalLength()).isEqualTo(4096);
        assertThat(payload.truncated()).isTrue();
        assertThat(e.fields()).containsEntry("phase", "return").containsEntry("ret", -11L)
                .containsEntry("latency_ns", 12_500L).containsEntry("entry_seen", true).containsEntry("read_failed", true);
    }

    @Test
    void aReturnWhoseEntryWasNotSeenHasNoArgumentsInItsSummary() throws Exception {
        ByteBuffer b = record(1, 0, 42, 0, 0, 0, new byte[0]);

        UprobeEvent e = new UprobeDecoder("/bin/x:f").decode(b, AT, FIXED);

        assertThat(e.entrySeen()).isFalse();
        assertThat(e.readFailed()).isFalse();
        assertThat(e.buffer()).as("no buffer captured: no address, no bytes").isNull();
        assertThat(e.payload()).isNull();
        assertThat(e.summary()).isEqualTo("f(?) = 42");
    }

    @Test
    void rejectsALengthLargerThanTheDataArea() {
        ByteBuffer b = record(0, 0, 0, 0, 0x5000, 0, new byte[0]);
        b.putInt(AT + 120, 32769);

        assertThatThrownBy(() -> new UprobeDecoder().decode(b, AT, b.capacity() - AT))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("32769");
    }

    @Test
    void rejectsABufferThatRunsPastTheRecord() {
        byte[] data = new byte[64];
        ByteBuffer b = record(0, 0, 0, 0, 0x5000, 64, data);

        assertThatThrownBy(() -> new UprobeDecoder().decode(b, AT, FIXED + 63)).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> new UprobeDecoder().decode(b, AT, FIXED - 1)).isInstanceOf(MalformedEventException.class);
    }
}
