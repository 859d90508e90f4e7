package io.bpfscope.capture;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.bridge.sys.Clocks;
import io.bpfscope.io.PrivateFiles;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A capture the GUI drives: probes come and go while events gather in an
 * {@link EventStore} and, as they come, in a private capture file (so memory
 * stays bounded however long it runs, and Save is a copy). The store and the
 * file are fed on the capture's dispatcher thread; views poll the store on
 * their own pulse and never block it. Thread-safe.
 */
public final class LiveCapture implements AutoCloseable {
    private final Path file;
    private final CaptureWriter writer;
    private final EventStore store;
    private final CaptureSession session;
    private final List<CaptureHeader.ProbeEntry> entries = new ArrayList<>();
    private final CaptureHeader header;
    private final List<CaptureHeader.ProbeEntry> pendingProbes = new ArrayList<>();

    private LiveCapture(Path file, int ringBytes, long memoryBudget) throws BpfException, IOException {
        this.file = file;
        long bootToWall = Clocks.bootToWallOffsetNanos();
        this.header = new CaptureHeader("bscap", CaptureFormat.VERSION, HostInfo.bpfscopeVersion(), HostInfo.hostname(),
                HostInfo.kernelRelease(), bootToWall, Clocks.bootTimeNanos() + bootToWall, ringBytes, List.of());
        this.writer = new CaptureWriter(new BufferedOutputStream(PrivateFiles.create(file), 1 << 16), header);
        this.store = new EventStore(memoryBudget, file);
        writer.setBlockListener(store::blockWritten);
        this.session = CaptureSession.start(ringBytes, new CaptureSession.Listener() {
            @Override
            public void onBatch(RecordBatch batch) throws IOException {
                writePendingProbes();
                writer.append(batch);
                store.append(batch);
            }

            @Override
            public void onTick() throws IOException {
                writePendingProbes();
                writer.flush(counters());
            }
        });
    }

    /** Starts capturing into a private file in {@code directory}; nothing is attached yet. */
    public static LiveCapture start(Path directory, int ringBytes, long memoryBudget) throws BpfException, IOException {
        Path file = PrivateFiles.temporary(directory, "bpfscope-live-");
        try {
            return new LiveCapture(file, ringBytes, memoryBudget);
        } catch (BpfException | IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public EventStore store() {
        return store;
    }

    /** The file the events are written to as they come. */
    public Path file() {
        return file;
    }

    /** Attaches a probe; throws with the reason when it cannot, and the others keep running. */
    public LoadedProbe attach(Probe probe, ProbeOptions options) throws BpfException {
        LoadedProbe loaded = session.attach(new CaptureSession.Request(probe, options));
        CaptureHeader.ProbeEntry entry = CaptureHeader.ProbeEntry.of(loaded.source(), probe,
                loaded.links().toString(), options.libraries().stream().map(Path::toString).toList());
        synchronized (entries) {
            entries.add(entry);
            pendingProbes.add(entry);
        }
        return loaded;
    }

    public void detach(LoadedProbe probe) {
        session.detach(probe);
    }

    public Optional<LoadedProbe> attached(Probe probe) {
        return session.probes().stream().filter(p -> p.probe() == probe && p.links().stream().anyMatch(l -> l.isAttached()))
                .findFirst();
    }

    /** The header with every probe attached so far. */
    public CaptureHeader header() {
        synchronized (entries) {
            CaptureHeader current = header;
            for (CaptureHeader.ProbeEntry entry : entries) {
                current = current.withProbe(entry);
            }
            return current;
        }
    }

    public CaptureCounters counters() {
        return session.counters(store.size());
    }

    /** Why the capture stopped taking events (e.g. a full disk), or null while it runs. */
    public Throwable failure() {
        return session.listenerFailure();
    }

    private void writePendingProbes() throws IOException {
        List<CaptureHeader.ProbeEntry> toWrite;
        synchronized (entries) {
            toWrite = List.copyOf(pendingProbes);
            pendingProbes.clear();
        }
        for (CaptureHeader.ProbeEntry entry : toWrite) {
            writer.addProbe(entry);
        }
    }

    /** Detaches everything, finishes the file, and deletes it unless {@code keepFile}. */
    public void close(boolean keepFile) throws IOException {
        session.close();
        try {
            writePendingProbes();
            writer.finish(counters());
        } finally {
            store.close();
            if (!keepFile) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public void close() throws IOException {
        close(false);
    }
}
