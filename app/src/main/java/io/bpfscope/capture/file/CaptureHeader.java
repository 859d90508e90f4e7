package io.bpfscope.capture.file;

import io.bpfscope.probes.EventLayout;
import io.bpfscope.probes.Probe;
import java.util.List;

/**
 * What a capture file says about itself, written as JSON after the magic:
 * where and when it was recorded, and which probes (by source id) sent its
 * records, with their layouts, so a reader can tell what each byte means.
 *
 * @param bootToWallNanos add to an event's boot-time stamp to get Unix-epoch nanoseconds
 * @param startNanos Unix-epoch nanoseconds when recording started
 */
public record CaptureHeader(
        String format,
        int version,
        String bpfscopeVersion,
        String hostname,
        String kernel,
        long bootToWallNanos,
        long startNanos,
        int ringBufferBytes,
        List<ProbeEntry> probes) {

    /**
     * A probe instance: the {@code source} id its records carry, its kind and layout.
     * {@code target} and {@code format} are the probe's {@link Probe#target()} and
     * {@link Probe#format()} (what a tracepoint or uprobe was attached to, and the
     * tracepoint's format file), so its records decode without the recording host;
     * null for the fixed probes and in files written before they existed. {@code host} is set only in
     * a capture merged from several hosts ({@code CaptureMerge}): the host whose probe this is; null
     * means the header's {@code hostname}.
     */
    public record ProbeEntry(int source, String name, int kind, String attachedTo, List<String> libraries,
                             EventLayout layout, String target, String format, String host) {
        public ProbeEntry {
            libraries = libraries == null ? List.of() : List.copyOf(libraries);
        }

        public ProbeEntry(int source, String name, int kind, String attachedTo, List<String> libraries,
                          EventLayout layout, String target, String format) {
            this(source, name, kind, attachedTo, libraries, layout, target, format, null);
        }

        /** This entry as probe {@code source} of {@code host} in a merged capture. */
        public ProbeEntry onHost(int newSource, String newHost) {
            return new ProbeEntry(newSource, name, kind, attachedTo, libraries, layout, target, format, newHost);
        }

        /** A fixed probe's entry: its kind is all its records need. */
        public ProbeEntry(int source, String name, int kind, String attachedTo, List<String> libraries,
                          EventLayout layout) {
            this(source, name, kind, attachedTo, libraries, layout, null, null);
        }

        /** The entry of {@code probe}, loaded with id {@code source}. */
        public static ProbeEntry of(int source, Probe probe, String attachedTo, List<String> libraries) {
            return new ProbeEntry(source, probe.name(), probe.kind(), attachedTo, libraries, probe.decoder().layout(),
                    probe.target(), probe.format());
        }
    }

    public CaptureHeader {
        probes = probes == null ? List.of() : List.copyOf(probes);
    }

    /** This header with one more probe. */
    public CaptureHeader withProbe(ProbeEntry probe) {
        List<ProbeEntry> more = new java.util.ArrayList<>(probes);
        more.add(probe);
        return new CaptureHeader(format, version, bpfscopeVersion, hostname, kernel, bootToWallNanos, startNanos,
                ringBufferBytes, more);
    }

    /** The host whose probe {@code entry} is: its own in a merged capture, else the header's. */
    public String hostOf(ProbeEntry entry) {
        return entry.host() != null ? entry.host() : hostname == null ? "" : hostname;
    }

    /** The hosts this capture's probes ran on, in the order they first appear (one for a capture of one host). */
    public List<String> hosts() {
        java.util.LinkedHashSet<String> hosts = new java.util.LinkedHashSet<>();
        probes.forEach(p -> hosts.add(hostOf(p)));
        if (hosts.isEmpty()) {
            hosts.add(hostname == null ? "" : hostname);
        }
        return List.copyOf(hosts);
    }

    public java.util.Optional<ProbeEntry> probe(int source) {
        return probes.stream().filter(p -> p.source == source).findFirst();
    }
}
