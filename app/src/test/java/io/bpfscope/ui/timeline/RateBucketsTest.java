package io.bpfscope.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The timeline's slices filled from a file index's blocks: every event counted, each where its block lies. */
class RateBucketsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void blocksSpreadTheirEventsOverTheirSpanAndNoneIsLost() {
        RateBuckets buckets = new RateBuckets();
        long start = 1_700_000_000L * SECOND;
        long events = 0;
        // 10 s of blocks, 2,000 events each, one every 10 ms: 200 events per ms... then a quiet second, then more
        for (int i = 0; i < 1000; i++) {
            buckets.addSpan("exec", start + i * 10_000_000L, start + i * 10_000_000L + 9_999_999L, 2_000);
            events += 2_000;
        }
        buckets.addSpan("exec", start + 11 * SECOND, start + 11 * SECOND, 1); // a block of one event
        events += 1;

        long counted = 0;
        for (int i = 0; i < buckets.used(); i++) {
            counted += buckets.count("exec", i);
        }
        assertThat(counted).isEqualTo(events);
        assertThat(buckets.used()).isLessThanOrEqualTo(RateBuckets.MAX_BUCKETS);
        // evenly 200,000 events/s over the first ten seconds, nothing in the quiet second
        int middle = (int) ((5 * SECOND) / buckets.widthNanos());
        assertThat(buckets.rate("exec", middle)).isCloseTo(200_000, org.assertj.core.data.Percentage.withPercentage(2));
        int quiet = (int) ((start + 10 * SECOND + SECOND / 2 - buckets.start(0)) / buckets.widthNanos());
        assertThat(buckets.count("exec", quiet)).isZero();
    }
}
