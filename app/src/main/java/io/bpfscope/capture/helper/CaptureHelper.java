package io.bpfscope.capture.helper;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.sys.Clocks;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.helper.HelperProtocol.BadCommand;
import io.bpfscope.capture.helper.HelperProtocol.Command;
import io.bpfscope.capture.helper.HelperProtocol.Reply;
import io.bpfscope.capture.live.CaptureSession;
import io.bpfscope.capture.live.HostInfo;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The privileged half of bpfscope, after Wireshark's dumpcap: it loads, attaches and detaches probes
 * as the window asks ({@link HelperProtocol}), reads the ring buffer and streams the records to the
 * window in the capture format. It writes no file and parses nothing but the window's commands;
 * decoding, filters, files and the window all run as the user.
 *
 * <p>One window, one helper: {@code start} begins a capture stream (header, then blocks), {@code stop}
 * ends it with its END block, and another {@code start} may follow on the same pipe. When the
 * window's end of the command pipe closes (it quit or was killed), the helper detaches everything
 * and returns. Not thread-safe: {@link #serve()} runs on one thread.
 *
 * <p>Each capture keeps bpfscope out of itself ({@link CaptureSession#start(int, CaptureSession.Listener,
 * java.util.Collection)}): this process, the window and what either starts, unless an attach's options
 * include self. The window's pid is not taken from the window's word: the helper knows it from how the
 * two were started (the window is its child under sudo, its parent when it runs as root).
 */
public final class CaptureHelper {
    private static final System.Logger LOG = System.getLogger(CaptureHelper.class.getName());
    /** The loss counters reach the window at most this often while records come (and every tick). */
    private static final long FLUSH_NANOS = 50_000_000L;

    private final InputStream commands;
    private final OutputStream out;
    private final List<Long> ownProcesses;
    private Session session;

    /** {@code window}: the pid of the window on the other end of the pipes. */
    public CaptureHelper(InputStream commands, OutputStream out, long window) {
        this.commands = new java.io.BufferedInputStream(commands); // read a byte at a time below
        this.out = out;
        this.ownProcesses = List.of(ProcessHandle.current().pid(), window);
    }

