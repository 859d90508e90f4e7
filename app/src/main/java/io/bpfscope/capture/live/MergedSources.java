package io.bpfscope.capture.live;

import io.bpfscope.capture.file.CaptureMerge;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.RawRecord;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Several captures arriving at once — remote hosts over ssh ({@link RemoteCommand}), stdin, files —
 * shown as one: each source's records go into a {@link CaptureMerge} as they arrive, whose output is
 * read back as a {@link StreamCapture} (through an in-process pipe), so the window shows it as it
 * shows any stream. Sources can be added while it runs. Events appear in arrival order; their times
 * stand on one wall-clock axis, each host's by its own clock.
 *
 * <p>Each source tells its {@link Status}: connecting (started, no header yet), live, ended (the
 * capture's END came), or failed with the reason — for ssh, its last line on stderr, which says what
 * went wrong (no route, a refused key, sudo wanting a password, bpfscope missing). Thread-safe.
 */
public final class MergedSources implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MergedSources.class.getName());
    private static final long FLUSH_MILLIS = 100;
    private static final int MAX_REASON = 300;

    /** Where a source is. */
    public enum State { CONNECTING, LIVE, ENDED, FAILED }

    /** One source as the window shows it: {@code host} once its header came; {@code lost} by its probes and bpfscope. */
    public record Status(String name, String host, State state, String reason, long events, long lost) {
    }

    private final CaptureMerge merge;
    private final StreamCapture stream;
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final Thread flusher;
    private volatile boolean closed;

    private MergedSources(CaptureMerge merge, StreamCapture stream) {
        this.merge = merge;
        this.stream = stream;
        this.flusher = new Thread(this::flushLoop, "bpfscope-sources-flush");
        flusher.setDaemon(true);
    }

    /** An empty merge, its private copy in {@code directory} (see {@link StreamCapture}); add sources to it. */
    public static MergedSources start(Path directory, long memoryBudget) throws IOException {
        Pipe pipe = Pipe.open();
        OutputStream sink = new BufferedOutputStream(Channels.newOutputStream(pipe.sink()), 1 << 16);
        Instant now = Instant.now();
        CaptureMerge merge = new CaptureMerge(sink, "", "", now.getEpochSecond() * 1_000_000_000L + now.getNano());
        merge.flush(); // the header, so the reader below can read it
        StreamCapture stream = StreamCapture.start(Channels.newInputStream(pipe.source()), "sources", directory,
                memoryBudget, "bpfscope-sources-", (type, payload) -> { });
        MergedSources sources = new MergedSources(merge, stream);
        sources.flusher.start();
        return sources;
    }

    /** What the window shows: the merged capture as it grows. */
    public StreamCapture stream() {
        return stream;
    }

    /** Starts {@code ssh} for {@code remote}, as the user this process runs as; its capture joins the merge. */
    public void addRemote(RemoteCommand remote) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(remote.argv());
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        InputStream in = process.getInputStream();
        Source source = new Source(remote.label(), self -> CaptureReader.open(in, remote.label()), in, process);
        Thread errors = new Thread(() -> source.drainErrors(process.getErrorStream()), "bpfscope-ssh-stderr");
        errors.setDaemon(true);
        errors.start();
        start(source);
    }

    /** A capture on {@code in} (a file, stdin) joins the merge; it is read as fast as it comes. */
    public void addStream(String name, InputStream in) {
        start(new Source(name, self -> CaptureReader.open(in, name), in, null));
    }

    /**
     * Capture files join the merge as one source, merged by time ({@link CaptureSource#ofAll}, streamed) on
     * threads of their own: they are opened there too, so the caller (the FX thread) never waits for them.
     */
    public void addFiles(String name, List<String> files) {
        start(new Source(name, source -> {
            CaptureSource byTime = CaptureSource.ofAll(files, false);
            source.opened(byTime);
            return byTime.open();
        }, null, null));
    }

    /** Every source so far, in the order they were added. */
    public List<Status> statuses() {
        return sources.stream().map(Source::status).toList();
    }

    private void start(Source source) {
        if (closed) {
            throw new IllegalStateException("the merged capture is closed");
        }
        sources.add(source);
        Thread reader = new Thread(source::read, "bpfscope-source-" + source.name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Pushes what arrived (and everyone's counters) to the window about ten times a second. */
    private void flushLoop() {
        try {
            while (!closed) {
                Thread.sleep(FLUSH_MILLIS);
                merge.flush();
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "the merged capture stopped taking events: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every source (ssh is ended, so the remote recorder sees its output close) and the stream. */
    @Override
    public void close() throws IOException {
        closed = true;
        flusher.interrupt();
        for (Source source : sources) {
            source.stop();
        }
        try {
            stream.close();
        } finally {
            try {
                merge.close();
            } catch (IOException e) {
                // the reading side is gone already: nothing waits for the END block
            }
        }
    }

    /** How a source's capture is opened, on the source's own thread. */
    private interface Opener {
        CaptureReader open(Source source) throws IOException;
    }

    /** One source: its stream, the ssh process behind it (if any), and what it has done. */
    private final class Source {
        private final String name;
        private final Opener opener;
        private volatile AutoCloseable toClose; // what stop() closes: the stream, or the merged files once opened
        private final Process process;
        private volatile State state = State.CONNECTING;
        private volatile String reason = "";
        private volatile String host = "";
        private volatile String lastError = "";
        /** Counted down when ssh's stderr has been read to its end: its last line may come after the stream ends. */
        private final java.util.concurrent.CountDownLatch errorsRead = new java.util.concurrent.CountDownLatch(1);
        private volatile long events;
        private volatile long lost;

        Source(String name, Opener opener, AutoCloseable input, Process process) {
            this.name = name;
            this.opener = opener;
            this.toClose = input;
            this.process = process;
        }

        /** The input, once the opener has it; stopped at once if the merge was closed meanwhile. */
        void opened(AutoCloseable opened) throws IOException {
            toClose = opened;
            if (closed) {
                throw new IOException("the merged capture is closed");
            }
        }

        Status status() {
            return new Status(name, host, state, reason, events, lost);
        }

        void read() {
            try (CaptureReader reader = opener.open(this)) {
                CaptureMerge.Input input = merge.add(name, reader.header());
                host = input.host();
                state = State.LIVE;
                long counted = 0;
                for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                    merge.append(input, reader.header(), record);
                    events++;
                    if (reader.counters().isPresent() && events - counted >= 1024) {
                        counted = events;
                        count(input, reader);
                    }
                }
                count(input, reader);
                if (reader.complete() && reader.problem().isEmpty()) {
                    state = State.ENDED;
                } else {
                    fail(reader.problem().orElse("the capture ended early"));
                }
            } catch (IOException | RuntimeException e) {
                fail(e.getMessage());
            } finally {
                stopInput();
            }
        }

        private void count(CaptureMerge.Input input, CaptureReader reader) {
            reader.counters().ifPresent(c -> {
                merge.counters(input, c);
                lost = c.lost();
            });
        }

        /** Failed: says why, preferring what ssh said (its last line on stderr) to what the stream showed of it. */
        private void fail(String why) {
            if (closed) {
                state = State.ENDED;
                return;
            }
            String because = why;
            if (process != null) {
                try {
                    boolean exited = process.waitFor(3, TimeUnit.SECONDS);
                    errorsRead.await(1, TimeUnit.SECONDS);
                    if (exited && !lastError.isEmpty()) {
                        because = lastError + " (ssh exited with " + process.exitValue() + ")";
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            reason = because == null ? "failed" : because;
            state = State.FAILED;
        }

        void drainErrors(InputStream errors) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(errors, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.isBlank()) {
                        String trimmed = line.strip();
                        lastError = trimmed.length() > MAX_REASON ? trimmed.substring(0, MAX_REASON) + "…" : trimmed;
                        LOG.log(System.Logger.Level.INFO, name + ": " + lastError);
                    }
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                errorsRead.countDown();
            }
        }

        void stop() {
            if (process != null) {
                process.destroy();
            }
            stopInput();
        }

        private void stopInput() {
            AutoCloseable input = toClose;
            if (input == null) {
                return;
            }
            try {
                input.close();
            } catch (Exception e) {
                // closing is all we wanted
            }
        }
    }
}
