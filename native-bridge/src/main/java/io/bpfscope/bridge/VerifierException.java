package io.bpfscope.bridge;

/** The verifier rejected a program; {@link #verifierLog()} is what it said (the seed's {@code debug=12} habit). */
public class VerifierException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String program;
    private final String verifierLog;

    public VerifierException(String object, String program, int errno, String verifierLog, String details) {
        super("load", object + (program.isEmpty() ? "" : ":" + program), errno,
                "the verifier rejected " + (program.isEmpty() ? "a program" : "program " + program)
                        + "; its log says why (bpfscope shows it with --verbose)",
                details);
        this.program = program;
        this.verifierLog = verifierLog;
    }

    public String program() {
        return program;
    }

    public String verifierLog() {
        return verifierLog;
    }
}
