package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.ring.RingBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a probe's object, sets its filters, points it at the shared ring
 * buffer, loads and attaches it. On any failure everything it did is undone.
 */
public final class ProbeLoader {
    private ProbeLoader() {
    }

    public static LoadedProbe load(Probe probe, ProbeOptions options, int source, RingBuffer ring) throws BpfException {
        return load(probe, options, source, ring, null, RecordSink.NONE, () -> { });
    }

    /**
     * As {@link #load(Probe, ProbeOptions, int, RingBuffer)}; {@code self}, when not null, keeps
     * bpfscope's own processes out unless {@link ProbeOptions#includeSelf()}. {@code beforeAttach}
     * runs once the object is loaded and before any link exists, so no record of {@code source} can
     * have been written yet: a capture declares the probe there, ahead of its first record. A
     * {@link Probe#userSpace()} probe loads no object and hands its records to {@code sink}.
     */
    public static LoadedProbe load(Probe probe, ProbeOptions options, int source, RingBuffer ring, SelfFilter self,
                                   RecordSink sink, Runnable beforeAttach) throws BpfException {
        if (probe.userSpace()) { // loads no object: its records go to sink instead of the ring
            beforeAttach.run();
            List<String> warnings = new ArrayList<>();
            UserSpaceSource running = probe.startUserSpace(options, source, sink, warnings::add);
            return new LoadedProbe(probe, source, options, running, warnings);
        }
        BpfObject object = BpfObject.open(probe.name(), probe.objectBytes());
        List<BpfLink> links = new ArrayList<>();
        AutoCloseable follower = null;
        try {
            object.setConstant("filter_pid", options.pid());
            object.setConstant("filter_tid", options.tid());
            object.setConstant("filter_uid", options.uid());
            object.setConstant("filter_comm", options.comm());
            object.setConstant("source_id", source);
            if (object.hasConstant("max_payload")) {
                object.setConstant("max_payload", Math.min(options.maxPayload(), ProbeOptions.DEFAULT_MAX_PAYLOAD));
            }
            var scratch = object.findMap("cpu_scratch");
            if (scratch.isPresent()) {
                scratch.get().setMaxEntries(object.possibleCpus());
            }
            object.map("events").reuseFd(ring.fd());
            if (self != null && !options.includeSelf()) {
                self.applyTo(object);
            }
            probe.configure(object, options);
            object.load();
            beforeAttach.run();
            List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
            links.addAll(probe.attach(object, options, warnings::add));
            follower = probe.keepAttaching(object, options, warnings::add);
            return new LoadedProbe(probe, source, options, object, links, follower, warnings);
        } catch (BpfException | RuntimeException e) {
            closeQuietly(follower);
            links.forEach(BpfLink::close);
            object.close();
            throw e;
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            System.getLogger(ProbeLoader.class.getName()).log(System.Logger.Level.WARNING,
                    "could not stop attaching: " + e.getMessage());
        }
    }
}
