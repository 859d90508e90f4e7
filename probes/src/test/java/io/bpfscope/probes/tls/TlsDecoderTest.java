package io.bpfscope.probes.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden records for {@link TlsDecoder}, built as tls.h lays them out. */
class TlsDecoderTest {
    private static byte[] record(int function, long conn, long retval, long payloadLength, int fdType, int flags, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(120 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 123_456_789L);                 // ts_ns
        b.putInt(8, 4242);                           // pid
        b.putInt(12, 4243);                          // tid
        b.putInt(16, 1000);                          // uid
        b.putShort(20, (short) 5);                   // kind EVENT_TLS
        b.putShort(22, (short) 7);                   // source
        b.put(24, "curl".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, conn);
        b.putLong(48, 15_000);                       // latency_ns
        b.putLong(56, retval);
        b.putLong(64, payloadLength);
        b.putInt(72, data.length);
        b.putShort(76, (short) function);
        b.put(78, (byte) fdType);
        b.put(79, (byte) flags);
        b.put(120, data);                           // family 0 at 116: no connection
        return b.array();
    }

    private static TlsEvent decode(byte[] record) throws MalformedEventException {
        return new TlsDecoder().decode(ByteBuffer.wrap(record), 0, record.length);
    }

    @Test
    void decodesAWholeWrite() throws Exception {
        byte[] data = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        TlsEvent e = decode(record(3, 0x55d0c1a2b3c0L, 1, data.length, 0, 0, data));

        assertThat(e.header().pid()).isEqualTo(4242);
        assertThat(e.header().comm()).isEqualTo("curl");
        assertThat(e.function()).isEqualTo(TlsFunction.SSL_WRITE_EX);
        assertThat(e.fields()).containsExactly(
                entry("direction", "write"), entry("function", "SSL_write_ex"), entry("library", "openssl"),
                entry("conn", "0x55d0c1a2b3c0"), entry("len", data.length), entry("payload_len", (long) data.length),
                entry("truncated", false), entry("retval", 1L), entry("latency_ns", 15_000L));
        assertThat(e.summary()).isEqualTo("write SSL_write_ex 0x55d0c1a2b3c0 " + data.length + " B: GET /index.html HTTP/1.1 …");
        assertThat(e.payload().bytes()).isEqualTo(data);
        assertThat(e.payload().truncated()).isFalse();
        assertThat(e.latency().toNanos()).isEqualTo(15_000);
    }

    @Test
    void aCutPayloadKeepsItsOriginalLength() throws Exception {
        byte[] data = "abcd".getBytes(StandardCharsets.US_ASCII);
        TlsEvent e = decode(record(2, 1, 20_000, 20_000, 0, 0, data));

        assertThat(e.truncated()).isTrue();
        assertThat(e.payload().originalLength()).isEqualTo(20_000);
        assertThat(e.fields()).containsEntry("len", 4).containsEntry("payload_len", 20_000L).containsEntry("truncated", true);
        assertThat(e.summary()).isEqualTo("read SSL_read 0x1 20000 B (4 captured): abcd");
    }

    @Test
    void aFailedCallCarriesOnlyItsReturnValue() throws Exception {
        TlsEvent e = decode(record(6, 0x10, -28, 0, 0, 0, new byte[0]));

        assertThat(e.library()).isEqualTo("gnutls");
        assertThat(e.truncated()).isFalse();
        assertThat(e.summary()).isEqualTo("read gnutls_record_recv 0x10 returned -28 GNUTLS_E_AGAIN");
    }

    @Test
    void nsprEventsSayWhatKindOfDescriptorTheyUsed() throws Exception {
        byte[] data = {0x16, 0x03, 0x01, 0x00, 0x05, 0x01};
        TlsEvent e = decode(record(7, 0x20, 6, 6, 4, 0, data));

        assertThat(e.fields()).containsEntry("library", "nspr").containsEntry("fd_type", "layered");
        assertThat(e.summary()).endsWith(": hex 16 03 01 00 05 01");
    }

    @Test
    void bytesThatCouldNotBeReadAreFlagged() throws Exception {
        TlsEvent e = decode(record(1, 0x30, 10, 10, 0, 1, new byte[0]));

        assertThat(e.readFailed()).isTrue();
        assertThat(e.truncated()).isTrue();
        assertThat(e.fields()).containsEntry("read_failed", true).doesNotContainKey("fd_type");
    }

