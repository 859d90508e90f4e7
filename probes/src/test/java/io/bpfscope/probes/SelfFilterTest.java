package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.Await;
import io.bpfscope.bridge.sys.RequiresBpf;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The map every probe looks up: bpfscope's processes, their children as they fork, none once they are gone. */
@RequiresBpf
class SelfFilterTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void holdsItsRootsAndTheirChildrenWhileTheyLiveAndNoStranger() throws Exception {
        Process before = new ProcessBuilder("/bin/sleep", "30").start(); // started before the filter: found by the walk
        try (SelfFilter filter = SelfFilter.start(List.of(SELF))) {
            Process after = new ProcessBuilder("/bin/sh", "-c", "read line").start(); // forked later: the tracker adds it
            assertThat(filter.excludes(SELF)).isTrue();
            assertThat(filter.excludes(before.pid())).isTrue();
            assertThat(filter.excludes(after.pid())).isTrue();
            assertThat(filter.excludes(1)).as("init is no child of ours").isFalse();

            after.getOutputStream().close();
            after.waitFor(); // reaped: freed soon after (an RCU grace period)
            Await.until("the child that ended to leave the map", Duration.ofSeconds(5), () -> !excludes(filter, after.pid()));
            assertThat(filter.excludes(before.pid())).as("a living child stays").isTrue();
        } finally {
            before.destroy();
        }
    }

    private static boolean excludes(SelfFilter filter, long tgid) {
        try {
            return filter.excludes(tgid);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