    /** Answers commands until the window closes its end or a write to it fails; detaches everything then. */
    public void serve() throws IOException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, "bpfscope-helper-stop"));
        try {
            for (String line = readLine(); line != null; line = readLine()) {
                handle(line);
            }
        } finally {
            stopQuietly();
        }
    }

    /** Synchronized with {@link #stopQuietly()}, which the shutdown hook calls from another thread. */
    private synchronized void handle(String line) throws IOException {
        Command command;
        try {
            command = HelperProtocol.parse(line);
        } catch (BadCommand e) {
            reply(Reply.failed(e.id(), e.getMessage(), ""));
            return;
        }
        switch (command.op()) {
            case "start" -> start(command);
            case "attach" -> attach(command);
            case "detach" -> detach(command);
            case "query" -> query(command);
            default -> {
                stopQuietly();
                // the stream has ended with END; there is nothing to reply on
            }
        }
    }

    private void start(Command command) throws IOException {
        if (session != null) {
            reply(Reply.failed(command.id(), "a capture is running already", ""));
            return;
        }
        session = new Session(out, ownProcesses);
        try {
            session.begin();
            reply(Reply.done(command.id()));
        } catch (BpfException e) {
            LOG.log(Level.WARNING, "starting the capture: " + e.getMessage() + "\n" + e.details());
            reply(Reply.failed(command.id(), e.getMessage(), e.details()));
            stopQuietly();
        }
    }

    private void attach(Command command) throws IOException {
        if (session == null) {
            LOG.log(Level.WARNING, "attach before start: ignored");
            return;
        }
        Probe probe;
        ProbeOptions options;
        try {
            probe = HelperProtocol.probe(command);
            options = HelperProtocol.options(command);
        } catch (BadCommand e) {
            reply(Reply.failed(command.id(), e.getMessage(), ""));
            return;
        }
        try {
            LoadedProbe loaded = session.attach(probe, options);
            reply(Reply.attached(command.id(), loaded.source(), loaded.warnings()));
        } catch (BpfException e) {
            LOG.log(Level.WARNING, "probe " + probe.name() + " failed: " + e.getMessage() + "\n" + e.details());
            reply(Reply.failed(command.id(), e.getMessage(), e.details()));
        }
    }

    private void query(Command command) throws IOException {
        try {
            reply(Reply.answer(command.id(), HelperProtocol.answer(command, HostFacts.local())));
        } catch (BadCommand | IOException | RuntimeException e) {
            reply(Reply.failed(command.id(), String.valueOf(e.getMessage()), ""));
        }
    }

    private void detach(Command command) throws IOException {
        if (session == null) {
            return;
        }
        if (session.detach(command.source())) {
            reply(Reply.done(command.id()));
        } else {
            reply(Reply.failed(command.id(), "no probe with source " + command.source() + " is attached", ""));
        }
    }

    private void reply(Reply reply) throws IOException {
        if (session == null) {
            LOG.log(Level.WARNING, "no capture to reply on: " + reply);
            return;
        }
        session.reply(reply);
    }

    private synchronized void stopQuietly() {
        if (session != null) {
            session.end();
            session = null;
        }
    }

    /** One line of at most {@link HelperProtocol#MAX_LINE} bytes; a longer one is skipped and answered. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            int b = commands.read();
            if (b < 0) {
                return null;
            }
            if (b == '\n') {
                if (tooLong) {
                    reply(Reply.failed(0, "a command longer than " + HelperProtocol.MAX_LINE + " bytes was ignored", ""));
                    line.reset();
                    tooLong = false;
                    continue;
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() >= HelperProtocol.MAX_LINE) {
                tooLong = true;
                line.reset();
            }
            if (!tooLong) {
                line.write(b);
            }
        }
    }

    /** One capture stream: from {@code start} to {@code stop}. */
    private static final class Session {
        private final CaptureWriter writer;
        private final List<Long> ownProcesses;
        private final Map<Integer, LoadedProbe> probes = new HashMap<>();
        private CaptureSession capture;
        private long lastFlush = System.nanoTime();
        private volatile boolean anyAttached;

        Session(OutputStream out, List<Long> ownProcesses) throws IOException {
            this.ownProcesses = ownProcesses;
            long bootToWall = Clocks.bootToWallOffsetNanos();
            CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, HostInfo.bpfscopeVersion(),
                    HostInfo.hostname(), HostInfo.kernelRelease(), bootToWall, Clocks.bootTimeNanos() + bootToWall,
                    CaptureSession.DEFAULT_RING_BYTES, List.of());
            // The window reads this stream; closing it must not close our stdout for the next session.
            this.writer = new CaptureWriter(new BufferedOutputStream(new KeepOpen(out), 1 << 16), header);
        }

        void begin() throws BpfException {
            capture = CaptureSession.start(CaptureSession.DEFAULT_RING_BYTES, new CaptureSession.Listener() {
                @Override
                public void onBatch(io.bpfscope.bridge.ring.RecordBatch batch) throws IOException {
                    synchronized (writer) {
                        writer.append(batch);
                        // The window shows what comes at once; the loss counters (which cost a map read
                        // per probe) go with it at most every FLUSH_NANOS, and on every tick.
                        if (System.nanoTime() - lastFlush > FLUSH_NANOS) {
                            flush();
                        } else {
                            writer.flushEvents();
                        }
                    }
                }

                @Override
                public void onTick() throws IOException {
                    if (anyAttached) { // before the first probe, stay quiet: the window may not be reading yet
                        synchronized (writer) {
                            flush();
                        }
                    }
                }

                /** A probe's later notice (a JVM jsse could not trace): an ok REPLY to no command. */
                @Override
                public void onNotice(String text) throws IOException {
                    reply(Reply.notice(text));
                }

                /** Said to the window as a REPLY to no command, which it shows. */
                @Override
                public void onReaderFailure(Throwable failure) throws IOException {
                    reply(Reply.failed(0, "the ring buffer reader stopped: " + failure
                            + "; what was captured is kept, restart bpfscope to capture again", ""));
                }
            }, ownProcesses);
        }

        /** Attaches; the PROBE block goes out after the load and before the attach, ahead of any record. */
        LoadedProbe attach(Probe probe, ProbeOptions options) throws BpfException, IOException {
            List<String> libraries = options.libraries().stream().map(Path::toString).toList();
            try {
                LoadedProbe loaded = capture.attach(new CaptureSession.Request(probe, options), source -> {
                    synchronized (writer) {
                        try {
                            writer.addProbe(CaptureHeader.ProbeEntry.of(source, probe,
                                    String.join(", ", probe.attachPoints()), libraries));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
                probes.put(loaded.source(), loaded);
                anyAttached = true;
                return loaded;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }

        boolean detach(int source) {
            LoadedProbe probe = probes.remove(source);
            if (probe == null) {
                return false;
            }
            capture.detach(probe);
            return true;
        }

        void reply(Reply reply) throws IOException {
            synchronized (writer) {
                writer.addReply(reply.json());
            }
        }

        /** Caller holds the writer's lock. */
        private void flush() throws IOException {
            writer.flush(counters());
            lastFlush = System.nanoTime();
        }

        private CaptureCounters counters() {
            return capture.counters(writer.eventsWritten());
        }

        /** Detaches everything, lets the last records out and ends the stream with END. */
        void end() {
            if (capture != null) {
                capture.close();
            }
            synchronized (writer) {
                try {
                    writer.finish(capture != null ? counters() : new CaptureCounters(0, 0, 0, List.of()));
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "the window went before the capture ended: " + e.getMessage());
                }
            }
        }
    }

    /** Passes writes through; close only flushes, so one session's end leaves the pipe open for the next. */
    private static final class KeepOpen extends java.io.FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
