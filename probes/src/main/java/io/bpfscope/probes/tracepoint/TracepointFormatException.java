package io.bpfscope.probes.tracepoint;

/** A tracepoint format file that does not read as one: which tracepoint, which line, what was expected. */
public final class TracepointFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public TracepointFormatException(String tracepoint, int line, String expected, String found) {
        super("format of tracepoint " + tracepoint + ", line " + line + ": expected " + expected + ", found " + found);
    }
}
