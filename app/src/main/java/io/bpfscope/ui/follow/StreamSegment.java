package io.bpfscope.ui.follow;

import io.bpfscope.capture.store.Conversations;

/**
 * One event of a followed conversation: which way it went, a header line,
 * and the bytes it carried (possibly cut by the probe's limit). Immutable.
 */
public record StreamSegment(long seq, Conversations.Side side, String heading, byte[] bytes, long originalLength) {
    public boolean truncated() {
        return bytes.length < originalLength;
    }
}
