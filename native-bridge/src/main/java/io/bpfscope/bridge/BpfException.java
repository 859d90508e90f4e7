package io.bpfscope.bridge;

import io.bpfscope.bridge.sys.Errno;

/**
 * A failed libbpf or kernel operation, said so a user can act on it:
 * {@code attach uprobe /usr/lib/x86_64-linux-gnu/libssl.so.3:SSL_write: EPERM (Operation not permitted) — run with sudo or grant CAP_BPF and CAP_PERFMON}.
 * {@link #details()} holds what a developer needs (libbpf's log, the verifier's log).
 */
public class BpfException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String target;
    private final int errno;
    private final String details;

    public BpfException(String operation, String target, int errno, String advice, String details) {
        super(message(operation, target, errno, advice));
        this.operation = operation;
        this.target = target;
        this.errno = Math.abs(errno);
        this.details = details == null ? "" : details;
    }

    /** An exception with the advice that fits the errno. */
    public static BpfException of(String operation, String target, int errno, String details) {
        int positive = Math.abs(errno);
        if (positive == Errno.ENOENT && operation.startsWith("attach tracepoint")) {
            return new KernelFeatureMissingException(operation, target,
                    "this kernel has no such tracepoint (see /sys/kernel/tracing/events)", details);
        }
        return new BpfException(operation, target, positive, adviceFor(operation, positive), details);
    }

    static String adviceFor(String operation, int errno) {
        switch (errno) {
            case Errno.EPERM:
            case Errno.EACCES:
                return operation.startsWith("load") && errno == Errno.EACCES
                        ? "the verifier rejected the program; its log is in the details"
                        : "run with sudo or grant CAP_BPF and CAP_PERFMON";
            case Errno.ENOENT:
                return "the attach point does not exist on this host";
            case Errno.E2BIG:
            case Errno.ENOMEM:
                return "not enough memory for BPF maps; try a smaller --buffer-size";
            case Errno.EINVAL:
                return "the kernel refused the arguments; the details say which";
            case Errno.ENOSYS:
            case Errno.EOPNOTSUPP:
            case Errno.ENOTSUPP:
                return "this kernel does not support it";
            case Errno.EBUSY:
                return "another tool holds this attach point; stop it and retry";
            default:
                return "see the log for details";
        }
    }

    private static String message(String operation, String target, int errno, String advice) {
        StringBuilder message = new StringBuilder(operation);
        if (target != null && !target.isEmpty()) {
            message.append(' ').append(target);
        }
        if (errno != 0) {
            message.append(": ").append(Errno.describe(errno));
        }
        if (advice != null && !advice.isEmpty()) {
            message.append(errno != 0 ? " — " : ": ").append(advice);
        }
        return message.toString();
    }

    public String operation() {
        return operation;
    }

    public String target() {
        return target;
    }

    /** The positive errno, or 0 when the failure had none. */
    public int errno() {
        return errno;
    }

    /** What libbpf and the verifier printed while the operation ran; may be empty. */
    public String details() {
        return details;
    }
}
