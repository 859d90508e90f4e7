package io.bpfscope.probes;

/**
 * Where a probe whose records are made in user space (see {@link UserSpaceSource}) puts them: the
 * capture's stream, beside the ring buffer's records. Thread-safe; never blocks.
 */
public interface RecordSink {
    /**
     * Hands over one whole record (it starts with {@code struct event_header}); false when the
     * capture is behind or stopped and dropped it: the caller counts it as lost.
     */
    boolean offer(byte[] record);

    /** Something to tell the user later than the attach (a process that could not be traced). */
    void notice(String text);

    /** For loading outside a capture session: takes nothing. */
    RecordSink NONE = new RecordSink() {
        @Override
        public boolean offer(byte[] record) {
            return false;
        }

        @Override
        public void notice(String text) {
        }
    };
}
