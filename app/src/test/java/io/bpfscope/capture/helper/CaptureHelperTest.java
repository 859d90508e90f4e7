package io.bpfscope.capture.helper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.helper.LiveCapture;
import io.bpfscope.capture.store.EventStore;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The window's side of the privilege split against a real helper process (bpfscope helper, as root). */
@Tag("bpf")
class CaptureHelperTest {
    @TempDir
    Path dir;

    /**
     * A tracepoint that fires thousands of times a second, attached while it fires: its very first
     * record must decode, because the helper declares the probe (PROBE block) before attaching it.
     */
    @Test
    @RequiresBpf
    void aTracepointAttachedLiveDecodesFromItsFirstRecord() throws Exception {
        Path copy = dir.resolve("copy.bscap");
        withLiveCapture((helper, live) -> {
            LiveCapture.AttachedProbe syscalls = live.attach(
                    ProbeCatalog.find("tracepoint:raw_syscalls:sys_enter").orElseThrow(), ProbeOptions.defaults());
            LiveCapture.AttachedProbe exec = live.attach(ProbeCatalog.find("exec").orElseThrow(), ProbeOptions.defaults());
            assertThat(syscalls.source()).isNotEqualTo(exec.source());
            new ProcessBuilder("/bin/true").start().waitFor();
            long deadline = System.currentTimeMillis() + 10_000;
            while (live.store().size() < 1000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            live.detach(syscalls);
            Files.copy(live.file(), copy);
        });
        assertEveryRecordDecodes(copy);
    }

    @Test
    @RequiresBpf
    void aProbeThatCannotAttachIsRefusedWithTheReasonAndTheCaptureGoesOn() throws Exception {
        withLiveCapture((helper, live) -> {
            assertThatThrownBy(() -> live.attach(ProbeCatalog.find("uprobe:/bin/true:no_such_function_here").orElseThrow(),
                    ProbeOptions.defaults()))
                    .isInstanceOf(BpfException.class).hasMessageContaining("no_such_function_here");
            // Our /bin/true is the window's child, which bpfscope leaves out unless told otherwise.
            live.attach(ProbeCatalog.find("exec").orElseThrow(), ProbeOptions.defaults().withIncludeSelf(true));
            long deadline = System.currentTimeMillis() + 10_000;
            while (live.store().size() == 0 && System.currentTimeMillis() < deadline) {
                new ProcessBuilder("/bin/true").start().waitFor();
                Thread.sleep(100);
            }
            assertThat(live.store().size()).isPositive();
            assertThat(live.failure()).isNull();
        });
    }

    @Test
    @RequiresBpf
    void theWindowIsToldWhenTheHelperDies() throws Exception {
        withLiveCapture((helper, live) -> {
            live.attach(ProbeCatalog.find("exec").orElseThrow(), ProbeOptions.defaults());
            assertThat(live.failure()).isNull();
            helper.process().orElseThrow().destroyForcibly().waitFor();
            long deadline = System.currentTimeMillis() + 10_000;
            while (live.failure() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(live.failure()).isNotNull().hasMessageContaining("capture helper has stopped");
            assertThatThrownBy(() -> live.attach(ProbeCatalog.find("open").orElseThrow(), ProbeOptions.defaults()))
                    .hasMessageContaining("capture helper has stopped");
        });
    }

    /** The helper parses nothing but its commands, and answers nonsense with an error instead of dying. */
    @Test
    @RequiresBpf("the helper runs as root")
    void malformedCommandsAreAnsweredAndChangeNothing() throws Exception {
        Process helper = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.bpfscope.Main", "helper").start();
        try {
            OutputStream commands = helper.getOutputStream();
            String lines = "{\"op\":\"start\",\"id\":1}\n"
                    + "not json at all\n"
                    + "{\"op\":\"format-disk\",\"id\":2}\n"
                    + "{\"op\":\"attach\",\"id\":3,\"probe\":\"exec\"}\n"
                    + "{\"op\":\"attach\",\"id\":4,\"probe\":\"tls\",\"options\":{\"pid\":0,\"tid\":0,\"uid\":-1,\"comm\":\"\","
                    + "\"maxPayload\":100,\"libraries\":[\"relative/libssl.so\"]}}\n"
                    + "{\"op\":\"attach\",\"id\":5,\"probe\":\"uprobe:/bin/true:main\",\"parameters\":{\"buffer_arg\":\"9\","
                    + "\"fixed_length\":\"16\"},\"options\":{\"pid\":0,\"tid\":0,\"uid\":-1,\"comm\":\"\","
                    + "\"maxPayload\":100,\"libraries\":[]}}\n"
                    + "{\"op\":\"detach\",\"id\":6,\"source\":42}\n"
                    + "x".repeat(HelperProtocol.MAX_LINE + 10) + "\n"
                    + "{\"op\":\"stop\",\"id\":7}\n";
            commands.write(lines.getBytes(StandardCharsets.UTF_8));
            commands.flush();
            List<HelperProtocol.Reply> replies = new java.util.ArrayList<>();
            try (InputStream stream = helper.getInputStream(); CaptureReader reader = CaptureReader.open(stream, "helper")) {
                reader.setOtherBlockListener((type, payload) -> replies.add(HelperProtocol.Reply.parse(payload)));
                while (reader.next() != null) {
                    // no probe was attached: no records
                }
                assertThat(reader.complete()).as("the stream ends with END after stop").isTrue();
            }
            assertThat(replies).extracting(HelperProtocol.Reply::id).containsExactly(1L, 0L, 2L, 3L, 4L, 5L, 6L, 0L);
            assertThat(replies.get(0).ok()).isTrue();
            assertThat(replies.subList(1, replies.size())).allSatisfy(r -> assertThat(r.ok()).isFalse());
            assertThat(replies.get(4).error()).contains("absolute");
            assertThat(replies.get(5).error()).contains("0 to 5");
            commands.close();
            assertThat(helper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(helper.exitValue()).isZero();
        } finally {
            helper.destroyForcibly();
        }
    }

    /** What a test does with a live capture on a helper of its own. */
    private interface LiveBody {
        void run(HelperConnection helper, LiveCapture live) throws Exception;
    }

    /** Spawns a helper, starts a live capture on it, runs {@code body}, and closes both. */
    private void withLiveCapture(LiveBody body) throws Exception {
        try (HelperConnection helper = HelperConnection.spawn()) {
            LiveCapture live = LiveCapture.start(helper, dir, EventStore.DEFAULT_MEMORY_BUDGET);
            try {
                body.run(helper, live);
            } finally {
                live.close();
            }
        }
    }

    private static void assertEveryRecordDecodes(Path file) throws Exception {
        long records = 0;
        try (CaptureReader reader = CaptureReader.open(file)) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                records++;
                try {
                    decoder.decode(record);
                } catch (MalformedEventException e) {
                    throw new AssertionError("record " + record.seq() + " (" + decoder.probeName(record) + ") does not decode: "
                            + e.getMessage());
                }
            }
        }
        assertThat(records).isGreaterThan(100);
    }
}
