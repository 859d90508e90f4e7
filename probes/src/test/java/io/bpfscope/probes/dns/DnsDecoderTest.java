package io.bpfscope.probes.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DnsDecoderTest {
    static ByteBuffer record(int origin, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(216 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 1L).putInt(8, 300).putInt(12, 300).putShort(20, (short) 7);
        b.put(24, "curl".getBytes(StandardCharsets.US_ASCII));
        b.putInt(48, 299).putShort(64, (short) origin).putShort(68, (short) data.length);
        b.put(80, "bash".getBytes(StandardCharsets.US_ASCII));
        b.put(216, data);
        return b;
    }

    private static void addr(ByteBuffer b, int at, int family, int port, byte... addr) {
        b.putShort(at, (short) family).put(at + 2, (byte) (port >> 8)).put(at + 3, (byte) port).put(at + 4, addr);
    }

    @Test
    void decodesAGetaddrinfoReturn() throws Exception {
        ByteBuffer b = record(1, "example.com\0".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, 2_500_000).putInt(52, 0).putShort(66, (short) 0).put(72, (byte) 2).put(73, (byte) 2);
        addr(b, 136, 2, 0, (byte) 93, (byte) 184, (byte) 216, (byte) 34);
        byte[] v6 = new byte[16];
        v6[0] = 0x26;
        v6[1] = 0x06;
        v6[15] = 1;
        addr(b, 156, 10, 0, v6);

        DnsEvent e = new DnsDecoder().decode(b, 0, b.capacity());

        assertThat(e.source()).isEqualTo(DnsEvent.Source.GETADDRINFO);
        assertThat(e.query()).isEqualTo("example.com");
        assertThat(e.qtype()).isEqualTo("A/AAAA");
        assertThat(e.ppid()).isEqualTo(299);
        assertThat(e.parentComm()).isEqualTo("bash");
        assertThat(e.answers()).containsExactly("A 93.184.216.34", "AAAA 2606::1");
        assertThat(e.moreAnswers()).isTrue();
        assertThat(e.failed()).isFalse();
        assertThat(e.payload()).isNull();
        assertThat(e.fields()).containsEntry("latency_ns", 2_500_000L).containsEntry("answers_truncated", true)
                .doesNotContainKey("error");
        assertThat(e.summary()).isEqualTo("getaddrinfo example.com → 93.184.216.34, 2606::1, … (2.5 ms)");
    }

    @Test
    void decodesAFailedLookupWithItsName() throws Exception {
        ByteBuffer b = record(1, "nope.invalid\0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(52, -3).putShort(66, (short) 10);
        DnsEvent e = new DnsDecoder().decode(b, 0, b.capacity());
        assertThat(e.error()).isEqualTo("EAI_AGAIN");
        assertThat(e.qtype()).isEqualTo("AAAA");

        ByteBuffer h = record(3, "nope.invalid\0".getBytes(StandardCharsets.US_ASCII));
        h.putInt(52, -1).putInt(56, 1);
        assertThat(new DnsDecoder().decode(h, 0, h.capacity()).error()).isEqualTo("HOST_NOT_FOUND");
    }

    @Test
    void decodesAUdpDatagramAndUnmapsIpv4MappedEndpoints() throws Exception {
        ByteBuffer b = record(6, DnsMessageTest.RESPONSE);
        b.putInt(60, DnsMessageTest.RESPONSE.length).put(70, (byte) 2).put(71, (byte) 4);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 53;
        addr(b, 96, 10, 40000, new byte[16]);
        addr(b, 116, 10, 53, mapped);

        DnsEvent e = new DnsDecoder().decode(b, 0, b.capacity());

        assertThat(e.source()).isEqualTo(DnsEvent.Source.UDP);
        assertThat(e.syscall()).isEqualTo("recvfrom");
        assertThat(e.server()).hasToString("10.0.0.53:53");
        assertThat(e.client()).hasToString("[::]:40000");
        assertThat(e.query()).isEqualTo("www.example.com");
        assertThat(e.answers()).containsExactly("CNAME example.com ttl=60", "A 93.184.216.34 ttl=300");
        assertThat(e.payload().bytes()).isEqualTo(DnsMessageTest.RESPONSE);
        assertThat(e.fields()).containsEntry("id", 0xabcd).containsEntry("rcode", "NOERROR").doesNotContainKey("parse_error");
    }

    @Test
    void unknownOriginAndShortRecordsAreMalformed() {
        ByteBuffer b = record(99, new byte[0]);
        assertThatThrownBy(() -> new DnsDecoder().decode(b, 0, b.capacity())).isInstanceOf(MalformedEventException.class);
        ByteBuffer c = record(6, new byte[20]);
        assertThatThrownBy(() -> new DnsDecoder().decode(c, 0, c.capacity() - 1)).isInstanceOf(MalformedEventException.class);
    }
}
