package io.bpfscope.bridge;

/** The kernel or the host lacks what a probe needs (a tracepoint, a library, a BPF feature). */
public class KernelFeatureMissingException extends BpfException {
    private static final long serialVersionUID = 1L;

    public KernelFeatureMissingException(String operation, String target, String advice, String details) {
        super(operation, target, 0, advice, details);
    }
}
