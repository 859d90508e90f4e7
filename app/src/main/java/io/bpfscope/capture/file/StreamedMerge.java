package io.bpfscope.capture.file;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.List;

/**
 * Several captures merged by time ({@link CaptureMerge#byTime}) on a thread of its own into a pipe, and
 * read from that pipe as one capture while it is written: the first merged events come as soon as every
 * input has given its first record, not once every input has ended.
 *
 * <p>The inputs' problems (damage, a cut end) reach the reader before the merged END block does. A failure
 * of the merge reaches the reader as an {@link IOException} in one line where the merged bytes stop.
 * {@link #close()} stops the merge, early or not: the thread ends (a write to the closed pipe fails) and
 * closes its inputs.
 */
final class StreamedMerge implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StreamedMerge.class.getName());
    /** How long {@link #close()} waits for the thread; only an input that is a live stream (stdin) can hold it longer. */
    private static final long STOP_MILLIS = 1000;

    private final String name;
    private final List<CaptureReader> inputs;
    private final Pipe pipe;
    private final Thread thread;
    private volatile Exception failure;
    private volatile boolean closed;
    private List<String> problems; // guarded by this; null until every input has ended
    private CaptureReader reader; // guarded by this
    private boolean opened; // guarded by this

    private StreamedMerge(String name, List<CaptureReader> inputs, List<String> names) throws IOException {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.pipe = Pipe.open();
        List<String> inputNames = List.copyOf(names);
        this.thread = new Thread(() -> merge(inputNames), "bpfscope-merge");
        thread.setDaemon(true); // a merge waiting on stdin never keeps the process alive
    }

    /** Starts merging {@code inputs} (opened, their headers read); from here on they are this merge's to close. */
    static StreamedMerge start(String name, List<CaptureReader> inputs, List<String> names) throws IOException {
        StreamedMerge merge;
        try {
            merge = new StreamedMerge(name, inputs, names);
        } catch (IOException | RuntimeException e) {
            closeAll(inputs);
            throw e;
        }
        merge.thread.start();
        return merge;
    }

    /** The merged capture, as it is written. It can be read once. */
    CaptureReader open() throws IOException {
        synchronized (this) {
            if (opened) {
                throw new IllegalStateException(name + ": a merge of several captures that is streamed is read once");
            }
            opened = true;
        }
        CaptureReader merged = CaptureReader.open(new FailureAtEnd(Channels.newInputStream(pipe.source())), name);
        synchronized (this) {
            reader = merged;
            tellProblems();
        }
        return merged;
    }

    /** True while the merge thread runs (for tests: it must end once the merge is closed). */
    boolean running() {
        return thread.isAlive();
    }

    private void merge(List<String> names) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(pipe.sink()), 1 << 16);
        try {
            CaptureMerge.byTime(inputs, names, out, this::inputsEnded); // closes out after the END block
        } catch (IOException | RuntimeException e) {
            if (!closed) { // else the reader went away first, which is what stopped the merge
                failure = e;
                if (e instanceof RuntimeException) {
                    LOG.log(System.Logger.Level.ERROR, "merging " + name, e);
                }
            }
            closeQuietly(pipe.sink()); // not out: what is half written is not pushed out, the reader sees the failure
        } finally {
            closeAll(inputs);
        }
    }

    /** Called by the merge before it writes the END block. */
    private synchronized void inputsEnded(List<String> inputProblems) {
        problems = inputProblems;
        tellProblems();
    }

    private void tellProblems() {
        if (reader != null && problems != null && !problems.isEmpty()) {
            reader.noteInputProblem(String.join("; ", problems));
        }
    }

    /** Stops the merge if it still runs (its reader stopped early) and waits a little for its thread. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(pipe.source()); // a merge writing into the pipe fails at once
        thread.interrupt(); // one reading a file stops too
        try {
            thread.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<CaptureReader> readers) {
        for (CaptureReader input : readers) {
            closeQuietly(input);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is all that was wanted
        }
    }

    /** The pipe's bytes; where they end because the merge failed, its reason as an IOException. */
    private final class FailureAtEnd extends FilterInputStream {
        FailureAtEnd(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            return b < 0 ? throwIfFailed() : b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int n = super.read(bytes, offset, length);
            return n < 0 ? throwIfFailed() : n;
        }

        private int throwIfFailed() throws IOException {
            Exception why = failure;
            if (why != null) {
                throw new IOException("merging " + name + " failed: "
                        + (why.getMessage() != null ? why.getMessage() : why.getClass().getSimpleName()));
            }
            return -1;
        }
    }
}
