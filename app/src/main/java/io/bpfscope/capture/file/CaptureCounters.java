package io.bpfscope.capture.file;

import java.util.List;

/**
 * Loss accounting at one moment of a recording: what the kernel dropped
 * (ring buffer full), what it cut, and what bpfscope itself dropped because
 * its consumer fell behind. Counts are totals since the start.
 */
public record CaptureCounters(long bootNanos, long events, long droppedInUserSpace, List<ProbeCounters> probes) {
    /** One probe's totals. */
    public record ProbeCounters(int source, String name, long lost, long truncated) {
    }

    public CaptureCounters {
        probes = probes == null ? List.of() : List.copyOf(probes);
    }

    public long lost() {
        return probes.stream().mapToLong(ProbeCounters::lost).sum() + droppedInUserSpace;
    }

    public long truncated() {
        return probes.stream().mapToLong(ProbeCounters::truncated).sum();
    }
}
