package io.bpfscope.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little reader of what {@link PcapngWriter} writes, written from
 * the spec for tests: it checks every block's two lengths agree, that
 * lengths are multiples of 4, padding is zero, and options end with
 * opt_endofopt.
 */
final class PcapngFile {
    record Block(int type, int offset, int length, ByteBuffer body) {
    }

    record Packet(long timestampNanos, int capturedLength, int originalLength, byte[] data, String comment) {
    }

    final List<Block> blocks = new ArrayList<>();

    PcapngFile(byte[] file) {
        ByteBuffer le = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at < file.length) {
            int type = le.getInt(at);
            int length = le.getInt(at + 4);
            assertThat(length % 4).as("length of the block at %d", at).isZero();
            assertThat(length).as("length of the block at %d", at).isGreaterThanOrEqualTo(12);
            assertThat(le.getInt(at + length - 4)).as("trailing length of the block at %d", at).isEqualTo(length);
            ByteBuffer body = le.slice(at + 8, length - 12).order(ByteOrder.LITTLE_ENDIAN);
            blocks.add(new Block(type, at, length, body));
            at += length;
        }
        assertThat(at).isEqualTo(file.length);
    }

    /** Options from {@code offset} in a block's body: code to value, in order (a repeated code keeps the last). */
    static Map<Integer, byte[]> options(ByteBuffer body, int offset) {
        Map<Integer, byte[]> options = new LinkedHashMap<>();
        int at = offset;
        while (true) {
            int code = Short.toUnsignedInt(body.getShort(at));
            int length = Short.toUnsignedInt(body.getShort(at + 2));
            if (code == PcapngWriter.OPT_ENDOFOPT) {
                assertThat(length).isZero();
                assertThat(at + 4).as("opt_endofopt ends the options").isEqualTo(body.limit());
                return options;
            }
            byte[] value = new byte[length];
            body.get(at + 4, value);
            int padded = (length + 3) & ~3;
            for (int i = at + 4 + length; i < at + 4 + padded; i++) {
                assertThat(body.get(i)).as("padding after option %d", code).isZero();
            }
            options.put(code, value);
            at += 4 + padded;
        }
    }

    List<Packet> packets() {
        List<Packet> packets = new ArrayList<>();
        for (Block block : blocks) {
            if (block.type() != PcapngWriter.ENHANCED_PACKET) {
                continue;
            }
            ByteBuffer body = block.body();
            assertThat(body.getInt(0)).as("interface id").isZero();
            long nanos = Integer.toUnsignedLong(body.getInt(4)) << 32 | Integer.toUnsignedLong(body.getInt(8));
            int captured = body.getInt(12);
            int original = body.getInt(16);
            byte[] data = new byte[captured];
            body.get(20, data);
            int padded = (captured + 3) & ~3;
            for (int i = 20 + captured; i < 20 + padded; i++) {
                assertThat(body.get(i)).as("padding after packet data").isZero();
            }
            String comment = null;
            if (20 + padded < body.limit()) {
                byte[] value = options(body, 20 + padded).get(PcapngWriter.OPT_COMMENT);
                comment = value == null ? null : new String(value, StandardCharsets.UTF_8);
            }
            packets.add(new Packet(nanos, captured, original, data, comment));
        }
        return packets;
    }

    static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Override
    public String toString() {
        return Arrays.toString(blocks.toArray());
    }
}
