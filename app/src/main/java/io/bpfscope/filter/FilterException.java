package io.bpfscope.filter;

/**
 * A filter that does not compile: one line that names the column (1-based,
 * in characters of the filter text) and what was expected there, e.g.
 * {@code column 9: expected a value after '==', found the end of the filter}.
 * {@link #column()} lets an editor place its marker.
 */
public final class FilterException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int column;
    private final String reason;

    FilterException(int column, String reason) {
        super("column " + column + ": " + reason);
        this.column = column;
        this.reason = reason;
    }

    /** Where the problem is: 1 for the first character, text length + 1 for the end of the filter. */
    public int column() {
        return column;
    }

    /** The message without its {@code column N: } prefix. */
    public String reason() {
        return reason;
    }
}
