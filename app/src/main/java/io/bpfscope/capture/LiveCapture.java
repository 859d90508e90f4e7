package io.bpfscope.capture;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.bridge.sys.Clocks;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.ProbeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A capture the GUI drives: probes come and go while events gather in an
 * {@link EventStore}. The store is filled on the capture's dispatcher thread;
 * views poll {@link EventStore#size()} on their own pulse and never block it.
 * Thread-safe.
 */
public final class LiveCapture implements AutoCloseable {
    private final EventStore store = new EventStore();
    private final CaptureSession session;
    private final List<CaptureHeader.ProbeEntry> entries = new ArrayList<>();
    private final long bootToWallNanos = Clocks.bootToWallOffsetNanos();

    private LiveCapture(int ringBytes) throws BpfException {
        this.session = CaptureSession.start(ringBytes, new CaptureSession.Listener() {
            @Override
            public void onBatch(RecordBatch batch) {
                store.append(batch);
            }
        });
    }

    public static LiveCapture start(int ringBytes) throws BpfException {
        return new LiveCapture(ringBytes);
    }

    public EventStore store() {
        return store;
    }

    /** Attaches a probe; throws with the reason when it cannot, and the others keep running. */
    public LoadedProbe attach(Probe probe, ProbeOptions options) throws BpfException {
        LoadedProbe loaded = session.attach(new CaptureSession.Request(probe, options));
        synchronized (entries) {
            entries.add(new CaptureHeader.ProbeEntry(loaded.source(), probe.name(), probe.kind(),
                    loaded.links().toString(), List.of(), probe.decoder().layout()));
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

    /** The header a file saved from this capture would carry. */
    public CaptureHeader header() {
        synchronized (entries) {
            return new CaptureHeader("bscap", CaptureFormat.VERSION, HostInfo.bpfscopeVersion(), HostInfo.hostname(),
                    HostInfo.kernelRelease(), bootToWallNanos, Clocks.bootTimeNanos() + bootToWallNanos,
                    session.ringBytes(), entries);
        }
    }

    public CaptureCounters counters() {
        return session.counters(store.size());
    }

    @Override
    public void close() {
        session.close();
    }
}
