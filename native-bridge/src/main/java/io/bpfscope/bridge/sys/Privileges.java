package io.bpfscope.bridge.sys;

/** Who we run as, and what that allows. Thread-safe. */
public final class Privileges {
    private Privileges() {
    }

    public static boolean isRoot() {
        return LibC.INSTANCE.geteuid() == 0;
    }

    /**
     * For tests that load BPF: true when they can run here. They may skip only
     * where they truly cannot (not root) and never under CI=true, where not
     * being root is an error: this throws instead of answering false.
     */
    public static boolean bpfTestsCanRun() {
        boolean root = isRoot();
        if (!root && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true: BPF tests must run as root, and this is not root");
        }
        return root;
    }
}
