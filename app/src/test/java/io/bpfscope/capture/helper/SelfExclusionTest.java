package io.bpfscope.capture.helper;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.StrangerProcess;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bpfscope does not trace itself: with exec, open, exit and tls attached through a real capture helper, the
 * window (this JVM: the helper's parent, as when the window runs as root), the helper, and the
 * processes either starts (the window's cat, the helper's ldconfig looking for TLS libraries) send
 * no event, while a stranger's exec and opens arrive; with include-self the window's own do.
 */
@Tag("bpf")
class SelfExclusionTest {
    private static final long WINDOW = ProcessHandle.current().pid();

    @TempDir
    Path dir;
    private StrangerProcess stranger;
    private Path strangerFile;
    private Path selfFile;

    @BeforeEach
    void startStranger() throws Exception {
        selfFile = Files.writeString(dir.resolve("self-marker"), "x");
        stranger = StrangerProcess.start(dir);
        strangerFile = stranger.marker();
    }

    @AfterEach
    void stopStranger() throws Exception {
        stranger.close();
    }

    @Test
    @RequiresBpf
    void theWindowTheHelperAndTheirChildrenAreLeftOutAndAStrangerIsNot() throws Exception {
        Captured captured = capture(ProbeOptions.defaults());

        assertThat(captured.events()).as("the stranger's exec and opens arrive")
                .anyMatch(opens(strangerFile)).anyMatch(execs(strangerFile));
        assertThat(captured.events()).as("events from bpfscope's own processes")
                .noneMatch(e -> captured.own().contains((long) e.event().header().pid()))
                .noneMatch(opens(selfFile))
                .noneMatch(execs(selfFile))
                .noneMatch(e -> captured.own().contains(number(e, "ppid")));
    }

    @Test
    @RequiresBpf
    void includeSelfTracesTheWindowAndItsChildren() throws Exception {
        Captured captured = capture(ProbeOptions.defaults().withIncludeSelf(true));

        assertThat(captured.events()).as("the window's own open and its child's exec")
                .anyMatch(opens(selfFile).and(e -> e.event().header().pid() == WINDOW))
                .anyMatch(execs(selfFile).and(e -> number(e, "ppid") == WINDOW))
                .anyMatch(e -> e.probe().equals("exit") && captured.own().contains((long) e.event().header().pid()))
                .anyMatch(opens(strangerFile));
    }

    /** What a capture caught, and bpfscope's pids during it: this JVM, the helper, the children we started. */
    private record Captured(List<DecodedRecord> events, Set<Long> own) {
    }

    /**
     * A live capture on a helper of its own, exec, open and tls attached with {@code options}, while this
     * window opens {@link #selfFile} and runs {@code cat} on it; until the stranger showed a few times.
     */
    private Captured capture(ProbeOptions options) throws Exception {
        List<DecodedRecord> events = new ArrayList<>();
        Set<Long> own = new java.util.HashSet<>(Set.of(WINDOW));
        try (HelperConnection helper = HelperConnection.spawn()) {
            own.add(helper.process().orElseThrow().pid());
            LiveCapture live = LiveCapture.start(helper, dir, EventStore.DEFAULT_MEMORY_BUDGET);
            try {
                live.attach(ProbeCatalog.find("exec").orElseThrow(), options);
                live.attach(ProbeCatalog.find("open").orElseThrow(), options);
                live.attach(ProbeCatalog.find("exit").orElseThrow(), options); // a child's end is its own too
                // The helper runs ldconfig and reads /proc/*/maps to find TLS libraries: its own noise.
                live.attach(ProbeCatalog.find("tls").orElseThrow(), options);
                long deadline = System.currentTimeMillis() + 15_000;
                while (System.currentTimeMillis() < deadline) {
                    Files.readAllBytes(selfFile);
                    Process cat = new ProcessBuilder("/bin/cat", selfFile.toString())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    own.add(cat.pid());
                    cat.waitFor();
                    Thread.sleep(100);
                    if (decode(live).stream().filter(opens(strangerFile)).count() >= 3) {
                        break;
                    }
                }
                Thread.sleep(300); // the last batch of the window's own work
                events.addAll(decode(live));
            } finally {
                live.close();
            }
        }
        return new Captured(events, own);
    }

    private static List<DecodedRecord> decode(LiveCapture live) throws Exception {
        RecordDecoder decoder = new RecordDecoder(live::header);
        List<DecodedRecord> events = new ArrayList<>();
        for (long seq = 1; seq <= live.store().size(); seq++) {
            events.add(decoder.decode(live.store().get(seq)));
        }
        return events;
    }

    private static Predicate<DecodedRecord> opens(Path file) {
        return e -> e.probe().equals("open") && file.toString().equals(e.event().field("path"));
    }

    private static Predicate<DecodedRecord> execs(Path file) {
        return e -> e.probe().equals("exec") && String.valueOf(e.event().field("argv")).contains(file.toString());
    }

    private static long number(DecodedRecord e, String field) {
        return e.event().field(field) instanceof Number n ? n.longValue() : -1;
    }
}
