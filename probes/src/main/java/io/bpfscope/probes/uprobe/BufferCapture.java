package io.bpfscope.probes.uprobe;

/**
 * Which user buffer a uprobe copies as the event's payload: the one argument
 * {@code pointerArg} (1..6) points to, as long as argument {@code lengthArg}
 * says, or the return value ({@link #LENGTH_FROM_RETURN}, for a uretprobe on a
 * read()-like function), or {@code fixedLength} bytes. Immutable.
 */
public record BufferCapture(int pointerArg, int lengthArg, long fixedLength) {
    /** As UPROBE_LENGTH_RETURN in uprobe.h. */
    public static final int LENGTH_FROM_RETURN = 7;
    public static final BufferCapture NONE = new BufferCapture(0, 0, 0);

    public BufferCapture {
        if (pointerArg < 0 || pointerArg > 6) {
            throw new IllegalArgumentException("the buffer argument must be 1 to 6, not " + pointerArg);
        }
        if (lengthArg < 0 || lengthArg > 7) {
            throw new IllegalArgumentException("the length argument must be 1 to 6 or the return value, not " + lengthArg);
        }
        if (fixedLength < 0 || fixedLength > 0xffff_ffffL) {
            throw new IllegalArgumentException("the buffer length must be 0 to 4G, not " + fixedLength);
        }
        if (pointerArg != 0 && lengthArg == 0 && fixedLength == 0) {
            throw new IllegalArgumentException("a buffer needs a length: from an argument or a fixed size");
        }
    }

    public boolean enabled() {
        return pointerArg != 0;
    }
}
