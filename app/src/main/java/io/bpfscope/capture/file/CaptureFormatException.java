package io.bpfscope.capture.file;

import java.io.IOException;

/** A file that is not a readable capture; the message names the file, the offset and what was expected. */
public class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CaptureFormatException(String file, long offset, String problem) {
        super(file + ": offset " + offset + ": " + problem);
    }
}
