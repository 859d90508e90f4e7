package io.bpfscope.probes;

/**
 * The running part of a probe whose records do not come from BPF but from user space (jsse: agents
 * in JVMs): started by {@link Probe#startUserSpace}, closed with its {@link LoadedProbe}. Its counts
 * stand where a BPF probe's counters map would. Thread-safe.
 */
public interface UserSpaceSource extends AutoCloseable {
    /** Records dropped before they reached the capture (a full queue on either side). */
    long lost();

    /** Records whose payload was cut at the limit. */
    long truncated();

    /** Stops producing and undoes what was set up; nothing is handed to the sink afterwards. Idempotent. */
    @Override
    void close();
}
