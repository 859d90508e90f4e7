package io.bpfscope.probes;

/** A record that does not fit its probe's layout (a damaged file, or a probe from another version). */
public class MalformedEventException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }

    public static void requireLength(EventLayout layout, int length, int needed) throws MalformedEventException {
        if (length < needed) {
            throw new MalformedEventException(layout.struct() + " record of " + length + " bytes, expected at least " + needed);
        }
    }
}
