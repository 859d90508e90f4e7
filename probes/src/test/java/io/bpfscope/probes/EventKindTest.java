package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.btf.Btf;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** EventKind mirrors event_header.h's enum event_kind: checked against each compiled object's BTF. */
class EventKindTest {
    static Stream<Probe> probes() {
        return Stream.concat(ProbeCatalog.all().stream(), ProbeCatalog.internal("bench").stream());
    }

    /** The probes with a compiled object (jsse loads none: its records are made in user space). */
    static Stream<Probe> bpfProbes() {
        return probes().filter(probe -> !probe.userSpace());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bpfProbes")
    void everyKindHasItsValueInTheObject(Probe probe) throws Exception {
        Btf btf = Btf.fromElf(ElfFile.parse(probe.objectBytes(), probe.objectName()));
        for (Map.Entry<String, Integer> kind : EventKind.byEnumerator().entrySet()) {
            assertThat(btf.enumValue(kind.getKey())).as("%s in %s", kind.getKey(), probe.objectName())
                    .contains(kind.getValue());
        }
    }

    /**
     * Each object sends one kind, named after it: EVENT_EXEC for exec.bpf.o. The shared kinds are in
     * event_header.h's enum; a newer probe may keep its kind in its own header (an enum of its own,
     * e.g. signal.h's), so adding it edits none of the shared files. Either way its BTF has it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bpfProbes")
    void theProbeSaysTheKindItsObjectSends(Probe probe) throws Exception {
        String enumerator = "EVENT_" + probe.objectName().replace(".bpf.o", "").toUpperCase(java.util.Locale.ROOT);
        Btf btf = Btf.fromElf(ElfFile.parse(probe.objectBytes(), probe.objectName()));
        assertThat(btf.enumValue(enumerator)).as("%s in %s", enumerator, probe.objectName()).contains(probe.kind());
        if (EventKind.byEnumerator().containsKey(enumerator)) {
            assertThat(EventKind.byEnumerator()).containsEntry(enumerator, probe.kind());
        }
    }

    @org.junit.jupiter.api.Test
    void noTwoProbesShareAKind() {
        assertThat(probes().map(Probe::kind)).doesNotHaveDuplicates();
    }

    @org.junit.jupiter.api.Test
    void everyKindIsListedOnce() {
        assertThat(EventKind.byEnumerator()).containsEntry("EVENT_EXEC", 1).containsEntry("EVENT_BENCH", 15);
        assertThat(EventKind.byEnumerator().values()).allMatch(kind -> kind > 0 && kind < 64).doesNotHaveDuplicates();
    }
}
