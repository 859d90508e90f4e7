package io.bpfscope.bridge.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link RequiresBpf} lets a test run exactly where {@link Privileges#bpfTestsCanRun()} says it can. */
class RequiresBpfTest {
    @Test
    @RequiresBpf
    void runsOnlyAsRoot() {
        assertThat(Privileges.isRoot()).as("a @RequiresBpf test ran without root").isTrue();
    }

    @Test
    void isTaggedBpf() {
        assertThat(RequiresBpf.class.getAnnotation(org.junit.jupiter.api.Tag.class).value()).isEqualTo("bpf");
    }
}
