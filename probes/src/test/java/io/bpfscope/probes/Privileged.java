package io.bpfscope.probes;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpfscope.bridge.sys.Privileges;

/**
 * For tests that load BPF. They skip only where they truly cannot run (not
 * root) and never under CI=true: there, not being root is a failure.
 */
public final class Privileged {
    private Privileged() {
    }

    public static void requireBpf() {
        assumeTrue(Privileges.bpfTestsCanRun(), "loading BPF needs root");
    }
}
