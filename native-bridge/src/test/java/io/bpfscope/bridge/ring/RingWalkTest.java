package io.bpfscope.bridge.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring reader's walk over a fake in-memory ring: no root, no kernel. */
class RingWalkTest {
    private static final int SIZE = 256;

    private final FakeRing ring = new FakeRing(SIZE);
    private final RingWalk walk = ring.walk();

    @Test
    void anEmptyRingGivesNothingAndKeepsThePosition() {
        ring.startingAt(64);
        RecordBatch batch = new RecordBatch(1024, 16);

        assertThat(walk.drain(batch)).isZero();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(ring.consumer()).isEqualTo(64);
        assertThat(walk.pendingBytes()).isZero();
    }

    @Test
    void readsRecordsInOrderAndStepsOverTheirPaddingToEightBytes() {
        ring.write(bytes("a"));          // 8 + 1 -> 16
        ring.write(bytes("1234567"));    // 8 + 7 -> 16
        ring.write(bytes("12345678"));   // 8 + 8 -> 16
        ring.write(bytes("thirteen....")); // 8 + 12 -> 24
        assertThat(walk.pendingBytes()).isEqualTo(72);

        RecordBatch batch = new RecordBatch(1024, 16);
        assertThat(walk.drain(batch)).isEqualTo(4);

        assertThat(texts(batch)).containsExactly("a", "1234567", "12345678", "thirteen....");
        assertThat(ring.consumer()).isEqualTo(72).isEqualTo(ring.producer());
        assertThat(walk.pendingBytes()).isZero();
    }

    @Test
    void skipsDiscardedRecordsWithoutCountingThem() {
        ring.write(bytes("kept-1"));
        long dropped = ring.reserve(bytes("dropped"));
        ring.discard(dropped);
        ring.write(bytes("kept-2"));

        RecordBatch batch = new RecordBatch(1024, 16);
        int copied = walk.drain(batch);

        assertThat(copied).isEqualTo(2);
        assertThat(batch.count()).isEqualTo(2);
        assertThat(texts(batch)).containsExactly("kept-1", "kept-2");
        assertThat(ring.consumer()).as("the discarded record's space is handed back too").isEqualTo(ring.producer());
    }

    @Test
    void aRingOfOnlyDiscardedRecordsGivesNothingButFreesTheSpace() {
        ring.discard(ring.reserve(bytes("x")));
        ring.discard(ring.reserve(bytes("yy")));

        RecordBatch batch = new RecordBatch(1024, 16);
        assertThat(walk.drain(batch)).isZero();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(ring.consumer()).isEqualTo(32);
    }

    @Test
    void stopsAtABusyRecordAndKeepsTheOrderUntilItIsCommitted() {
        ring.write(bytes("first"));
        long busy = ring.reserve(bytes("second"));
        ring.write(bytes("third")); // committed, but behind a busy one

        RecordBatch batch = new RecordBatch(1024, 16);
        assertThat(walk.drain(batch)).isEqualTo(1);
        assertThat(texts(batch)).containsExactly("first");
        assertThat(ring.consumer()).as("stops at the busy record").isEqualTo(busy);

        RecordBatch again = new RecordBatch(1024, 16);
        assertThat(walk.drain(again)).as("still busy").isZero();
        assertThat(ring.consumer()).isEqualTo(busy);

        ring.commit(busy);
        RecordBatch after = new RecordBatch(1024, 16);
        assertThat(walk.drain(after)).isEqualTo(2);
        assertThat(texts(after)).containsExactly("second", "third");
        assertThat(ring.consumer()).isEqualTo(ring.producer());
    }

    @Test
    void aBusyRecordThatIsThenDiscardedIsSkipped() {
        long busy = ring.reserve(bytes("maybe"));
        ring.write(bytes("after"));
        assertThat(walk.drain(new RecordBatch(1024, 16))).isZero();

        ring.discard(busy);
        RecordBatch batch = new RecordBatch(1024, 16);
        assertThat(walk.drain(batch)).isEqualTo(1);
        assertThat(texts(batch)).containsExactly("after");
    }

    @Test
    void readsARecordThatWrapsAroundTheEndOfTheDataArea() {
        ring.startingAt(SIZE - 16); // the header fits before the end, the payload runs over it
        String payload = "0123456789abcdefghijklmnopqrstuv"; // 32 bytes: 8 before the end, 24 after
        ring.write(bytes(payload));
        ring.write(bytes("next"));

        RecordBatch batch = new RecordBatch(1024, 16);
        assertThat(walk.drain(batch)).isEqualTo(2);

        assertThat(texts(batch)).containsExactly(payload, "next");
        assertThat(ring.consumer()).isEqualTo(SIZE - 16 + 40 + 16).isEqualTo(ring.producer());
    }

    @Test
    void positionsKeepGrowingPastTheSizeAndAreMaskedIntoTheArea() {
        List<String> read = new ArrayList<>();
        for (int round = 0; round < 50; round++) { // 50 x 3 x 24 bytes: the ring wraps 14 times
            ring.write(bytes("round " + round + "a"));
            ring.write(bytes("round " + round + "b"));
            ring.write(bytes("round " + round + "c"));
            RecordBatch batch = new RecordBatch(1024, 16);
            walk.drain(batch);
            read.addAll(texts(batch));
        }

        assertThat(read).hasSize(150);
        assertThat(read.get(0)).isEqualTo("round 0a");
        assertThat(read.get(149)).isEqualTo("round 49c");
        assertThat(ring.consumer()).isGreaterThan(10L * SIZE).isEqualTo(ring.producer());
    }

    @Test
    void aFullBatchLeavesTheRestInTheRingForTheNext() {
        ring.write(bytes("one"));
        ring.write(bytes("two"));
        ring.write(bytes("three"));

        RecordBatch small = new RecordBatch(1024, 2);
        assertThat(walk.drain(small)).isEqualTo(2);
        assertThat(texts(small)).containsExactly("one", "two");
        assertThat(ring.consumer()).isEqualTo(32);
        assertThat(walk.pendingBytes()).isEqualTo(16);

        RecordBatch next = new RecordBatch(1024, 2);
        assertThat(walk.drain(next)).isEqualTo(1);
        assertThat(texts(next)).containsExactly("three");
    }

    @Test
    void aBatchOutOfBytesStopsBeforeTheRecordThatDoesNotFit() {
        ring.write(bytes("abcdef"));
        ring.write(bytes("ghijkl"));

        RecordBatch batch = new RecordBatch(8, 16);
        assertThat(walk.drain(batch)).isEqualTo(1);
        assertThat(texts(batch)).containsExactly("abcdef");
        assertThat(ring.consumer()).isEqualTo(16);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> texts(RecordBatch batch) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < batch.count(); i++) {
            texts.add(new String(batch.record(i), StandardCharsets.US_ASCII));
        }
        return texts;
    }
}
