package io.bpfscope.cli;

import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.export.ExportJob;
import io.bpfscope.io.AtomicOutput;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code bpfscope export FILE --format jsonl|csv -o OUT}: progress on a
 * terminal, Ctrl-C cancels cleanly. OUT is written whole or not at all, never
 * over an existing file without {@code --force} (see {@link AtomicOutput}).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a capture to other tools' formats; FILE or OUT may be - for stdin/stdout.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The capture (.bscap), or - for stdin;"
            + " several (of one host or many) are merged by time, each event keeping its host.")
    List<String> inputs;

    @Option(names = {"-f", "--format"}, required = true, paramLabel = "FORMAT",
            description = "jsonl (JSON Lines), csv (RFC 4180), pcapng (payloads as packets, for Wireshark)"
                    + " or parquet (a directory OUT, partitioned by probe: OUT/probe=exec/...).")
    String format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The output file, or - for stdout.")
    String output;

    @Mixin
    FilterOption filter;

    @Option(names = "--force", description = "Replace OUT if it exists and is a regular file of yours"
            + " (never a link, a device, another user's file or FILE itself).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (format.equalsIgnoreCase("parquet")) {
            return parquet();
        }
        ExportJob.Format chosen = parseFormat();
        filter.check(); // a filter that cannot be right whatever the file holds fails before stdin is read
        AtomicBoolean cancel = new AtomicBoolean();
        ProgressBar bar = new ProgressBar(System.err);
        boolean toStdout = output.equals("-");
        List<Path> inputPaths = inputs.stream().filter(i -> !i.equals("-")).map(Path::of).toList();
        // OUT is checked, and its temporary file made, before stdin is read: a refusal costs nothing. Until
        // commit() the export goes to that temporary file, so a failure or Ctrl-C leaves nothing behind.
        try (AtomicOutput out = toStdout ? null : AtomicOutput.open(Path.of(output), force, inputPaths);
             CaptureSource source = CaptureInputs.open(inputs, chosen == ExportJob.Format.CSV || filter.given())) {
            // The filter may name a tracepoint's fields, which only the file's header knows: read it first.
            io.bpfscope.filter.Filter matching = filter.given() ? filter.filter(headerFieldNames(source)) : filter.filter();
            ExportJob job = new ExportJob(source, chosen, matching, bar::update, cancel::get);
            OutputStream stream = toStdout ? new FileOutputStream(FileDescriptor.out) : out.stream();
            Signal.handle(new Signal("INT"), signal -> cancel.set(true));
            ExportJob.Result result = job.run(stream);
            bar.finish();
            if (result.cancelled()) {
                // a half export looks whole to the next tool: it is not kept
                throw new UserError(ExitCodes.INPUT, "export cancelled; " + (toStdout ? "output is incomplete"
                        : "nothing was written to " + output));
            }
            if (out != null) {
                out.commit();
            }
            if (result.undecodable() > 0) {
                System.err.println("bpfscope: " + result.undecodable() + " records could not be decoded and were left out (first: "
                        + TerminalText.escape(result.firstUndecodable()) + ")");
            }
            if (chosen == ExportJob.Format.PCAPNG && result.withoutPayload() > 0) {
                System.err.println("bpfscope: " + result.withoutPayload()
                        + " events have no payload (exec, open, tcp ...) and are not in the pcapng");
            }
            String summary = "bpfscope: exported " + result.written() + " events" + (toStdout ? "" : " to " + output);
            if (result.captureProblem().isPresent()) {
                System.err.println("bpfscope: " + TerminalText.escape(result.captureProblem().get()));
                System.err.println(summary);
                return ExitCodes.PARTIAL;
            }
            if (!toStdout) {
                System.err.println(summary);
            }
            return ExitCodes.OK;
        }
    }

    /** Parquet goes through DuckDB ({@code io.bpfscope.sql}), loaded only now. */
    private int parquet() throws Exception {
        if (output.equals("-")) {
            throw new UserError(ExitCodes.USAGE, "parquet is a directory: name it with -o DIR");
        }
        filter.check();
        AtomicBoolean cancel = new AtomicBoolean();
        Signal.handle(new Signal("INT"), signal -> cancel.set(true));
        try (CaptureSource source = CaptureInputs.open(inputs, filter.given())) { // several: merged by time
            io.bpfscope.filter.Filter matching = filter.given() ? filter.filter(headerFieldNames(source)) : filter.filter();
            io.bpfscope.sql.ParquetExport.Result result = io.bpfscope.sql.ParquetExport.run(List.of(source), matching,
                    cancel::get, Path.of(output), force);
            if (result.loaded().cancelled()) {
                throw new UserError(ExitCodes.INPUT, "export cancelled; nothing was written to " + output);
            }
            if (result.loaded().undecodable() > 0) {
                System.err.println("bpfscope: " + result.loaded().undecodable() + " records could not be decoded and were left out (first: "
                        + TerminalText.escape(result.loaded().firstUndecodable()) + ")");
            }
            String summary = "bpfscope: exported " + result.rows() + " events to " + output;
            if (!result.loaded().problems().isEmpty()) {
                System.err.println("bpfscope: " + TerminalText.escape(result.loaded().problems().get(0)));
                System.err.println(summary);
                return ExitCodes.PARTIAL;
            }
            System.err.println(summary);
            return ExitCodes.OK;
        }
    }

    private static java.util.Set<String> headerFieldNames(CaptureSource source) throws java.io.IOException {
        try (io.bpfscope.capture.file.CaptureReader reader = source.open()) {
            return io.bpfscope.capture.store.RecordDecoder.fieldNames(reader.header());
        }
    }

    private ExportJob.Format parseFormat() throws UserError {
        try {
            return ExportJob.Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "unknown format '" + format + "': use jsonl, csv, pcapng or parquet");
        }
    }
}
