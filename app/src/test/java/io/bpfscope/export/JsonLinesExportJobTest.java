package io.bpfscope.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.bpfscope.bench.CaptureBenchmark;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON Lines export runs on worker threads: many chunks of records must come
 * out complete, once each and in capture order, filtered or not, and a cancel
 * stops it.
 */
class JsonLinesExportJobTest {
    private static final int EVENTS = 25_001; // a dozen chunks and a short last one

    @TempDir
    Path dir;

    @Test
    void everyEventComesOutOnceInCaptureOrder() throws Exception {
        List<String> lines = export(r -> true);

        assertThat(lines).hasSize(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            JsonObject event = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertThat(event.get("seq").getAsLong()).isEqualTo(i + 1);
            assertThat(event.get("argv").getAsJsonArray().get(2).getAsString()).endsWith("/item/" + i);
        }
    }

    @Test
    void aFilteredExportHoldsExactlyTheMatchesInOrder() throws Exception {
        List<String> lines = export(r -> r.event().header().pid() % 7 == 0);

        long expected = java.util.stream.IntStream.range(0, EVENTS).filter(i -> (1000 + i % 5000) % 7 == 0).count();
        assertThat(lines).hasSize((int) expected);
        long previous = 0;
        for (String line : lines) {
            JsonObject event = JsonParser.parseString(line).getAsJsonObject();
            assertThat(event.get("pid").getAsInt() % 7).isZero();
            assertThat(event.get("seq").getAsLong()).isGreaterThan(previous);
            previous = event.get("seq").getAsLong();
        }
    }

    @Test
    void cancellingStopsTheExportAndSaysSo() throws Exception {
        Path capture = capture();
        try (CaptureSource source = CaptureSource.of(capture.toString(), false)) {
            ExportJob.Result result = new ExportJob(source, ExportJob.Format.JSONL, r -> true, (a, b, c) -> { }, () -> true)
                    .run(new ByteArrayOutputStream());
            assertThat(result.cancelled()).isTrue();
            assertThat(result.written()).isLessThan(EVENTS);
        }
    }

    private List<String> export(java.util.function.Predicate<io.bpfscope.capture.store.DecodedRecord> filter) throws Exception {
        Path capture = capture();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CaptureSource source = CaptureSource.of(capture.toString(), false)) {
            ExportJob.Result result = new ExportJob(source, ExportJob.Format.JSONL, filter, (a, b, c) -> { }, () -> false)
                    .run(out);
            assertThat(result.cancelled()).isFalse();
            assertThat(result.undecodable()).isZero();
            List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n", -1));
            assertThat(lines.get(lines.size() - 1)).isEmpty(); // every line ends with a newline
            assertThat(result.written()).isEqualTo(lines.size() - 1);
            return lines.subList(0, lines.size() - 1);
        }
    }

    private Path capture() throws Exception {
        Path capture = dir.resolve("exec.bscap");
        if (Files.exists(capture)) {
            return capture;
        }
        CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host", "6.18", 0, 0, 1 << 20,
                List.of(new CaptureHeader.ProbeEntry(1, "exec", EventKind.EXEC, "", List.of(),
                        ProbeCatalog.find("exec").orElseThrow().decoder().layout())));
        try (CaptureWriter writer = new CaptureWriter(Files.newOutputStream(capture), header)) {
            for (int i = 0; i < EVENTS; i++) {
                byte[] record = CaptureBenchmark.execRecord(i);
                writer.append(record, 0, record.length);
            }
            writer.finish(new CaptureCounters(0, EVENTS, 0, List.of()));
        }
        return capture;
    }
}
