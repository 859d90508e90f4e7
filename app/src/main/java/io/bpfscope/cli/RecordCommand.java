package io.bpfscope.cli;

import io.bpfscope.bridge.TraceFs;
import io.bpfscope.bridge.sys.Clocks;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.live.CaptureSession;
import io.bpfscope.capture.live.HostInfo;
import io.bpfscope.capture.live.Recorder;
import io.bpfscope.io.PrivateFiles;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code bpfscope record -p exec -o FILE}: attach, say "recording", write
 * events as they come, stop at the duration, the count, Ctrl-C or SIGTERM,
 * and leave a complete file.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Record events to a capture file (.bscap); '-o -' writes to stdout.")
public final class RecordCommand implements Callable<Integer> {
    @Mixin
    ProbeSelection selection;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The capture file, or - for stdout.")
    String output;

    @Option(names = "--force", description = "Replace FILE (and the rotated files) if it exists and is a regular"
            + " file of yours (never a link, a device or another user's file).")
    boolean force;

    @Option(names = "--duration", paramLabel = "TIME", converter = Units.DurationConverter.class,
            description = "Stop after this long (e.g. 10s, 2m).")
    Duration duration;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N events.")
    long count;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = Units.SizeConverter.class,
            description = "Start a new file when one passes SIZE: FILE, then FILE with .1, .2 ... before its extension.")
    long maxSize;

    @picocli.CommandLine.Mixin
    FilterOption filter;

    @Option(names = "--buffer-size", paramLabel = "SIZE", converter = Units.SizeConverter.class,
            description = "Ring buffer size shared by the probes, a power of two (default 16M).")
    long bufferSize = CaptureSession.DEFAULT_RING_BYTES;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        List<Probe> probes = selection.resolve();
        ProbeOptions options = selection.options();
        if (Long.bitCount(bufferSize) != 1 || bufferSize < 4096 || bufferSize > (1L << 30)) {
            throw new UserError(ExitCodes.USAGE, "--buffer-size must be a power of two between 4K and 1G, not " + bufferSize);
        }
        io.bpfscope.filter.Filter keep = filter.filter(probes.stream().filter(p -> p.availability().available())
                .flatMap(p -> p.decoder().fieldNames().stream()).toList());
        if (maxSize > 0 && output.equals("-")) {
            throw new UserError(ExitCodes.USAGE, "--max-size needs a file: stdout cannot be rotated");
        }
        String hostProblem = ListProbesCommand.hostProblem();
        if (hostProblem != null) {
            throw new UserError(ExitCodes.PROBES, hostProblem);
        }
        TraceFs.root();

        boolean toStdout = output.equals("-");
        // The file is created now, before any probe is attached, so an OUT that may not be written is refused at
        // once. It is written as events come (not renamed at the end): a cut capture is still worth having.
        OutputStream first = toStdout ? new FileOutputStream(FileDescriptor.out) : PrivateFiles.create(Path.of(output), force);
        PrintStream stdout = System.out;
        if (toStdout) {
            System.setOut(System.err); // nothing else may write into the capture stream
        }
        Recorder recorder = new Recorder(index -> new java.io.BufferedOutputStream(index == 0 ? first
                : PrivateFiles.create(rotated(Path.of(output), index), force), 1 << 16),
                count, maxSize, stop::countDown);
        recorder.onNotices(text -> System.err.println("bpfscope: " + TerminalText.escape(text)));
        if (!toStdout) {
            recorder.indexFiles();
        }
        installSignalHandlers();
        long started = System.nanoTime();
        long bootToWall = Clocks.bootToWallOffsetNanos();
        long startWall = Clocks.bootTimeNanos() + bootToWall; // before attaching: the first events come while later probes attach
        // bpfscope keeps itself out (the kernel filters), unless --include-self: this process and its children.
        try (CaptureSession session = CaptureSession.start((int) bufferSize, recorder, List.of(ProcessHandle.current().pid()))) {
            List<CaptureSession.Request> requests = new ArrayList<>();
            for (Probe probe : probes) {
                requests.add(new CaptureSession.Request(probe, options));
            }
            List<LoadedProbe> attached = session.attachAll(requests);
            for (CaptureSession.Failure failure : session.failures()) {
                System.err.println("bpfscope: probe " + failure.probe().name() + " not attached: "
                        + TerminalText.escape(failure.error().getMessage()));
            }
            for (LoadedProbe probe : attached) {
                for (String warning : probe.warnings()) {
                    System.err.println("bpfscope: " + TerminalText.escape(warning));
                }
            }
            if (attached.isEmpty()) {
                recorder.begin(header(session, attached, bootToWall, startWall), session::counters,
                        keep.passesEverything() ? null : keep);
                session.close();
                recorder.finish(session.counters(0));
                throw new UserError(ExitCodes.PROBES, "no probe could be attached; nothing recorded");
            }
            recorder.begin(header(session, attached, bootToWall, startWall), session::counters,
                        keep.passesEverything() ? null : keep);
            System.err.println("bpfscope: recording " + attached.stream().map(p -> p.probe().name())
                    .collect(Collectors.joining(", ")) + " to " + (toStdout ? "stdout" : output)
                    + (duration != null ? " for " + duration.toSeconds() + "s" : "")
                    + (count > 0 ? " (at most " + count + " events)" : "") + "; Ctrl-C stops");
            waitForStop(session);
            session.close();
            CaptureCounters counters = session.counters(recorder.events());
            UserError failed = failure(session.readerFailure(), session.listenerFailure(), output);
            if (failed != null) {
                throw failed;
            }
            recorder.finish(counters);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.err.printf("bpfscope: recorded %d events in %.1fs to %s; lost %d, truncated %d%s%s%n",
                    recorder.events(), seconds, toStdout ? "stdout" : output, counters.lost(), counters.truncated(),
                    (keep.passesEverything() ? "" : "; " + recorder.filteredOut() + " did not match the filter")
                            + (recorder.undecodable() > 0 ? "; " + recorder.undecodable()
                            + " could not be decoded to be filtered and were not kept" : ""),
                    recorder.files() > 1 ? "; " + recorder.files() + " files" : "");
            if (counters.lost() > 0) {
                System.err.println("bpfscope: events were lost: try a larger --buffer-size or narrower filters");
            }
        } finally {
            System.setOut(stdout);
            if (!toStdout && recorder.files() == 0) {
                removeUnstarted(first);
            }
        }
        return ExitCodes.OK;
    }

    /**
     * Why the capture stopped on its own, as the one line to end with, or null:
     * the output failing (a full disk) is exit 1, anything else that killed the
     * ring reader or the writer is an internal error, exit 70.
     */
    static UserError failure(Throwable readerFailure, Throwable listenerFailure, String output) {
        String kept = "; the events written before it can still be read (bpfscope info " + output + ")";
        if (listenerFailure instanceof java.io.IOException) {
            // The file layer's message already names the file and what to do (e.g. a full disk); keep it whole.
            String why = listenerFailure.getMessage();
            boolean full = why != null && why.contains("no space left");
            return new UserError(ExitCodes.INPUT, (why != null && why.startsWith("writing ") ? why
                    : "writing " + output + " failed: " + why) + kept
                    + (full ? "; or rotate files with --max-size" : ""));
        }
        Throwable failure = readerFailure != null ? readerFailure : listenerFailure;
        if (failure == null) {
            return null;
        }
        String who = readerFailure != null ? "the ring buffer reader" : "the capture writer";
        return new UserError(ExitCodes.INTERNAL, "recording stopped: " + who + " failed: " + failure
                + kept + "; please report it with the log " + Logging.logFile());
    }

    private CaptureHeader header(CaptureSession session, List<LoadedProbe> attached, long bootToWall, long startWall) {
        List<CaptureHeader.ProbeEntry> entries = new ArrayList<>();
        for (LoadedProbe probe : attached) {
            entries.add(CaptureHeader.ProbeEntry.of(probe.source(), probe.probe(),
                    probe.links().isEmpty() ? String.join(", ", probe.probe().attachPoints()) // jsse: no BPF links
                            : probe.links().stream().map(Object::toString).collect(Collectors.joining(", ")),
                    probe.options().libraries().stream().map(Object::toString).toList()));
        }
        return new CaptureHeader("bscap", CaptureFormat.VERSION, HostInfo.bpfscopeVersion(), HostInfo.hostname(),
                HostInfo.kernelRelease(), bootToWall, startWall, session.ringBytes(), entries);
    }

    /** Nothing began (the capture could not start): no empty file is left behind. */
    private void removeUnstarted(OutputStream first) {
        try {
            first.close();
            PrivateFiles.delete(Path.of(output));
        } catch (java.io.IOException e) {
            // the reason the capture did not start is what the user needs to read
        }
    }

    /** FILE for the first, then x.1.bscap, x.2.bscap ... (the number before the extension). */
    static Path rotated(Path file, int index) {
        if (index == 0) {
            return file;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + "." + index + name.substring(dot) : name + "." + index;
        return file.resolveSibling(numbered);
    }

    private void waitForStop(CaptureSession session) throws InterruptedException {
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        while (session.isRunning()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stop.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS)) {
                return;
            }
        }
    }

    private void installSignalHandlers() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // The JVM reserves the signal (e.g. with -Xrs): the shutdown path still detaches on exit.
            }
        }
    }
}
