package io.bpfscope.cli;

/** What bpfscope exits with; README lists them. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad input: a file that cannot be read or written, a damaged capture, a bad filter. */
    public static final int INPUT = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Nothing could be attached: no privileges, no libbpf, no probe available. */
    public static final int PROBES = 3;
    /** The capture was read, but it was cut or damaged: what was complete was used. */
    public static final int PARTIAL = 4;
    /** An internal error; the log has the details. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
