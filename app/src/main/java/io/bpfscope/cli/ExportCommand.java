package io.bpfscope.cli;

import io.bpfscope.capture.CaptureReader;
import io.bpfscope.capture.RawRecord;
import io.bpfscope.capture.RecordDecoder;
import io.bpfscope.export.JsonLinesExporter;
import io.bpfscope.io.PrivateFiles;
import io.bpfscope.probes.MalformedEventException;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfscope export FILE --format jsonl -o OUT}. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a capture to other tools' formats; FILE or OUT may be - for stdin/stdout.")
public final class ExportCommand implements Callable<Integer> {
    /** Export formats. */
    enum Format { jsonl }

    @Parameters(index = "0", paramLabel = "FILE", description = "The capture (.bscap), or - for stdin.")
    String input;

    @Option(names = {"-f", "--format"}, required = true, paramLabel = "FORMAT", description = "Output format: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The output file, or - for stdout.")
    String output;

    @Override
    public Integer call() throws Exception {
        try (CaptureReader reader = input.equals("-") ? CaptureReader.open(System.in, "stdin") : CaptureReader.open(Path.of(input))) {
            RecordDecoder decoder = new RecordDecoder(reader.header());
            OutputStream out = output.equals("-") ? new FileOutputStream(FileDescriptor.out) : PrivateFiles.create(Path.of(output));
            long written = 0;
            long undecodable = 0;
            String firstProblem = null;
            try (JsonLinesExporter exporter = new JsonLinesExporter(
                    new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16))) {
                for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                    try {
                        exporter.write(decoder.decode(record));
                        written++;
                    } catch (MalformedEventException e) {
                        undecodable++;
                        if (firstProblem == null) {
                            firstProblem = e.getMessage();
                        }
                    }
                }
            }
            if (undecodable > 0) {
                System.err.println("bpfscope: " + undecodable + " records could not be decoded and were left out (first: "
                        + firstProblem + ")");
            }
            if (reader.problem().isPresent()) {
                System.err.println("bpfscope: " + reader.problem().get());
                System.err.println("bpfscope: exported " + written + " events");
                return ExitCodes.PARTIAL;
            }
            if (!output.equals("-")) {
                System.err.println("bpfscope: exported " + written + " events to " + output);
            }
            return ExitCodes.OK;
        }
    }
}
