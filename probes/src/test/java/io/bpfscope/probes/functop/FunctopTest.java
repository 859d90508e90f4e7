package io.bpfscope.probes.functop;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.probes.uprobe.TargetProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** functop attached for real to target.c, which calls bpfscope_fast and bpfscope_slow a known number of times. */
@Tag("bpf")
class FunctopTest {
    @TempDir
    static Path dir;
    static Path binary;

    @BeforeAll
    static void compile() throws Exception {
        binary = TargetProgram.compile(dir);
    }

    @Test
    @RequiresBpf
    void countsEveryCallOfTheMatchingFunctionsOfAProcess() throws Exception {
        try (TargetProgram target = TargetProgram.start(binary, 1000, 5)) {
            List<String> warnings = new ArrayList<>();
            List<FunctionTargets.Target> targets = FunctionTargets.inProcess(target.pid(),
                    Pattern.compile("^bpfscope_(fast|slow)$"), warnings::add);
            assertThat(targets).extracting(FunctionTargets.Target::symbol).containsExactly("bpfscope_fast", "bpfscope_slow");
            assertThat(targets.get(0).file()).isEqualTo(binary);

            try (Functop functop = Functop.attach(targets, target.pid(), warnings::add)) {
                assertThat(functop.read().values()).allMatch(s -> s.count() == 0);
                target.go();
                Map<FunctionTargets.Target, FunctionStats> stats = functop.read();
                FunctionStats fast = stats.get(targets.get(0));
                FunctionStats slow = stats.get(targets.get(1));

                assertThat(fast.count()).isEqualTo(1000);
                assertThat(slow.count()).isEqualTo(5);
                assertThat(slow.minNs()).isGreaterThanOrEqualTo(1_000_000L); // it sleeps 1 ms
                assertThat(slow.averageNs()).isBetween(slow.minNs(), slow.maxNs());
                assertThat(slow.quantileNs(0.99)).isBetween(slow.minNs(), slow.maxNs());
                assertThat(fast.quantileNs(0.5)).isLessThan(slow.minNs()); // not max: one call may be preempted
                assertThat(fast.averageNs()).isLessThan(slow.averageNs());
                assertThat(java.util.Arrays.stream(fast.slots()).sum()).isEqualTo(1000);
            }
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void findsTheFunctionsOfALibraryByPattern() throws Exception {
        List<FunctionTargets.Target> targets = FunctionTargets.inFile(binary, Pattern.compile("^bpfscope_"), w -> { });
        assertThat(targets).extracting(FunctionTargets.Target::symbol)
                .containsExactly("bpfscope_fast", "bpfscope_slow", "bpfscope_target");
        assertThat(targets).extracting(FunctionTargets.Target::id).containsExactly(0, 1, 2);
        assertThat(targets).allMatch(t -> t.offset() > 0);
    }

    @Test
    @RequiresBpf
    void isAvailableExactlyWhereTheKernelHasTheAttachCookie() {
        String[] version = System.getProperty("os.version").split("[.-]");
        boolean cookies = Integer.parseInt(version[0]) * 1000 + Integer.parseInt(version[1]) >= 5015;
        assertThat(Functop.availability().available()).isEqualTo(cookies);
        if (!cookies) {
            assertThat(Functop.availability().reason()).contains("5.15");
        }
    }
}
