package io.bpfscope.io;

import java.io.IOException;

/**
 * An output bpfscope will not write: it exists, it is a link, a device, a
 * directory, someone else's file, or one of the inputs. The message is one
 * line that says what to do.
 */
public final class OutputRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutputRefusedException(String message) {
        super(message);
    }
}
