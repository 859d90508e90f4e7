package io.bpfscope.cli;

/** A failure to report as one line, with the exit code to leave with. */
public final class UserError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
