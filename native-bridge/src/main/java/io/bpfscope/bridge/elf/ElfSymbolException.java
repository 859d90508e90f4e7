package io.bpfscope.bridge.elf;

import java.io.IOException;

/**
 * A symbol asked for by name cannot be turned into one address: it is missing, ambiguous,
 * or lies outside every loadable segment. The message says which, and what to try instead.
 */
public final class ElfSymbolException extends IOException {
    private static final long serialVersionUID = 1L;

    ElfSymbolException(String message) {
        super(message);
    }
}
