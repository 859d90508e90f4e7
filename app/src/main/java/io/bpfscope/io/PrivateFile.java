package io.bpfscope.io;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A file {@link PrivateFiles} created, and the stream that writes to it (to
 * the file created, whatever later happens to its name). Closing the stream
 * closes the file.
 */
public record PrivateFile(Path path, OutputStream stream) {
}
