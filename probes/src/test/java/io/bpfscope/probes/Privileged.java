package io.bpfscope.probes;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpfscope.bridge.sys.LibC;

/**
 * For tests that load BPF. They skip only where they truly cannot run (not
 * root) and never under CI=true: there, not being root is a failure.
 */
public final class Privileged {
    private Privileged() {
    }

    public static void requireBpf() {
        boolean root = LibC.INSTANCE.geteuid() == 0;
        if ("true".equals(System.getenv("CI"))) {
            if (!root) {
                throw new AssertionError("CI=true: BPF tests must run as root, and this is not root");
            }
            return;
        }
        assumeTrue(root, "loading BPF needs root");
    }
}
