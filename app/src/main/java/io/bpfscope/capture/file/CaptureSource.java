package io.bpfscope.capture.file;

import io.bpfscope.io.PrivateFile;
import io.bpfscope.io.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a capture is read from: a file, stdin ({@code -}), or several of them merged by time. A file can be
 * read more than once (CSV needs two passes); stdin and a streamed merge are read once, or kept in a private
 * temporary file when a second pass is needed.
 */
public final class CaptureSource implements AutoCloseable {
    private final String name;
    private final Path path;
    private final boolean temporary;
    private final java.util.List<String> inputProblems;
    private final StreamedMerge streamed;

    private CaptureSource(String name, Path path, boolean temporary) {
        this(name, path, temporary, java.util.List.of(), null);
    }

    private CaptureSource(String name, Path path, boolean temporary, java.util.List<String> inputProblems,
                          StreamedMerge streamed) {
        this.name = name;
        this.path = path;
        this.temporary = temporary;
        this.inputProblems = inputProblems;
        this.streamed = streamed;
    }

    /**
     * One capture ({@link #of}), or several merged by time ({@link CaptureMerge#byTime}): each event keeps its
     * host, all stand on one wall-clock axis. At most one of them may be {@code -} (stdin). The first damage of
     * any input is the merged capture's problem. Every input is opened (its header read) here.
     *
     * <p>Without {@code rereadable} the merge is streamed ({@link StreamedMerge}): it runs on a thread of its own
     * while the caller reads, so the first events come at once, even while an input (stdin) is still being
     * written. With {@code rereadable} (two passes) it is written whole to a private temporary file first.
     */
    public static CaptureSource ofAll(java.util.List<String> arguments, boolean rereadable) throws IOException {
        if (arguments.size() == 1) {
            return of(arguments.get(0), rereadable);
        }
        if (arguments.stream().filter("-"::equals).count() > 1) {
            throw new IllegalArgumentException("stdin (-) can be read only once");
        }
        java.util.List<CaptureReader> readers = new java.util.ArrayList<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        try {
            for (String argument : arguments) {
                CaptureSource one = of(argument, false);
                readers.add(one.open());
                names.add(one.name());
            }
        } catch (IOException | RuntimeException e) {
            closeAll(readers);
            throw e;
        }
        String name = String.join(" + ", names);
        if (!rereadable) {
            return new CaptureSource(name, null, false, java.util.List.of(), StreamedMerge.start(name, readers, names));
        }
        PrivateFile merged = PrivateFiles.createTemporary(null, "bpfscope-merged-", ".bscap");
        try {
            java.util.List<String> problems;
            try (OutputStream out = new java.io.BufferedOutputStream(merged.stream(), 1 << 16)) {
                problems = CaptureMerge.byTime(readers, names, out);
            }
            return new CaptureSource(name, merged.path(), true, problems, null);
        } catch (IOException | RuntimeException e) {
            PrivateFiles.delete(merged.path());
            throw e;
        } finally {
            closeAll(readers);
        }
    }

    private static void closeAll(java.util.List<CaptureReader> readers) throws IOException {
        for (CaptureReader reader : readers) {
            reader.close();
        }
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

    /** A reader of the capture; a streamed merge can be read once. */
    public CaptureReader open() throws IOException {
        if (streamed != null) {
            return streamed.open();
        }
        CaptureReader reader = path == null ? CaptureReader.open(System.in, name) : CaptureReader.open(path);
        if (!inputProblems.isEmpty()) {
            reader.noteInputProblem(String.join("; ", inputProblems));
        }
        return reader;
    }

    /** True while a streamed merge still runs (tests: it stops once this source is closed). */
    boolean merging() {
        return streamed != null && streamed.running();
    }

    /** Stops a streamed merge that is still running, or deletes the temporary file. */
    @Override
    public void close() throws IOException {
        if (streamed != null) {
            streamed.close();
        }
        if (temporary) {
            PrivateFiles.delete(path);
        }
    }
}
