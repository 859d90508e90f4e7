package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.Main;
import io.bpfscope.bridge.sys.RequiresBpf;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.store.CaptureSummary;
import io.bpfscope.sql.CaptureDatabase;
import io.bpfscope.sql.ProbeTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture recorded here with a tracepoint, a uretprobe and exec: each gets its table (the
 * tracepoint's columns from the format the capture stored), and SQL's counts equal info's.
 */
@Tag("bpf")
class SqlRealCaptureTest {
    @TempDir
    Path dir;

    @Test
    @RequiresBpf
    void tracepointAndUprobeTablesHaveTheirFieldsAndCounts() throws Exception {
        Path capture = dir.resolve("tp.bscap");
        String uretprobe = "uretprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:getaddrinfo";
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            java.util.concurrent.CompletableFuture<Integer> recording = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    Main.run("record", "--include-self", "-p", "tracepoint:sched:sched_process_fork", "-p", uretprobe, "-p", "exec",
                            "--duration", "4s", "-o", capture.toString()));
            io.bpfscope.bridge.Await.until("record to say it is recording", java.time.Duration.ofSeconds(30),
                    () -> stderr.toString(java.nio.charset.StandardCharsets.UTF_8).contains("recording") || recording.isDone());
            for (int i = 0; i < 5; i++) {
                new ProcessBuilder("/usr/bin/getent", "ahosts", "localhost").start().waitFor();
            }
            assertThat(recording.get()).as(stderr.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
        } finally {
            System.setErr(original);
        }

        CaptureSummary summary;
        try (CaptureReader reader = CaptureReader.open(capture)) {
            summary = CaptureSummary.read(reader);
        }
        try (CaptureDatabase database = CaptureDatabase.open()) {
            database.load(List.of(io.bpfscope.capture.file.CaptureSource.of(capture.toString(), false)), r -> true, () -> false);
            Map<String, Long> perProbe = new TreeMap<>();
            for (ProbeTable table : database.tables()) {
                perProbe.put(table.probe(), database.count(table.name()));
            }
            assertThat(perProbe).isEqualTo(new TreeMap<>(summary.eventsPerProbe()));
            ProbeTable fork = database.tables().stream().filter(t -> t.probe().startsWith("tracepoint:")).findFirst().orElseThrow();
            assertThat(fork.name()).isEqualTo("tracepoint_sched_sched_process_fork");
            assertThat(fork.fields()).contains(new ProbeTable.Column("parent_pid", ProbeTable.SqlType.BIGINT),
                    new ProbeTable.Column("child_comm", ProbeTable.SqlType.VARCHAR));
            // getent was forked by this JVM five times, and its resolver call returned
            List<String> getent = new ArrayList<>();
            database.query("SELECT count(*) FROM exec WHERE filename = '/usr/bin/getent' AND ppid = "
                    + ProcessHandle.current().pid() + " UNION ALL SELECT count(*) FROM uretprobe_libc_so_6_getaddrinfo"
                    + " WHERE comm = 'getent' AND phase = 'return'", new CaptureDatabase.Rows() {
                        @Override
                        public void columns(List<String> names, List<String> types) {
                        }

                        @Override
                        public void row(Object[] values) {
                            getent.add(values[0].toString());
                        }
                    }, 10);
            assertThat(getent).containsExactly("5", "5");
        }
    }
}
