package io.bpfscope.export;

import static io.bpfscope.export.PcapngFile.bytes;
import static io.bpfscope.export.PcapngFile.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.export.SyntheticPacket.Endpoint;
import io.bpfscope.export.SyntheticPacket.Slice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pcapng block layout, the Internet checksum and the packets built on it, without tshark. */
class PcapngWriterTest {
    private static final Endpoint A4 = new Endpoint(bytes(192, 168, 0, 1), 40000);
    private static final Endpoint B4 = new Endpoint(bytes(192, 168, 0, 199), 53);
    private static final Endpoint A6 = new Endpoint(bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 40000);
    private static final Endpoint B6 = new Endpoint(bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), 443);

    private static byte[] write(PcapngWriterAction action) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapngWriter writer = new PcapngWriter(out, "bpfscope", "c", "bpfscope", "d")) {
            action.run(writer);
        }
        return out.toByteArray();
    }

    private interface PcapngWriterAction {
        void run(PcapngWriter writer) throws IOException;
    }

    @Test
    void theSectionHeaderAndTheInterfaceComeFirstWithTheirOptionsPadded() throws IOException {
        byte[] file = write(writer -> { });
        assertThat(Arrays.copyOf(file, 4)).isEqualTo(bytes(0x0a, 0x0d, 0x0d, 0x0a));
        PcapngFile pcapng = new PcapngFile(file);
        assertThat(pcapng.blocks).hasSize(2);

        PcapngFile.Block shb = pcapng.blocks.get(0);
        assertThat(shb.type()).isEqualTo(PcapngWriter.SECTION_HEADER);
        // 12 framing + 16 fixed + comment "c" (4 + 1 padded to 4) + shb_userappl "bpfscope" (4 + 8) + end (4)
        assertThat(shb.length()).isEqualTo(12 + 16 + 8 + 12 + 4);
        assertThat(Arrays.copyOfRange(file, 8, 12)).as("byte-order magic, little-endian")
                .isEqualTo(bytes(0x4d, 0x3c, 0x2b, 0x1a));
        assertThat(shb.body().getShort(4)).as("major").isEqualTo((short) 1);
        assertThat(shb.body().getShort(6)).as("minor").isEqualTo((short) 0);
        assertThat(shb.body().getLong(8)).as("section length unknown").isEqualTo(-1);
        Map<Integer, byte[]> shbOptions = PcapngFile.options(shb.body(), 16);
        assertThat(text(shbOptions.get(PcapngWriter.OPT_COMMENT))).isEqualTo("c");
        assertThat(text(shbOptions.get(PcapngWriter.SHB_USERAPPL))).isEqualTo("bpfscope");

        PcapngFile.Block idb = pcapng.blocks.get(1);
        assertThat(idb.type()).isEqualTo(PcapngWriter.INTERFACE_DESCRIPTION);
        // 12 framing + 8 fixed + if_name (4 + 8) + if_description "d" (4 + 4) + if_tsresol (4 + 1 padded to 4) + end
        assertThat(idb.length()).isEqualTo(12 + 8 + 12 + 8 + 8 + 4);
        assertThat(idb.body().getShort(0)).as("LINKTYPE_RAW").isEqualTo((short) 101);
        assertThat(idb.body().getShort(2)).as("reserved").isZero();
        assertThat(idb.body().getInt(4)).as("snaplen").isEqualTo(65535);
        Map<Integer, byte[]> idbOptions = PcapngFile.options(idb.body(), 8);
        assertThat(text(idbOptions.get(PcapngWriter.IF_NAME))).isEqualTo("bpfscope");
        assertThat(text(idbOptions.get(PcapngWriter.IF_DESCRIPTION))).isEqualTo("d");
        assertThat(idbOptions.get(PcapngWriter.IF_TSRESOL)).isEqualTo(bytes(9));
    }

    @Test
    void aPacketBlockPadsItsDataAndCommentAndRepeatsItsLength() throws IOException {
        Instant time = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
        byte[] file = write(writer -> {
            writer.packet(time, bytes(1, 2, 3, 4, 5), 9, "abc");
            writer.packet(time, bytes(1, 2, 3, 4, 5, 6, 7, 8), 8, null);
            writer.packet(time, new byte[0], 40, "ü"); // two bytes in UTF-8
        });
        PcapngFile pcapng = new PcapngFile(file);
        List<PcapngFile.Block> epbs = pcapng.blocks.subList(2, 5);
        assertThat(epbs).allSatisfy(b -> assertThat(b.type()).isEqualTo(PcapngWriter.ENHANCED_PACKET));
        // 12 framing + 20 fixed + data padded + options
        assertThat(epbs.get(0).length()).isEqualTo(12 + 20 + 8 + (4 + 4) + 4);
        assertThat(epbs.get(1).length()).isEqualTo(12 + 20 + 8);
        assertThat(epbs.get(2).length()).isEqualTo(12 + 20 + (4 + 4) + 4);
        assertThat(epbs.get(2).body().getShort(22)).as("comment length in bytes").isEqualTo((short) 2);

        List<PcapngFile.Packet> packets = pcapng.packets();
        long nanos = 1_700_000_000_123_456_789L;
        assertThat(packets).extracting(PcapngFile.Packet::timestampNanos).containsOnly(nanos);
        assertThat(epbs.get(0).body().getInt(4)).as("timestamp high").isEqualTo((int) (nanos >>> 32));
        assertThat(epbs.get(0).body().getInt(8)).as("timestamp low").isEqualTo((int) nanos);
        assertThat(packets.get(0).capturedLength()).isEqualTo(5);
        assertThat(packets.get(0).originalLength()).isEqualTo(9);
        assertThat(packets.get(0).data()).isEqualTo(bytes(1, 2, 3, 4, 5));
        assertThat(packets.get(0).comment()).isEqualTo("abc");
        assertThat(packets.get(1).comment()).isNull();
        assertThat(packets.get(2).comment()).isEqualTo("ü");
    }

    @Test
    void aPacketCannotBeShorterThanWhatWasCaptured() {
        assertThatThrownBy(() -> write(writer -> writer.packet(Instant.EPOCH, new byte[8], 4, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTooLongCommentIsCutAtACharacterBoundary() throws IOException {
        String comment = "xx" + "ü".repeat(40_000); // 80,002 bytes; 65,535 would split a character
        byte[] file = write(writer -> writer.packet(Instant.EPOCH, new byte[0], 0, comment));
        String kept = new PcapngFile(file).packets().get(0).comment();
        assertThat(kept.getBytes(StandardCharsets.UTF_8)).hasSize(65_534);
        assertThat(comment).startsWith(kept);
    }

    @Test
    void theInternetChecksumMatchesRfc1071AndATextbookIpv4Header() {
        // RFC 1071, 3. Numerical examples: the sum of these words folds to ddf2, so the checksum is 220d
        byte[] rfc = bytes(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
        assertThat(InternetChecksum.of(rfc, 0, rfc.length)).isEqualTo(0x220d);
        assertThat(new InternetChecksum().add(rfc, 0, 3).add(rfc, 3, 5).value()).as("in odd pieces").isEqualTo(0x220d);
        assertThat(InternetChecksum.of(bytes(0x01), 0, 1)).as("an odd byte is the high half").isEqualTo(0xfeff);
        assertThat(InternetChecksum.of(new byte[0], 0, 0)).isEqualTo(0xffff);

        // the IPv4 header from Wikipedia's "Internet checksum" article: checksum b861
        byte[] header = bytes(0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
                0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7);
        assertThat(InternetChecksum.of(header, 0, header.length)).isEqualTo(0xb861);
        header[10] = (byte) 0xb8;
        header[11] = 0x61;
        assertThat(InternetChecksum.of(header, 0, header.length)).as("a correct header sums to zero").isZero();
    }

    @Test
    void anIpv4UdpDatagramHasItsLengthsAndChecksums() {
        byte[] payload = "\u0012\u0034abc".getBytes(StandardCharsets.ISO_8859_1); // odd length
        SyntheticPacket packet = SyntheticPacket.udp(A4, B4, new Slice(payload, 0, payload.length, payload.length));
        byte[] p = packet.data();
        ByteBuffer b = ByteBuffer.wrap(p);
        assertThat(p).hasSize(20 + 8 + 5);
        assertThat(packet.originalLength()).isEqualTo(p.length);
        assertThat(p[0]).isEqualTo((byte) 0x45);
        assertThat(b.getShort(2)).as("total length").isEqualTo((short) 33);
        assertThat(p[9]).as("protocol").isEqualTo((byte) 17);
        assertThat(Arrays.copyOfRange(p, 12, 16)).isEqualTo(A4.address());
        assertThat(Arrays.copyOfRange(p, 16, 20)).isEqualTo(B4.address());
        assertThat(InternetChecksum.of(p, 0, 20)).as("header checksum verifies").isZero();
        assertThat(b.getShort(20)).isEqualTo((short) 40000);
        assertThat(b.getShort(22)).isEqualTo((short) 53);
        assertThat(b.getShort(24)).as("UDP length").isEqualTo((short) 13);
        // The same sum done by hand: pseudo-header words, then the datagram with its checksum, must fold to zero.
        long sum = 0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 17 + 13;
        for (int i = 20; i < p.length; i += 2) {
            sum += (p[i] & 0xff) << 8 | (i + 1 < p.length ? p[i + 1] & 0xff : 0);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        assertThat(sum).as("UDP checksum verifies").isEqualTo(0xffff);
    }

    @Test
    void anIpv6TcpSegmentHasItsLengthsAndChecksum() {
        byte[] payload = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        SyntheticPacket packet = SyntheticPacket.tcp(A6, B6, 0xfffffff0L, 7, SyntheticPacket.ACK | SyntheticPacket.PSH,
                new byte[0], new Slice(payload, 0, payload.length, payload.length));
        byte[] p = packet.data();
        ByteBuffer b = ByteBuffer.wrap(p);
        assertThat(p).hasSize(40 + 20 + payload.length);
        assertThat(p[0] >> 4).isEqualTo(6);
        assertThat(b.getShort(4)).as("payload length").isEqualTo((short) (20 + payload.length));
        assertThat(p[6]).as("next header").isEqualTo((byte) 6);
        assertThat(b.getInt(44)).as("seq").isEqualTo(0xfffffff0);
        assertThat(b.getInt(48)).as("ack").isEqualTo(7);
        assertThat(p[52] >> 4).as("data offset").isEqualTo(5);
        assertThat(p[53]).isEqualTo((byte) 0x18);
        InternetChecksum check = new InternetChecksum().add(A6.address()).add(B6.address())
                .addWord(0).addWord(20 + payload.length).addWord(0).addWord(6).add(p, 40, p.length - 40);
        assertThat(check.value()).as("TCP checksum verifies").isZero();
    }

    @Test
    void aPacketMissingPayloadBytesKeepsItsWholeLengthAndAChecksumAsIfTheyWereZeros() {
        byte[] zeros = new byte[1000];
        Endpoint http = new Endpoint(B4.address(), 80);
        SyntheticPacket cut = SyntheticPacket.tcp(A4, http, 1, 1, SyntheticPacket.ACK, new byte[0],
                new Slice(zeros, 0, 60, 1000));
        SyntheticPacket whole = SyntheticPacket.tcp(A4, http, 1, 1, SyntheticPacket.ACK, new byte[0],
                new Slice(zeros, 0, 1000, 1000));
        assertThat(cut.data()).hasSize(20 + 20 + 60);
        assertThat(cut.originalLength()).isEqualTo(20 + 20 + 1000).isEqualTo(whole.data().length);
        assertThat(ByteBuffer.wrap(cut.data()).getShort(2)).as("IP total length of the whole").isEqualTo((short) 1040);
        assertThat(InternetChecksum.of(cut.data(), 0, 20)).isZero();
        assertThat(Arrays.copyOf(whole.data(), cut.data().length)).isEqualTo(cut.data());

        SyntheticPacket udp = SyntheticPacket.udp(A6, B6, new Slice(zeros, 0, 0, 1000));
        assertThat(ByteBuffer.wrap(udp.data()).getShort(46)).as("never 0, illegal over IPv6").isNotZero();
    }

    @Test
    void endpointsMustShareAnIpVersionAndPayloadsFitOnePacket() {
        assertThatThrownBy(() -> SyntheticPacket.udp(A4, B6, Slice.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        byte[] big = new byte[SyntheticPacket.MAX_PAYLOAD + 1];
        assertThatThrownBy(() -> SyntheticPacket.udp(A4, B4, new Slice(big, 0, big.length, big.length)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConversationHandshakesOnceAndSplitsLongPayloads() {
        Conversation tcp = new Conversation(Conversation.Transport.TCP, A4, new Endpoint(B4.address(), 80),
                0xffff_ffffL, 1000, true, "test");
        List<SyntheticPacket> handshake = tcp.open();
        assertThat(handshake).hasSize(3);
        assertThat(flags(handshake.get(0))).isEqualTo(SyntheticPacket.SYN);
        assertThat(flags(handshake.get(1))).isEqualTo(SyntheticPacket.SYN | SyntheticPacket.ACK);
        assertThat(flags(handshake.get(2))).isEqualTo(SyntheticPacket.ACK);
        assertThat(seq(handshake.get(2))).as("the client's ISN wraps").isZero();
        assertThat(ack(handshake.get(2))).isEqualTo(1001);
        assertThat(tcp.open()).isEmpty();

        byte[] captured = new byte[70_000];
        List<SyntheticPacket> parts = tcp.carry(true, captured, 140_000);
        assertThat(parts).hasSize(3);
        assertThat(parts).extracting(SyntheticPacket::originalLength).containsExactly(65_040, 65_040, 10_040);
        assertThat(parts).extracting(p -> p.data().length).containsExactly(65_040, 5_040, 40);
        assertThat(parts).extracting(PcapngWriterTest::seq).containsExactly(0L, 65_000L, 130_000L);
        assertThat(flags(parts.get(0))).isEqualTo(SyntheticPacket.ACK);
        assertThat(flags(parts.get(2))).isEqualTo(SyntheticPacket.ACK | SyntheticPacket.PSH);

        List<SyntheticPacket> reply = tcp.carry(false, new byte[3], 3);
        assertThat(seq(reply.get(0))).isEqualTo(1001);
        assertThat(ack(reply.get(0))).as("acknowledges every byte, captured or not").isEqualTo(140_000);
    }

    private static int flags(SyntheticPacket packet) {
        return packet.data()[33];
    }

    private static long seq(SyntheticPacket packet) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(packet.data()).getInt(24));
    }

    private static long ack(SyntheticPacket packet) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(packet.data()).getInt(28));
    }
}
