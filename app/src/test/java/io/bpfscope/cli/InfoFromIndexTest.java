package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bench.CaptureBenchmark;
import io.bpfscope.bridge.ring.RecordBatch;
import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info} on a file with an index answers from it, and says so; {@code --decode} and damage still read everything. */
class InfoFromIndexTest {
    @TempDir
    Path dir;

    @Test
    void infoAnswersFromTheIndexWithTheCountsADecodingPassGives() throws IOException {
        Path file = dir.resolve("indexed.bscap");
        try (OutputStream out = Files.newOutputStream(file)) {
            CaptureWriter writer = new CaptureWriter(out, new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host",
                    "6.18", 0, 0, 1 << 20, List.of(CaptureHeader.ProbeEntry.of(1, ProbeCatalog.find("exec").orElseThrow(),
                    "", List.of())))).indexAtEnd();
            RecordBatch batch = new RecordBatch(1 << 24, 100_000);
            for (int i = 0; i < 50_000; i++) {
                byte[] record = CaptureBenchmark.execRecord(i);
                batch.append(record, 0, record.length);
            }
            writer.append(batch);
            writer.finish(new CaptureCounters(0, 50_000, 0, List.of()));
        }
        String indexed = CommandOutput.both("info", file.toString());
        String decoded = CommandOutput.both("info", "--decode", file.toString());
        assertThat(indexed).contains("events:     50,000", "from the index", "were not read");
        assertThat(decoded).contains("events:     50,000", "undecodable: 0\n", "complete:   yes\n").doesNotContain("from the index");
        assertThat(lineOf(indexed, "checked:")).startsWith("checked:    the header, the index").contains("not the events blocks");
        assertThat(lineOf(decoded, "checked:")).startsWith("checked:    every block read");
        assertThat(lineOf(indexed, "span:")).isEqualTo(lineOf(decoded, "span:"));
        assertThat(lineOf(indexed, "exec ")).isEqualTo(lineOf(decoded, "exec "));

        byte[] cut = Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) / 2);
        Path cutFile = dir.resolve("cut.bscap");
        Files.write(cutFile, cut);
        String ofCut = CommandOutput.both("info", cutFile.toString());
        assertThat(ofCut).contains("complete:   no").doesNotContain("from the index");
    }

    private static String lineOf(String output, String start) {
        return output.lines().filter(l -> l.startsWith(start)).findFirst().orElse("none");
    }
}
