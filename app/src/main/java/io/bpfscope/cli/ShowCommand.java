package io.bpfscope.cli;

import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.RawRecord;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.capture.store.RecordDecoder;
import io.bpfscope.export.JsonLinesExporter;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.MalformedEventException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfscope show FILE}: an aligned text table with a payload preview. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print a capture as a table; FILE may be - for stdin.")
public final class ShowCommand implements Callable<Integer> {
    private static final int PREVIEW = 40;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The capture (.bscap), or - for stdin;"
            + " several (of one host or many) are merged by time, each event keeping its host.")
    List<String> inputs;

    @Option(names = "--limit", paramLabel = "N", description = "Show at most N events.")
    long limit;

    @picocli.CommandLine.Mixin
    FilterOption filter;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        filter.check(); // a filter that cannot be right whatever the file holds fails before stdin is read
        try (CaptureSource source = CaptureInputs.open(inputs, false); CaptureReader reader = source.open()) {
            RecordDecoder decoder = new RecordDecoder(reader::header);
            io.bpfscope.filter.Filter matching = filter.filter(RecordDecoder.fieldNames(reader.header()));
            // Several hosts: a host column, as wide as their longest name (up to 20).
            boolean hosts = reader.header().hosts().size() > 1;
            int hostWidth = reader.header().hosts().stream().mapToInt(String::length).max().orElse(4);
            String host = hosts ? "%-" + Math.min(20, Math.max(4, hostWidth)) + "s  " : "%s";
            out.printf("%8s  %-15s  " + host + "%-10s %7s %7s  %-15s  %s%n", "seq", "time", hosts ? "host" : "",
                    "probe", "pid", "tid", "comm", "summary");
            long shown = 0;
            Undecodable undecodable = new Undecodable();
            for (RawRecord raw = reader.next(); raw != null && (limit <= 0 || shown < limit); raw = reader.next()) {
                DecodedRecord record;
                try {
                    record = decoder.decode(raw);
                } catch (MalformedEventException e) {
                    out.printf("%8d  (cannot decode: %s)%n", raw.seq(), TerminalText.escape(e.getMessage()));
                    undecodable.add(e);
                    continue;
                }
                if (!matching.test(record)) {
                    continue;
                }
                DecodedEvent event = record.event();
                out.printf("%8d  %-15s  " + host + "%-10s %7d %7d  %-15s  %s%s%n", record.seq(),
                        JsonLinesExporter.formatTime(record.time()).substring(11, 26),
                        hosts ? TerminalText.escape(record.host()) : "", TerminalText.escape(shortName(record.probe())),
                        event.header().pid(), event.header().tid(), TerminalText.escape(event.header().comm()),
                        TerminalText.escape(event.summary()), preview(event.payload()));
                shown++;
                if ((shown & 1023) == 0 && out.checkError()) {
                    break; // the reader of our output went away (| head): stop reading (and merging) too
                }
            }
            if (out.checkError()) {
                return ExitCodes.OK; // the reader of our output went away (e.g. | head): not an error
            }
            undecodable.report();
            if (reader.problem().isPresent()) {
                System.err.println("bpfscope: " + TerminalText.escape(reader.problem().get()));
                return ExitCodes.PARTIAL;
            }
        }
        return ExitCodes.OK;
    }

    /**
     * The probe column: a probe on a chosen target ({@code tracepoint:sched:sched_process_fork},
     * {@code uprobe:/usr/lib/libc.so.6:getaddrinfo}) by its form; its summary names the target.
     */
    static String shortName(String probe) {
        int colon = probe.indexOf(':');
        return colon > 0 ? probe.substring(0, colon) : probe;
    }

    /** The first bytes of a payload as text, with dots for what is not printable. */
    static String preview(DecodedEvent.Payload payload) {
        if (payload == null || payload.bytes().length == 0) {
            return "";
        }
        StringBuilder text = new StringBuilder("  |");
        byte[] bytes = payload.bytes();
        for (int i = 0; i < Math.min(PREVIEW, bytes.length); i++) {
            int b = bytes[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return text.append(bytes.length > PREVIEW || payload.truncated() ? "…|" : "|").toString();
    }
}
