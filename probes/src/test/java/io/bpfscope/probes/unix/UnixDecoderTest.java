package io.bpfscope.probes.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnixDecoderTest {
    /** A unix_event as the kernel sends it: the fixed part, then data_len bytes. */
    static ByteBuffer record(byte[] path, byte[] data, int payloadLength, int flags) {
        ByteBuffer b = ByteBuffer.allocate(208 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 123_456_789L).putInt(8, 100).putInt(12, 101).putInt(16, 0).putShort(20, (short) 6);
        b.put(24, "client".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, 0xffff888012345678L).putLong(48, 0xffff888087654321L).putLong(56, 4242).putLong(64, 4243);
        b.putInt(72, 200).putInt(76, 5).putInt(80, 4096).putInt(84, payloadLength).putInt(88, data.length);
        b.putShort(92, (short) 6).put(94, (byte) 2).put(95, (byte) 5).put(96, (byte) flags).put(97, (byte) path.length);
        b.put(100, path);
        b.put(208, data);
        return b;
    }

    @Test
    void decodesEveryField() throws Exception {
        byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = record("/run/x.sock\0".getBytes(StandardCharsets.US_ASCII), data, 9, 1 | 2);

        UnixEvent e = new UnixDecoder().decode(b, 0, b.capacity());

        assertThat(e.header().pid()).isEqualTo(100);
        assertThat(e.direction()).isEqualTo(UnixEvent.Direction.RECV);
        assertThat(e.syscall()).isEqualTo("recvmsg");
        assertThat(e.fd()).isEqualTo(5);
        assertThat(e.sockType()).isEqualTo("seqpacket");
        assertThat(e.path()).isEqualTo("/run/x.sock");
        assertThat(e.pathIsPeer()).isTrue();
        assertThat(e.peerPid()).isEqualTo(200);
        assertThat(e.bufLen()).isEqualTo(4096);
        assertThat(e.payloadLen()).isEqualTo(9);
        assertThat(e.data()).isEqualTo(data);
        assertThat(e.truncated()).isTrue();
        assertThat(e.fields()).containsEntry("sock", "0xffff888012345678").containsEntry("peer_sock", "0xffff888087654321")
                .containsEntry("inode", 4242L).containsEntry("buf_len", 4096L).containsEntry("len", 5).containsEntry("peer_inode", 4243L).containsEntry("path_owner", "peer")
                .doesNotContainKeys("payload_len", "truncated"); // the exporter writes those from payload()
        assertThat(e.payload().originalLength()).isEqualTo(9);
        assertThat(e.summary()).isEqualTo("recv 9 B recvmsg seqpacket /run/x.sock peer 200: hello…");
    }

    @Test
    void abstractNamesShowLikeSs() {
        assertThat(UnixDecoder.pathName("\0name\0x".getBytes(StandardCharsets.US_ASCII))).isEqualTo("@name@x");
        assertThat(UnixDecoder.pathName(new byte[0])).isEmpty();
    }

    /** Issue 9: 208 + a data length near 2^31 overflowed past the check, and the decoder asked for a 2 GiB array. */
    @Test
    void aDataLengthNear2To31IsMalformedNotAnOutOfMemoryError() {
        ByteBuffer b = record(new byte[0], new byte[10], 10, 0);
        for (int length : new int[] {0x7fffffff, 0x7fffff30, 0x7fffffff - 208 + 1}) {
            b.putInt(88, length);
            assertThatThrownBy(() -> new UnixDecoder().decode(b, 0, b.capacity()))
                    .isInstanceOf(MalformedEventException.class).hasMessageContaining("expected 208 and " + length + " more");
        }
    }

    @Test
    void aRecordShorterThanItsDataIsMalformed() {
        ByteBuffer b = record(new byte[0], new byte[10], 10, 0);
        assertThatThrownBy(() -> new UnixDecoder().decode(b, 0, b.capacity() - 1))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("unix_event");
        assertThatThrownBy(() -> new UnixDecoder().decode(b, 0, 100)).isInstanceOf(MalformedEventException.class);
    }
}
