package io.bpfscope.bridge.btf;

import java.io.IOException;

/**
 * The bytes are not BTF this reader understands. The message is one line:
 * {@code <source>: offset <n>: expected <what>, found <what>}, where the offset counts from
 * the start of the BTF data (the {@code .BTF} section, for an object file).
 */
public final class BtfFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    BtfFormatException(String source, long offset, String expected, String found) {
        super(source + ": offset " + offset + ": expected " + expected + ", found " + found);
    }

    BtfFormatException(String source, String expected, String found) {
        super(source + ": expected " + expected + ", found " + found);
    }
}
