package io.bpfscope.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.bench.BenchEvent;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.exit.ExitEvent;
import io.bpfscope.probes.tracepoint.TracepointEvent;
import io.bpfscope.probes.uprobe.UprobeEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The probes' declarations and their events agree: a field a probe declares
 * can be filtered on, and a field its events report is declared (else it would
 * be silently unfilterable and missing from completion and the docs).
 */
class ProbeFieldsTest {
    private static final Path DEMO = Path.of("..", "assets", "demo.bscap");

    @Test
    void everyDeclaredFieldIsFilterable() {
        for (ProbeDeclaration declaration : ProbeCatalog.declarations()) {
            for (FieldSpec field : declaration.fields()) {
                assertThat(FieldCatalog.probeFieldNames()).contains(field.name());
                String literal = field.type() == FieldSpec.Type.NUMBER ? "1" : "\"x\"";
                assertThatCode(() -> Filter.compile(field.name() + " == " + literal))
                        .as(field.name()).doesNotThrowAnyException();
            }
        }
    }

    /** The names FieldCatalog listed by hand before the probes declared them: none may stop being filterable. */
    @Test
    void everyFieldNameFiltersTookBeforeStillWorks() {
        assertThat(FieldCatalog.probeFieldNames()).containsAll(List.of(
                "ppid", "uid", "filename", "argv", "args_truncated", "filename_truncated", "retval", "error",
                "exit_code", "signal", "signal_name", "core_dumped", "lifetime_ns",
                "syscall", "path", "path_truncated", "flags", "flags_text", "mode", "resolve", "dfd", "fd",
                "direction", "function", "library", "conn", "len", "payload_len", "truncated", "latency_ns", "fd_type",
                "read_failed",
                "sock_type", "path_owner", "peer_pid", "sock", "peer_sock", "inode", "peer_inode", "buf_len",
                "event", "family", "saddr", "sport", "daddr", "dport", "oldstate", "newstate", "owner_known",
                "duration_ns", "bytes_acked", "bytes_received", "retransmits", "srtt_us",
                "source", "parent_comm", "query", "qtype", "server", "client", "id", "qr", "opcode", "rcode", "answers",
                "parse_error", "rc", "answers_truncated", "query_truncated",
                "tracepoint", "record_truncated",
                "binary", "phase", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "ret", "entry_seen", "buf_addr",
                "buf_size",
                "index", "burst"));
    }

    @Test
    void anUndeclaredFieldIsNotFilterable() {
        assertThat(FieldCatalog.probeFieldNames()).doesNotContain("no_probe_reports_this");
        assertThatCode(() -> Filter.compile("no_probe_reports_this == 1")).isInstanceOf(FilterException.class);
    }

    @Test
    void everyFieldTheDemoCaptureReportsIsDeclared() throws Exception {
        Set<String> probesSeen = new TreeSet<>();
        List<String> undeclared = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(DEMO)) {
            RecordDecoder decoder = new RecordDecoder(reader.header());
            Set<String> fromTheHeader = RecordDecoder.fieldNames(reader.header()); // tracepoints' own
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                DecodedRecord record = decoder.decode(raw);
                probesSeen.add(record.probe());
                undeclared.addAll(ProbeCatalog.declaration(record.probe())
                        .undeclaredFields(record.event(), fromTheHeader).stream()
                        .map(name -> record.probe() + "." + name).toList());
            }
        }
        assertThat(probesSeen).contains("exec", "open", "tcp", "tls", "unix", "dns");
        assertThat(undeclared).isEmpty();
    }

    @Test
    void streamIsTheConversationFollowShows() throws Exception {
        Filter tlsStream = Filter.compile("stream == \"tls/30020/0x5589095f4ad0\"");
        Filter anyStream = Filter.compile("stream");
        Filter tcpStreams = Filter.compile("stream matches \"^tcp/\"");
        List<Long> inTheStream = new ArrayList<>();
        Set<String> probesWithAStream = new TreeSet<>();
        long tcp = 0;
        try (CaptureReader reader = CaptureReader.open(DEMO)) {
            RecordDecoder decoder = new RecordDecoder(reader.header());
            for (RawRecord raw = reader.next(); raw != null; raw = reader.next()) {
                DecodedRecord record = decoder.decode(raw);
                if (tlsStream.test(record)) {
                    inTheStream.add(record.seq());
                }
                if (anyStream.test(record)) {
                    probesWithAStream.add(record.probe());
                }
                if (tcpStreams.test(record)) {
                    tcp++;
                    assertThat(record.probe()).isEqualTo("tcp");
                }
            }
        }
        // curl's first request, as Follow gathers it (FollowViewModelTest)
        assertThat(inTheStream).containsExactly(151L, 154L, 161L, 162L, 164L);
        assertThat(probesWithAStream).containsExactlyInAnyOrder("tls", "tcp", "unix");
        assertThat(tcp).isEqualTo(35);
    }

    /** The probes the demo has not: events built as their decoders build them, every optional field present. */
    @Test
    void everyFieldTheOtherProbesReportIsDeclared() {
        EventHeader header = new EventHeader(1, 2, 3, 4, 0, 1, "x");
        List<String> undeclared = new ArrayList<>();
        undeclared.addAll(undeclared("exit", new ExitEvent(header, 1, 0x8b, 1000)));   // SIGSEGV, core dumped
        undeclared.addAll(undeclared("exit", new ExitEvent(header, 1, 0x100, 1000)));  // exit(1)
        undeclared.addAll(undeclared("bench", new BenchEvent(header, 1, 2)));
        undeclared.addAll(undeclared("uprobe:/bin/true:main", new UprobeEvent(header, "/bin/true", "main", true,
                new long[6], 0, 10, true, 0x1000, 4, new byte[4], false)));
        undeclared.addAll(undeclared("uretprobe:/bin/true:main", new UprobeEvent(header, "/bin/true", "main", false,
                new long[6], 0, 0, false, 0, 0, null, false)));
        TracepointEvent tracepoint = new TracepointEvent(header, "sched:sched_switch", Map.of(), true, false);
        undeclared.addAll(undeclared("tracepoint:sched:sched_switch", tracepoint));
        assertThat(undeclared).isEmpty();
    }

    @Test
    void aFieldNoDeclarationHasIsFound() {
        DecodedEvent event = new BenchEvent(new EventHeader(1, 2, 3, 4, EventKind.BENCH, 1, "x"), 1, 2);
        assertThat(undeclared("exec", event)).containsExactly("exec.index", "exec.burst");
    }

    private static List<String> undeclared(String probe, DecodedEvent event) {
        return ProbeCatalog.declaration(probe).undeclaredFields(event, List.of()).stream()
                .map(name -> probe + "." + name).toList();
    }
}
