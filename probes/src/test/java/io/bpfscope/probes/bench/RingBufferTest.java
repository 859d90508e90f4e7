package io.bpfscope.probes.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.bridge.ring.RingBuffer;
import io.bpfscope.bridge.sys.LibC;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.LoadedProbe;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeLoader;
import io.bpfscope.probes.ProbeOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mmap ring reader against a real kernel ring buffer, fed by the bench probe. */
@RequiresBpf
class RingBufferTest {
    private static final int PID = LibC.INSTANCE.getpid();
    private final BenchDecoder decoder = new BenchDecoder();

    @Test
    void deliversEveryRecordInOrder() throws Exception {
        try (RingBuffer ring = RingBuffer.create(4 << 20);
             LoadedProbe probe = ProbeLoader.load(BenchProbe.PROBE, ProbeOptions.defaults().withPid(PID), 3, ring)) {
            for (int burst = 0; burst < 10; burst++) {
                LibC.INSTANCE.getpgid(1000);
            }
            List<BenchEvent> events = drainAll(ring, 10_000);

            assertThat(events).hasSize(10_000);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).index()).isEqualTo(i % 1000);
                assertThat(events.get(i).header().pid()).isEqualTo(PID);
                assertThat(events.get(i).header().source()).isEqualTo(3);
            }
            assertThat(probe.lost()).isZero();
        }
    }

    @Test
    void readsRecordsThatWrapAroundTheEndOfTheRing() throws Exception {
        // Two pages of data: 64-byte records cross the end of the ring every 128 records.
        try (RingBuffer ring = RingBuffer.create(8192);
             LoadedProbe probe = ProbeLoader.load(BenchProbe.PROBE, ProbeOptions.defaults().withPid(PID), 1, ring)) {
            List<BenchEvent> events = new ArrayList<>();
            for (int burst = 0; burst < 200; burst++) {
                LibC.INSTANCE.getpgid(37); // 37 does not divide 128: the wrap point moves around
                events.addAll(drainAll(ring, 37));
            }

            assertThat(events).hasSize(200 * 37);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).index()).as("record %d", i).isEqualTo(i % 37);
            }
            assertThat(probe.lost()).isZero();
        }
    }

    @Test
    void countsWhatAFullRingDropsInsteadOfLosingItSilently() throws Exception {
        try (RingBuffer ring = RingBuffer.create(16384);
             LoadedProbe probe = ProbeLoader.load(BenchProbe.PROBE, ProbeOptions.defaults().withPid(PID), 1, ring)) {
            LibC.INSTANCE.getpgid(4000); // 4000 x 64 bytes cannot fit in 16 KiB while nobody reads
            List<BenchEvent> events = drainAll(ring, 4000);

            assertThat(probe.lost()).isPositive();
            assertThat(events.size() + probe.lost()).isEqualTo(4000);
        }
    }

    @Test
    void aBatchThatFillsUpLeavesTheRestForTheNextDrain() throws Exception {
        try (RingBuffer ring = RingBuffer.create(1 << 20);
             LoadedProbe probe = ProbeLoader.load(BenchProbe.PROBE, ProbeOptions.defaults().withPid(PID), 1, ring)) {
            LibC.INSTANCE.getpgid(100);
            RecordBatch small = new RecordBatch(56 * 10, 64);
            assertThat(ring.drain(small)).isEqualTo(10);
            assertThat(ring.pendingBytes()).isEqualTo(90 * 64L);
            assertThat(drainAll(ring, 90)).extracting(BenchEvent::index).startsWith(10L, 11L).endsWith(99L);
        }
    }

    private List<BenchEvent> drainAll(RingBuffer ring, int expected) throws Exception {
        List<BenchEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (events.size() < expected && System.nanoTime() < deadline) {
            RecordBatch batch = new RecordBatch(1 << 16, 1024);
            if (ring.drain(batch) == 0) {
                if (!ring.awaitData(20) && ring.pendingBytes() == 0 && !events.isEmpty()) {
                    break;
                }
                continue;
            }
            for (int i = 0; i < batch.count(); i++) {
                events.add(decoder.decode(ByteBuffer.wrap(batch.bytes()), batch.offset(i), batch.length(i)));
            }
        }
        return events;
    }
}
