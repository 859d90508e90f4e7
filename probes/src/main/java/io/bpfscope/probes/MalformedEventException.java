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

    /**
     * Requires {@code variable} bytes (a length read from the record itself) after the
     * {@code fixed} part of a {@code length}-byte record. Checked in subtraction form, so a
     * hostile length near 2^31 cannot overflow past the check.
     */
    public static void requireRoom(EventLayout layout, int length, int fixed, long variable) throws MalformedEventException {
        if (variable < 0 || length < fixed || variable > length - fixed) {
            throw new MalformedEventException(layout.struct() + " record of " + length + " bytes, expected "
                    + fixed + " and " + variable + " more");
        }
    }
}
