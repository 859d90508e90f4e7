package io.bpfscope.probes;

import java.nio.file.Path;
import java.util.List;

/**
 * What a user chose for a probe: in-kernel filters (0, -1 or empty mean
 * "any") and limits. Immutable; the {@code with*} methods return copies.
 * {@code includeSelf}: trace bpfscope's own processes too, which a capture
 * with a {@link SelfFilter} otherwise leaves out.
 */
public record ProbeOptions(int pid, int tid, int uid, String comm, int maxPayload, List<Path> libraries,
                           boolean includeSelf) {
    public static final int DEFAULT_MAX_PAYLOAD = 32 * 1024;
    public static final int ANY_UID = -1;

    public ProbeOptions {
        comm = comm == null ? "" : comm;
        libraries = List.copyOf(libraries);
        if (maxPayload <= 0) {
            throw new IllegalArgumentException("the payload limit must be positive, not " + maxPayload);
        }
    }

    public static ProbeOptions defaults() {
        return new ProbeOptions(0, 0, ANY_UID, "", DEFAULT_MAX_PAYLOAD, List.of(), false);
    }

    public ProbeOptions withPid(int newPid) {
        return new ProbeOptions(newPid, tid, uid, comm, maxPayload, libraries, includeSelf);
    }

    public ProbeOptions withTid(int newTid) {
        return new ProbeOptions(pid, newTid, uid, comm, maxPayload, libraries, includeSelf);
    }

    public ProbeOptions withUid(int newUid) {
        return new ProbeOptions(pid, tid, newUid, comm, maxPayload, libraries, includeSelf);
    }

    public ProbeOptions withComm(String newComm) {
        return new ProbeOptions(pid, tid, uid, newComm, maxPayload, libraries, includeSelf);
    }

    public ProbeOptions withMaxPayload(int newMaxPayload) {
        return new ProbeOptions(pid, tid, uid, comm, newMaxPayload, libraries, includeSelf);
    }

    public ProbeOptions withLibraries(List<Path> newLibraries) {
        return new ProbeOptions(pid, tid, uid, comm, maxPayload, newLibraries, includeSelf);
    }

    public ProbeOptions withIncludeSelf(boolean newIncludeSelf) {
        return new ProbeOptions(pid, tid, uid, comm, maxPayload, libraries, newIncludeSelf);
    }
}
