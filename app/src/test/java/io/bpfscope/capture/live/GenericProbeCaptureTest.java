package io.bpfscope.capture.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import io.bpfscope.probes.uprobe.UprobeDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A capture of generic probes decodes from its header alone: a tracepoint
 * this host does not have, a uprobe on a file it does not have, and a probe
 * declared after the header (a PROBE block).
 */
class GenericProbeCaptureTest {
    /** A tracepoint no kernel has: only the capture header can say what its records hold. */
    private static final String FORMAT = """
            name: thing
            ID: 4242
            format:
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
            \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            \tfield:__data_loc char[] name;\toffset:8;\tsize:4;\tsigned:0;
            \tfield:u32 count;\toffset:12;\tsize:4;\tsigned:0;
            \tfield:s16 delta;\toffset:16;\tsize:2;\tsigned:1;
            \tfield:u8 bytes[4];\toffset:18;\tsize:4;\tsigned:0;
            \tfield:int pid;\toffset:22;\tsize:4;\tsigned:1;

            print fmt: "name=%s", __get_str(name)
            """;

    private static final CaptureHeader.ProbeEntry TRACEPOINT = new CaptureHeader.ProbeEntry(3, "tracepoint:demo:thing",
            EventKind.TRACEPOINT, "tracepoint demo:thing", List.of(), TracepointDecoder.LAYOUT, "demo:thing", FORMAT);
    private static final CaptureHeader.ProbeEntry UPROBE = new CaptureHeader.ProbeEntry(4, "uretprobe:/opt/app/bin:handle",
            EventKind.UPROBE, "", List.of(), UprobeDecoder.LAYOUT, "/opt/app/bin:handle", null);

    private static CaptureHeader header(List<CaptureHeader.ProbeEntry> probes) {
        return new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "elsewhere", "6.1", 0, 0, 1 << 20, probes);
    }

    private static ByteBuffer event(int kind, int source, int size) {
        ByteBuffer e = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        e.putLong(0, 1_000).putInt(8, 77).putInt(12, 78).putShort(20, (short) kind).putShort(22, (short) source);
        e.put(24, "demo".getBytes(StandardCharsets.US_ASCII));
        return e;
    }

    /** struct tracepoint_event holding a 30-byte record whose name lives past its fixed part. */
    private static byte[] tracepointRecord() {
        byte[] name = "hello\0".getBytes(StandardCharsets.US_ASCII);
        int recordLength = 26 + name.length;
        ByteBuffer e = event(EventKind.TRACEPOINT, 3, 48 + recordLength);
        e.putShort(40, (short) recordLength);
        int data = 48;
        e.putInt(data + 8, name.length << 16 | 26); // __data_loc: length << 16 | offset
        e.putInt(data + 12, 0xffff_fff0);
        e.putShort(data + 16, (short) -5);
        e.put(data + 18, new byte[] {1, 2, 3, 4});
        e.putInt(data + 22, 4321);
        e.put(data + 26, name);
        return e.array();
    }

    /** struct uprobe_event at return: handle(1, 2, ...) = -1 after 5 µs. */
    private static byte[] uprobeRecord(int source) {
        ByteBuffer e = event(EventKind.UPROBE, source, 128);
        e.putLong(40, 1).putLong(48, 2).putLong(88, -1).putLong(96, 5_000);
        e.put(124, (byte) 1).put(125, (byte) 1); // return, entry seen
        return e.array();
    }

    private static byte[] capture(CaptureHeader header, CaptureHeader.ProbeEntry later, byte[]... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureWriter writer = new CaptureWriter(out, header);
        if (later != null) {
            writer.addProbe(later);
        }
        for (byte[] record : records) {
            writer.append(record, 0, record.length);
        }
        writer.finish(new CaptureCounters(0, records.length, 0, List.of()));
        return out.toByteArray();
    }

    @Test
    void decodesATracepointAndAUprobeFromTheHeaderAlone() throws Exception {
        byte[] file = capture(header(List.of(TRACEPOINT)), UPROBE, tracepointRecord(), uprobeRecord(4));
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file), "g.bscap")) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            DecodedRecord tracepoint = decoder.decode(reader.next());
            DecodedRecord uprobe = decoder.decode(reader.next());

            assertThat(tracepoint.probe()).isEqualTo("tracepoint:demo:thing");
            assertThat(tracepoint.event().fields()).containsExactly(
                    java.util.Map.entry("tracepoint", "demo:thing"), java.util.Map.entry("name", "hello"),
                    java.util.Map.entry("count", 0xffff_fff0L), java.util.Map.entry("delta", -5L),
                    java.util.Map.entry("bytes", List.of(1L, 2L, 3L, 4L)), java.util.Map.entry("tp_pid", 4321L));
            assertThat(tracepoint.event().summary()).isEqualTo(
                    "demo:thing name=hello count=4294967280 delta=-5 bytes=[1,2,3,4] tp_pid=4321");

            // Declared in a PROBE block after the header: its target still names the function.
            assertThat(uprobe.probe()).isEqualTo("uretprobe:/opt/app/bin:handle");
            assertThat(uprobe.event().fields()).containsEntry("function", "handle").containsEntry("binary", "/opt/app/bin")
                    .containsEntry("arg0", 1L).containsEntry("ret", -1L).containsEntry("latency_ns", 5_000L);
            assertThat(uprobe.event().summary()).isEqualTo("handle(1, 2, 0, 0, 0, 0) = -1  5.00 µs");

            assertThat(reader.header().probe(3).orElseThrow().format()).isEqualTo(FORMAT);
            assertThat(RecordDecoder.fieldNames(reader.header())).contains("name", "count", "delta", "bytes", "tp_pid");
        }
    }

    @Test
    void anEntryWithoutTargetAndFormatReadsAsFilesWrittenBeforeThem() throws Exception {
        CaptureHeader.ProbeEntry old = new CaptureHeader.ProbeEntry(4, "uprobe", EventKind.UPROBE, "", List.of(),
                UprobeDecoder.LAYOUT, null, null);
        CaptureHeader.ProbeEntry oldTracepoint = new CaptureHeader.ProbeEntry(3, "tracepoint", EventKind.TRACEPOINT,
                "", List.of(), TracepointDecoder.LAYOUT, null, null);
        byte[] file = capture(header(List.of(oldTracepoint, old)), null, uprobeRecord(4), tracepointRecord());
        String json = new String(file, StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("\"target\""); // as an older bpfscope wrote it

        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(file), "old.bscap")) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            assertThat(reader.header().probe(4).orElseThrow().target()).isNull();
            assertThat(decoder.decode(reader.next()).event().fields()).containsEntry("function", "?")
                    .containsEntry("ret", -1L);
            RawRecord tracepoint = reader.next();
            assertThatThrownBy(() -> decoder.decode(tracepoint)).isInstanceOf(MalformedEventException.class)
                    .hasMessageContaining("the capture header has no format for this tracepoint");
        }
    }
}
