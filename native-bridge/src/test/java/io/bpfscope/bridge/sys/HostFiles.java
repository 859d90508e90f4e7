package io.bpfscope.bridge.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this host a test reads (the kernel's BTF, libc, libssl). A test may
 * skip where the file truly is not, as on another distribution; never under
 * CI=true, whose machine is set up to have them: there a missing file fails
 * the test, as {@link Privileges#bpfTestsCanRun()} does for root.
 */
public final class HostFiles {
    private HostFiles() {
    }

    /** Skips the test when {@code file} does not exist, or fails it under CI=true. */
    public static void require(Path file, String why) {
        boolean exists = Files.exists(file);
        if ("true".equals(System.getenv("CI"))) {
            assertThat(exists).as("CI=true: %s is missing (%s)", file, why).isTrue();
        }
        assumeTrue(exists, file + " is missing: " + why);
    }
}
