package io.bpfscope.bridge.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reads over a whole ELF image. Offsets are {@code long} because
 * ELF stores them as unsigned 64-bit values; anything past the end becomes an
 * {@link ElfFormatException} naming the file, the offset and what was being read.
 * Only absolute reads are used, so the buffer's position never changes.
 */
final class ElfBytes {
    private final ByteBuffer data;
    private final String file;

    ElfBytes(ByteBuffer data, String file) {
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
        this.file = file;
    }

    String file() {
        return file;
    }

    long size() {
        return data.limit();
    }

    /** Fails unless {@code [offset, offset + length)} lies inside the file. */
    void require(long offset, long length, String what) throws ElfFormatException {
        if (offset < 0 || length < 0 || offset > size() || length > size() - offset) {
            throw error(offset, what + " (" + Long.toUnsignedString(length) + " bytes)",
                    "end of file after " + size() + " bytes");
        }
    }

    /** Like {@link #require} for {@code count} entries of {@code entrySize} bytes, safe from overflow. */
    void requireTable(long offset, long count, int entrySize, String what) throws ElfFormatException {
        if (count < 0 || count > size() / entrySize) {
            throw error(offset, what + " (" + Long.toUnsignedString(count) + " entries of " + entrySize + " bytes)",
                    "end of file after " + size() + " bytes");
        }
        require(offset, count * entrySize, what);
    }

    int u8(long offset, String what) throws ElfFormatException {
        require(offset, 1, what);
        return Byte.toUnsignedInt(data.get((int) offset));
    }

    int u16(long offset, String what) throws ElfFormatException {
        require(offset, 2, what);
        return Short.toUnsignedInt(data.getShort((int) offset));
    }

    long u32(long offset, String what) throws ElfFormatException {
        require(offset, 4, what);
        return Integer.toUnsignedLong(data.getInt((int) offset));
    }

    long u64(long offset, String what) throws ElfFormatException {
        require(offset, 8, what);
        return data.getLong((int) offset);
    }

    /** The NUL-terminated string at {@code index} of the string table at {@code [tableOffset, +tableSize)}. */
    String string(long tableOffset, long tableSize, long index, String what) throws ElfFormatException {
        long start = tableOffset + index;
        if (index < 0 || index >= tableSize) {
            throw error(start, what + " inside its string table of " + tableSize + " bytes",
                    "string index " + index);
        }
        long end = tableOffset + tableSize;
        for (long i = start; i < end; i++) {
            if (data.get((int) i) == 0) {
                byte[] bytes = new byte[(int) (i - start)];
                data.get((int) start, bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        throw error(start, what + " ending in NUL", "end of string table at offset " + end);
    }

    /** An independent little-endian view of {@code [offset, offset + length)}; already bounds-checked. */
    ByteBuffer slice(long offset, long length) {
        return data.slice((int) offset, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    ElfFormatException error(long offset, String expected, String found) {
        return new ElfFormatException(file, offset, expected, found);
    }
}
