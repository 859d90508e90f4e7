package io.bpfscope.export;

import io.bpfscope.probes.CStrings;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The block layer of pcapng (draft-ietf-opsawg-pcapng): one section, one
 * interface of raw IP packets with nanosecond timestamps, then one Enhanced
 * Packet Block per packet. Everything is little-endian; packet data and
 * option values are padded to 32 bits, and every block repeats its length at
 * its end so readers can walk backwards. Not thread-safe; closing closes the
 * stream.
 */
final class PcapngWriter implements Closeable {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION = 0x00000001;
    static final int ENHANCED_PACKET = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    /** LINKTYPE_RAW: the packet starts with its IPv4 or IPv6 header. */
    static final int LINKTYPE_RAW = 101;
    /** No packet we make is longer: {@link SyntheticPacket#MAX_PAYLOAD} keeps them under it. */
    static final int SNAPLEN = 0xffff;

    static final int OPT_ENDOFOPT = 0;
    static final int OPT_COMMENT = 1;
    static final int SHB_USERAPPL = 4;
    static final int IF_NAME = 2;
    static final int IF_DESCRIPTION = 3;
    static final int IF_TSRESOL = 9;
    /** if_tsresol 9: timestamps count 10^-9 s. */
    static final int NANOSECONDS = 9;

    private static final int MAX_OPTION = 0xffff;

    private final OutputStream out;
    private int interfaces;
    private ByteBuffer block = ByteBuffer.allocate(1 << 17).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * Writes the section header and the one interface.
     *
     * @param application    shb_userappl, the program that wrote the file
     * @param sectionComment the section's opt_comment, what the file is
     * @param interfaceName  if_name of the interface every packet arrives on
     */
    PcapngWriter(OutputStream out, String application, String sectionComment, String interfaceName,
                 String interfaceDescription) throws IOException {
        this.out = out;
        begin(SECTION_HEADER);
        block.putInt(BYTE_ORDER_MAGIC);
        block.putShort((short) 1); // major version
        block.putShort((short) 0); // minor version
        block.putLong(-1); // section length: not known while streaming
        option(OPT_COMMENT, utf8(sectionComment));
        option(SHB_USERAPPL, utf8(application));
        endOptions();
        finish();

        addInterface(interfaceName, interfaceDescription);
    }

    /**
     * Writes one more interface description (the next id: 1, 2, ...), e.g. one per host of a merged
     * capture, as mergecap keeps each file's interfaces; packets name theirs by id.
     */
    int addInterface(String interfaceName, String interfaceDescription) throws IOException {
        begin(INTERFACE_DESCRIPTION);
        block.putShort((short) LINKTYPE_RAW);
        block.putShort((short) 0); // reserved
        block.putInt(SNAPLEN);
        option(IF_NAME, utf8(interfaceName));
        option(IF_DESCRIPTION, utf8(interfaceDescription));
        option(IF_TSRESOL, new byte[] {NANOSECONDS});
        endOptions();
        finish();
        return interfaces++;
    }

    /**
     * Writes one packet arriving at {@code time}: {@code data} is what was
     * kept of it, {@code originalLength} its whole length; {@code comment}
     * becomes its opt_comment (null for none).
     */
    void packet(Instant time, byte[] data, int originalLength, String comment) throws IOException {
        packet(0, time, data, originalLength, comment);
    }

    /** As {@link #packet(Instant, byte[], int, String)}, arriving on interface {@code interfaceId}. */
    void packet(int interfaceId, Instant time, byte[] data, int originalLength, String comment) throws IOException {
        if (originalLength < data.length) {
            throw new IllegalArgumentException("a packet of " + originalLength + " bytes cannot have " + data.length + " captured");
        }
        long nanos = Math.max(0, Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano()));
        begin(ENHANCED_PACKET);
        room(20 + data.length + 3);
        block.putInt(interfaceId);
        block.putInt((int) (nanos >>> 32));
        block.putInt((int) nanos);
        block.putInt(data.length);
        block.putInt(originalLength);
        block.put(data);
        pad(data.length);
        if (comment != null) {
            option(OPT_COMMENT, utf8(comment));
            endOptions();
        }
        finish();
    }

    private void begin(int type) {
        block.clear();
        block.putInt(type);
        block.putInt(0); // total length, set by finish()
    }

    /**
     * One option: code, length, value, zeros up to the next 32-bit boundary.
     * A value longer than 65,535 bytes is cut, at a character boundary.
     */
    private void option(int code, byte[] value) {
        int length = value.length;
        if (length > MAX_OPTION) {
            length = MAX_OPTION;
            while (length > 0 && (value[length] & 0xc0) == 0x80) {
                length--; // value[length] continues a UTF-8 character: cut before that character
            }
        }
        room(4 + length + 3);
        block.putShort((short) code);
        block.putShort((short) length);
        block.put(value, 0, length);
        pad(length);
    }

    private void endOptions() {
        room(4);
        block.putShort((short) OPT_ENDOFOPT);
        block.putShort((short) 0);
    }

    private void pad(int length) {
        for (int i = length; i % 4 != 0; i++) {
            block.put((byte) 0);
        }
    }

    /** Sets the block's length at its start and repeats it at its end, then writes it out. */
    private void finish() throws IOException {
        room(4);
        int length = block.position() + 4;
        block.putInt(4, length);
        block.putInt(length);
        out.write(block.array(), 0, length);
    }

    private void room(int bytes) {
        if (block.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(Math.max(block.capacity() * 2, block.position() + bytes))
                    .order(ByteOrder.LITTLE_ENDIAN);
            block.flip();
            larger.put(block);
            block = larger;
        }
    }

    /** pcapng options are UTF-8: a byte a process used that was not UTF-8 is written as U+FFFD. */
    private static byte[] utf8(String text) {
        return CStrings.replaced(text).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
