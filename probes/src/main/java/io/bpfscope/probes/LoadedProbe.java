package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfMap;
import io.bpfscope.bridge.BpfObject;
import java.util.List;

/**
 * A probe loaded into the kernel and attached. Closing it detaches every
 * link and unloads the object; nothing stays behind (no pins). Counters may
 * be read from any thread while it is open.
 */
public final class LoadedProbe implements AutoCloseable {
    private static final int COUNTER_LOST = 0;
    private static final int COUNTER_TRUNCATED = 1;

    private final Probe probe;
    private final int source;
    private final ProbeOptions options;
    private final BpfObject object;
    private final List<BpfLink> links;
    private final AutoCloseable follower;
    private final List<String> warnings;
    private final BpfMap counters;
    private final UserSpaceSource userSpace;
    private volatile boolean closed;
    private long finalLost;
    private long finalTruncated;

    /** {@code warnings} may still grow: the follower ({@link Probe#keepAttaching}) adds to it later. */
    LoadedProbe(Probe probe, int source, ProbeOptions options, BpfObject object, List<BpfLink> links,
                AutoCloseable follower, List<String> warnings) throws BpfException {
        this.probe = probe;
        this.source = source;
        this.options = options;
        this.object = object;
        this.links = List.copyOf(links);
        this.follower = follower;
        this.warnings = warnings;
        this.counters = object.map("counters");
        this.userSpace = null;
    }

    /** A {@link Probe#userSpace()} probe: no object, no links; its source keeps the counts. */
    LoadedProbe(Probe probe, int source, ProbeOptions options, UserSpaceSource userSpace, List<String> warnings) {
        this.probe = probe;
        this.source = source;
        this.options = options;
        this.object = null;
        this.links = List.of();
        this.follower = null;
        this.warnings = List.copyOf(warnings);
        this.counters = null;
        this.userSpace = userSpace;
    }

    public Probe probe() {
        return probe;
    }

    /** The id its events carry in the header's {@code source} field. */
    public int source() {
        return source;
    }

    public ProbeOptions options() {
        return options;
    }

    public List<BpfLink> links() {
        return links;
    }

    /** Attach points that were optional and skipped, so far. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /** Events the kernel dropped because the ring buffer was full. */
    public synchronized long lost() throws BpfException {
        if (closed) {
            return finalLost;
        }
        return userSpace != null ? userSpace.lost() : counters.sumPerCpu(COUNTER_LOST);
    }

    /** Events sent with their data cut at a limit. */
    public synchronized long truncated() throws BpfException {
        if (closed) {
            return finalTruncated;
        }
        return userSpace != null ? userSpace.truncated() : counters.sumPerCpu(COUNTER_TRUNCATED);
    }

    /** Detaches and unloads; the counters keep their last values. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (userSpace != null) {
            userSpace.close();
            finalLost = userSpace.lost();
            finalTruncated = userSpace.truncated();
            closed = true;
            return;
        }
        ProbeLoader.closeQuietly(follower);
        links.forEach(BpfLink::close);
        try {
            finalLost = counters.sumPerCpu(COUNTER_LOST);
            finalTruncated = counters.sumPerCpu(COUNTER_TRUNCATED);
        } catch (BpfException e) {
            System.getLogger(LoadedProbe.class.getName()).log(System.Logger.Level.WARNING,
                    "could not read the final counters of " + probe.name() + ": " + e.getMessage());
        }
        closed = true;
        object.close();
    }
}
