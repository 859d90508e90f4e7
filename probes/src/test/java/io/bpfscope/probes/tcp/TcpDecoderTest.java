package io.bpfscope.probes.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.MalformedEventException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpDecoderTest {
    private static final byte[] MAPPED_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};

    private static ByteBuffer record(int event, int family, byte[] saddr, byte[] daddr, int flags) {
        ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 5L).putInt(8, 300).putInt(12, 301).putInt(16, 1000).putShort(20, (short) 4);
        b.put(24, "curl".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, 0xffff888117ef6180L).putLong(48, 1_500_000_000L).putLong(56, 5002).putLong(64, 3001)
                .putInt(72, 2).putInt(76, 48);
        b.put(80, saddr).put(96, daddr);
        b.putShort(116, (short) 55968).putShort(118, (short) 443).putShort(120, (short) family);
        b.put(122, (byte) event).put(123, (byte) 5).put(124, (byte) 7).put(125, (byte) flags);
        return b;
    }

    @Test
    void decodesACloseOfAMappedIpv4ConnectionAsIpv4() throws Exception {
        TcpEvent e = new TcpDecoder().decode(record(4, 10, MAPPED_LOOPBACK, MAPPED_LOOPBACK, 1 | 2 | 4), 0, 128);

        assertThat(e.event()).isEqualTo(TcpEvent.Kind.CLOSE);
        assertThat(e.family()).isEqualTo(4);
        assertThat(e.duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(e.stats()).isEqualTo(new TcpEvent.Stats(5002, 3001, 2, 48));
        assertThat(e.fields()).containsEntry("saddr", "127.0.0.1").containsEntry("sport", 55968)
                .containsEntry("dport", 443).containsEntry("oldstate", "TCP_FIN_WAIT2")
                .containsEntry("newstate", "TCP_CLOSE").containsEntry("sock", "0xffff888117ef6180")
                .containsEntry("owner_known", true).doesNotContainKey("error");
        assertThat(e.summary()).isEqualTo("close 127.0.0.1:55968 → 127.0.0.1:443 after 1.50 s, 5002 B sent, 3001 B received");
    }

    @Test
    void decodesAnAfInetConnectFailureFromTheFirstFourBytes() throws Exception {
        byte[] daddr = new byte[16];
        daddr[0] = 10;
        daddr[3] = 7;
        ByteBuffer b = record(6, 2, new byte[16], daddr, 1).putInt(112, 113).putShort(116, (short) 0)
                .put(123, (byte) 0).put(124, (byte) 0);
        TcpEvent e = new TcpDecoder().decode(b, 0, 128);

        assertThat(e.event()).isEqualTo(TcpEvent.Kind.CONNECT_FAILED);
        assertThat(e.duration()).isNull();
        assertThat(e.stats()).isNull();
        assertThat(e.fields()).containsEntry("daddr", "10.0.0.7").containsEntry("error", "EHOSTUNREACH")
                .doesNotContainKeys("oldstate", "newstate", "duration_ns", "bytes_acked");
        assertThat(e.summary()).isEqualTo("connect_failed → 10.0.0.7:443 EHOSTUNREACH");
    }

    @Test
    void writesIpv6EndpointsInBrackets() throws Exception {
        byte[] v6 = InetAddress.getByName("2001:db8::5").getAddress();
        TcpEvent e = new TcpDecoder().decode(record(1, 10, v6, v6, 1), 0, 128);

        assertThat(e.family()).isEqualTo(6);
        assertThat(e.summary()).isEqualTo("connect [2001:db8::5]:55968 → [2001:db8::5]:443");
    }

    @Test
    void rejectsAShortRecord() {
        assertThatThrownBy(() -> new TcpDecoder().decode(record(1, 2, new byte[16], new byte[16], 0), 0, 127))
                .isInstanceOf(MalformedEventException.class);
    }
}
