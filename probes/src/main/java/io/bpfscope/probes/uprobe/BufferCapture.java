package io.bpfscope.probes.uprobe;

/**
 * Which user buffer a uprobe copies as the event's payload: the one argument
 * {@code pointerArg} (0..5, as the fields {@code arg0..arg5} count) points to,
 * as long as argument {@code lengthArg} says, or the return value
 * ({@link #LENGTH_FROM_RETURN}, for a uretprobe on a read()-like function),
 * or {@code fixedLength} bytes ({@code lengthArg} is {@link #NO_ARG}). At most
 * the probe's payload limit is copied. Immutable.
 */
public record BufferCapture(int pointerArg, int lengthArg, long fixedLength) {
    public static final int NO_ARG = -1;
    /** The length is the return value: only a uretprobe knows it. */
    public static final int LENGTH_FROM_RETURN = 6;
    public static final BufferCapture NONE = new BufferCapture(NO_ARG, NO_ARG, 0);

    public BufferCapture {
        if (pointerArg < NO_ARG || pointerArg > 5) {
            throw new IllegalArgumentException("the buffer argument must be 0 to 5, not " + pointerArg);
        }
        if (lengthArg < NO_ARG || lengthArg > LENGTH_FROM_RETURN) {
            throw new IllegalArgumentException("the length argument must be 0 to 5 or the return value, not " + lengthArg);
        }
        if (fixedLength < 0 || fixedLength > 0xffff_ffffL) {
            throw new IllegalArgumentException("the buffer length must be 0 to 4G, not " + fixedLength);
        }
        if (pointerArg != NO_ARG && lengthArg == NO_ARG && fixedLength == 0) {
            throw new IllegalArgumentException("a buffer needs a length: from an argument, the return value or a fixed size");
        }
        if (pointerArg == NO_ARG && (lengthArg != NO_ARG || fixedLength != 0)) {
            throw new IllegalArgumentException("a buffer length needs the argument that points to the buffer");
        }
    }

    /** The buffer argument {@code pointer} points to, {@code length} bytes long as argument {@code lengthArg} says. */
    public static BufferCapture lengthFromArg(int pointer, int lengthArg) {
        return new BufferCapture(pointer, lengthArg, 0);
    }

    /** {@code length} bytes at where argument {@code pointer} points. */
    public static BufferCapture fixed(int pointer, long length) {
        return new BufferCapture(pointer, NO_ARG, length);
    }

    /** The buffer argument {@code pointer} points to, as long as the function's return value (uretprobe only). */
    public static BufferCapture lengthFromReturn(int pointer) {
        return new BufferCapture(pointer, LENGTH_FROM_RETURN, 0);
    }

    public boolean enabled() {
        return pointerArg != NO_ARG;
    }

    /** uprobe.bpf.c's buffer_arg: 1..6, 0 for none. */
    int bufferArgConstant() {
        return pointerArg + 1;
    }

    /** uprobe.bpf.c's length_arg: 1..6, UPROBE_LENGTH_RETURN (7) or UPROBE_LENGTH_FIXED (0). */
    int lengthArgConstant() {
        return lengthArg + 1;
    }

    /** {@code arg1, length arg2}, for descriptions. */
    @Override
    public String toString() {
        if (!enabled()) {
            return "no buffer";
        }
        String length = lengthArg == LENGTH_FROM_RETURN ? "the return value"
                : lengthArg == NO_ARG ? fixedLength + " bytes" : "arg" + lengthArg;
        return "buffer at arg" + pointerArg + ", length " + length;
    }

    /** As text, for {@code Probe.parameters()}: empty for {@link #NONE}. */
    public java.util.Map<String, String> toParameters() {
        if (this.equals(NONE)) {
            return java.util.Map.of();
        }
        return java.util.Map.of("buffer_arg", Integer.toString(pointerArg), "length_arg", Integer.toString(lengthArg),
                "fixed_length", Long.toString(fixedLength));
    }

    /**
     * From {@link #toParameters()}'s text, checked as the constructor checks.
     *
     * @throws IllegalArgumentException when a value is missing, not a number or out of range
     */
    public static BufferCapture fromParameters(java.util.Map<String, String> parameters) {
        if (parameters == null || parameters.isEmpty()) {
            return NONE;
        }
        try {
            return new BufferCapture(Integer.parseInt(parameters.getOrDefault("buffer_arg", "-1")),
                    Integer.parseInt(parameters.getOrDefault("length_arg", "-1")),
                    Long.parseLong(parameters.getOrDefault("fixed_length", "0")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a buffer's argument numbers and length are whole numbers");
        }
    }
}
