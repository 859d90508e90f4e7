package io.bpfscope.capture.file;

import io.bpfscope.io.PrivateFile;
import io.bpfscope.io.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a capture is read from: a file, or stdin ({@code -}). A file can be
 * read more than once (CSV needs two passes); stdin is read once, or kept in a
 * private temporary file when a second pass is needed.
 */
public final class CaptureSource implements AutoCloseable {
    private final String name;
    private final Path path;
    private final boolean temporary;

    private CaptureSource(String name, Path path, boolean temporary) {
        this.name = name;
        this.path = path;
        this.temporary = temporary;
    }

    /** {@code -} for stdin, else a file path. With {@code rereadable}, stdin is first saved to a temporary file. */
    public static CaptureSource of(String argument, boolean rereadable) throws IOException {
        if (!argument.equals("-")) {
            return new CaptureSource(argument, Path.of(argument), false);
        }
        if (!rereadable) {
            return new CaptureSource("stdin", null, false);
        }
        PrivateFile copy = PrivateFiles.createTemporary(null, "bpfscope-stdin-", ".bscap");
        try (OutputStream out = copy.stream(); InputStream in = System.in) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            PrivateFiles.delete(copy.path());
            throw e;
        }
        return new CaptureSource("stdin", copy.path(), true);
    }

    public String name() {
        return name;
    }

    /** The size in bytes when known (a file), else -1. */
    public long size() throws IOException {
        return path == null ? -1 : Files.size(path);
    }

    public CaptureReader open() throws IOException {
        return path == null ? CaptureReader.open(System.in, name) : CaptureReader.open(path);
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            PrivateFiles.delete(path);
        }
    }
}
