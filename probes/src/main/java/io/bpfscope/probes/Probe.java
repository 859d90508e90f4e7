package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A kind of probe bpfscope offers: its BPF object, where it attaches, and how
 * its events decode. A spec, not a loaded thing: {@link ProbeLoader} turns it
 * into a {@link LoadedProbe}. Implementations are immutable and thread-safe.
 */
public interface Probe {
    /** The name users type: {@code exec}, {@code tls}... */
    String name();

    /** One line for list-probes and the GUI. */
    String description();

    /** Where it attaches, e.g. {@code tracepoint:sched:sched_process_exec}. */
    List<String> attachPoints();

    /** The {@code enum event_kind} value its events carry. */
    int kind();

    EventDecoder decoder();

    /**
     * The decoder for records laid out as a capture's header recorded them ({@code recorded},
     * null when unknown): a capture from an older bpfscope may have a smaller struct.
     * By default the current decoder.
     */
    default EventDecoder decoder(EventLayout recorded) {
        return decoder();
    }

    /**
     * What its events hold and how the generic layers show them: fields, colour,
     * stream key, statistics. The same for every instance of one probe family
     * (a tracepoint's own fields come from its decoder: {@link EventDecoder#fieldNames()}).
     */
    ProbeDeclaration declaration();

    /** The compiled object's resource name, e.g. {@code exec.bpf.o}; null for a {@link #userSpace()} probe. */
    String objectName();

    /**
     * True for a probe that loads nothing into the kernel: its records are made in user space and
     * handed to the capture ({@link #startUserSpace}); jsse, whose agents run in the JVMs, is one.
     */
    default boolean userSpace() {
        return false;
    }

    /**
     * Starts a {@link #userSpace()} probe: from now on it hands records tagged {@code source} to
     * {@code sink}. Problems that do not stop it go to {@code warnings}; one that does throws.
     */
    default UserSpaceSource startUserSpace(ProbeOptions options, int source, RecordSink sink,
                                           Consumer<String> warnings) throws BpfException {
        throw new UnsupportedOperationException(name() + " is a BPF probe");
    }

    /**
     * For a probe whose attach point is chosen at run time (any tracepoint, any
     * function): what it is attached to, e.g. {@code sched:sched_process_fork};
     * null for the fixed probes. Stored in the capture header.
     */
    default String target() {
        return null;
    }

    /**
     * What decoding its records needs besides their kind, stored in the capture
     * header so a file decodes without this host (a tracepoint's format file);
     * null when the kind is enough. See {@code catalog.ProbeCatalog.decoderFor}.
     */
    default String format() {
        return null;
    }

    /**
     * What this instance was made with besides its {@link #name()}, as text: another process
     * (the capture helper) makes the same probe from the name and these with
     * {@code ProbeCatalog.find(name, parameters)}. Empty for most probes.
     */
    default java.util.Map<String, String> parameters() {
        return java.util.Map.of();
    }

    /** Can it attach on this host? Cheap: no BPF is loaded. */
    Availability availability();

    /** Before load: set probe-specific constants, turn off programs this host cannot attach. */
    default void configure(BpfObject object, ProbeOptions options) throws BpfException {
    }

    /**
     * After load: attach, returning the links. Attach points that are
     * optional and fail go to {@code warnings}; a required one throws.
     */
    List<BpfLink> attach(BpfObject object, ProbeOptions options, Consumer<String> warnings) throws BpfException;

    /**
     * After {@link #attach}: what keeps attaching while the probe runs (uprobes on the
     * executables processes start, say: {@link ExecutableDiscovery}), closed before the
     * links and the object. Warnings may come later, from its own thread. Default: nothing.
     */
    default AutoCloseable keepAttaching(BpfObject object, ProbeOptions options, Consumer<String> warnings)
            throws BpfException {
        return () -> { };
    }

    /** The compiled object, from the class path. */
    default byte[] objectBytes() {
        return objectBytes(objectName());
    }

    /** A compiled object of this module by its resource name, e.g. {@code functop.bpf.o}. */
    static byte[] objectBytes(String objectName) {
        String resource = "/io/bpfscope/probes/" + objectName;
        try (InputStream in = Probe.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + ": rebuild with make -C probes");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