    @Test
    void aRecordShorterThanItsLengthSaysIsRejected() {
        byte[] full = record(1, 0x30, 10, 10, 0, 0, "0123456789".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> new TlsDecoder().decode(ByteBuffer.wrap(full), 0, full.length - 1))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("tls_event");
        assertThatThrownBy(() -> new TlsDecoder().decode(ByteBuffer.wrap(full), 0, 119))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void theConnectionsEndsDecodeAsTheTcpProbesAndAnIpv6SocketOnAnIpv4PeerIsIpv4() throws Exception {
        byte[] v4 = record(1, 0x30, 3, 3, 0, 0, "abc".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(80, new byte[] {10, 0, 0, 7}).put(96, new byte[] {93, (byte) 184, (byte) 216, 34});
        b.putShort(112, (short) 51234).putShort(114, (short) 443).putShort(116, (short) 2).put(118, (byte) 1);
        TlsEvent e = decode(v4);
        assertThat(e.fields()).containsEntry("saddr", "10.0.0.7").containsEntry("sport", 51234)
                .containsEntry("daddr", "93.184.216.34").containsEntry("dport", 443).containsEntry("addr_source", "call");
        assertThat(e.summary()).contains("10.0.0.7:51234 -> 93.184.216.34:443");
        assertThat(e.text()).isEqualTo("abc");

        byte[] mapped = record(2, 0x30, 3, 3, 0, 0, "abc".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer m = ByteBuffer.wrap(mapped).order(ByteOrder.LITTLE_ENDIAN);
        m.put(80, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1});
        m.put(96, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1});
        m.putShort(112, (short) 40000).putShort(114, (short) 8443).putShort(116, (short) 10).put(118, (byte) 3);
        TlsEvent n = decode(mapped);
        assertThat(n.connection().family()).isEqualTo(4);
        assertThat(n.fields()).containsEntry("saddr", "127.0.0.1").containsEntry("addr_source", "thread");

        assertThat(decode(record(1, 0x30, 3, 3, 0, 0, new byte[3])).fields()).doesNotContainKeys("saddr", "sport", "daddr", "dport");
        // Statistics' top hosts: the remote end, when known.
        var hosts = TlsProbe.DECLARATION.statistics().stream()
                .filter(st -> st.table() == io.bpfscope.probes.ProbeDeclaration.StatisticTable.HOSTS).findFirst().orElseThrow();
        assertThat(hosts.entry().apply(e)).contains("93.184.216.34:443");
        assertThat(hosts.entry().apply(decode(record(1, 0x30, 3, 3, 0, 0, new byte[3])))).isEmpty();
        byte[] bad = record(1, 0x30, 3, 3, 0, 0, new byte[0]);
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putShort(116, (short) 1);
        assertThatThrownBy(() -> decode(bad)).isInstanceOf(MalformedEventException.class).hasMessageContaining("family 1");
    }

    @Test
    void aRecordFromACaptureWrittenBeforeConnectionsDecodesWithItsOwnLayout() throws Exception {
        byte[] current = record(1, 0x30, 3, 3, 0, 0, "abc".getBytes(StandardCharsets.US_ASCII));
        byte[] old = new byte[80 + 3];
        System.arraycopy(current, 0, old, 0, 80);
        System.arraycopy(current, 120, old, 80, 3);
        TlsEvent e = TlsDecoder.BEFORE_CONNECTIONS.decode(ByteBuffer.wrap(old), 0, old.length);
        assertThat(e.text()).isEqualTo("abc");
        assertThat(e.connection()).isNull();
        assertThat(new TlsProbe().decoder(TlsDecoder.LAYOUT_BEFORE_CONNECTIONS)).isSameAs(TlsDecoder.BEFORE_CONNECTIONS);
        assertThat(new TlsProbe().decoder(TlsDecoder.LAYOUT).layout()).isEqualTo(TlsDecoder.LAYOUT);
    }

    /** Issue 9: 80 + a length near 2^31 overflowed past the check, and the decoder asked for a 2 GiB array. */
    @Test
    void aCapturedLengthNear2To31IsMalformedNotAnOutOfMemoryError() {
        byte[] hostile = record(1, 0x30, 10, 10, 0, 0, "0123456789".getBytes(StandardCharsets.US_ASCII));
        for (int length : new int[] {0x7fffffff, 0x7fffffb0, 0x7fffffff - 120 + 1}) {
            ByteBuffer.wrap(hostile).order(ByteOrder.LITTLE_ENDIAN).putInt(72, length);
            assertThatThrownBy(() -> decode(hostile)).isInstanceOf(MalformedEventException.class)
                    .hasMessage("tls_event record of 130 bytes, expected 120 and " + length + " more");
        }
    }

    @Test
    void anUnknownFunctionIsRejected() {
        byte[] bad = record(99, 0x30, 0, 0, 0, 0, new byte[0]);
        assertThatThrownBy(() -> decode(bad)).isInstanceOf(MalformedEventException.class).hasMessageContaining("99");
    }

    private static Map.Entry<String, Object> entry(String key, Object value) {
        return Map.entry(key, value);
    }
}
