package io.bpfscope.bridge.elf;

import java.io.IOException;

/**
 * The bytes are not an ELF file this reader understands: not ELF, not ELF64 little-endian,
 * an unsupported machine, or cut short. The message is one line a person can act on:
 * {@code <file>: offset <n>: expected <what>, found <what>}.
 */
public final class ElfFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    ElfFormatException(String file, long offset, String expected, String found) {
        super(file + ": offset " + offset + ": expected " + expected + ", found " + found);
        this.offset = offset;
    }

    /** File offset of the structure that could not be read. */
    public long offset() {
        return offset;
    }
}
