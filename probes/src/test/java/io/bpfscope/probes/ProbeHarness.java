package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.bridge.ring.RingBuffer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Loads one probe for real into its own ring buffer and collects its decoded
 * events, for tests marked {@code @RequiresBpf}. Not thread-safe.
 */
public final class ProbeHarness implements AutoCloseable {
    private final RingBuffer ring;
    private final LoadedProbe loaded;
    private final List<DecodedEvent> seen = new ArrayList<>();

    private ProbeHarness(RingBuffer ring, LoadedProbe loaded) {
        this.ring = ring;
        this.loaded = loaded;
    }

    public static ProbeHarness attach(Probe probe, ProbeOptions options) throws BpfException {
        RingBuffer ring = RingBuffer.create(8 << 20);
        try {
            return new ProbeHarness(ring, ProbeLoader.load(probe, options, 7, ring));
        } catch (io.bpfscope.bridge.VerifierException e) {
            ring.close();
            // The verifier's reason is at the end of its log: show it in the test report.
            String log = e.verifierLog();
            throw new AssertionError(e.getMessage() + "\n" + log.substring(Math.max(0, log.length() - 3000)), e);
        } catch (BpfException | RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    public LoadedProbe loaded() {
        return loaded;
    }

    /**
     * Reads events until {@code count} of them match or the time is up; returns
     * the matching ones (possibly fewer). Every event read is kept in {@link #seen()}.
     */
    public <T extends DecodedEvent> List<T> await(Class<T> type, Predicate<T> match, int count, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> matched = new ArrayList<>();
        for (DecodedEvent e : seen) {
            if (type.isInstance(e) && match.test(type.cast(e))) {
                matched.add(type.cast(e));
            }
        }
        while (matched.size() < count && System.nanoTime() < deadline) {
            RecordBatch batch = new RecordBatch(1 << 20, 4096);
            if (ring.drain(batch) == 0) {
                ring.awaitData(20);
                continue;
            }
            for (int i = 0; i < batch.count(); i++) {
                DecodedEvent event = loaded.probe().decoder().decode(ByteBuffer.wrap(batch.bytes()), batch.offset(i), batch.length(i));
                seen.add(event);
                if (type.isInstance(event) && match.test(type.cast(event))) {
                    matched.add(type.cast(event));
                }
            }
        }
        return matched;
    }

    public List<DecodedEvent> seen() {
        return seen;
    }

    @Override
    public void close() {
        loaded.close();
        ring.close();
    }
}
