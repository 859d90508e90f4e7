package io.bpfscope.cli;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.store.CaptureSummary;
import io.bpfscope.export.JsonLinesExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfscope info FILE}: header, counts per probe, lost and truncated, time span. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a capture: where, when, what, and what was lost.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The capture (.bscap), or - for stdin;"
            + " several (of one host or many) are merged by time, each event keeping its host.")
    List<String> inputs;

    @Option(names = "--decode", description = "Decode every record (to count the undecodable ones) even when the"
            + " file's index could answer without reading its events.")
    boolean decode;

    @Override
    public Integer call() throws Exception {
        Optional<CaptureSummary> indexed = decode || inputs.size() != 1 || inputs.get(0).equals("-")
                ? Optional.empty() : fromIndex(Path.of(inputs.get(0)));
        CaptureSummary summary;
        if (indexed.isPresent()) {
            summary = indexed.get();
        } else {
            try (CaptureSource source = CaptureInputs.open(inputs, false); CaptureReader reader = source.open()) {
                summary = CaptureSummary.read(reader);
            }
        }
        CaptureHeader header = summary.header();
        List<String> hosts = header.hosts();
        boolean several = hosts.size() > 1;
        String files = TerminalText.escape(String.join(" + ", inputs));
        System.out.printf("file:       %s%n", files);
        System.out.printf("recorded:   %s on %s (Linux %s) by bpfscope %s%n",
                JsonLinesExporter.formatTime(Instant.ofEpochSecond(0, header.startNanos())), TerminalText.escape(header.hostname()),
                TerminalText.escape(header.kernel()), TerminalText.escape(header.bpfscopeVersion()));
        System.out.printf("events:     %,d%n", summary.events());
        if (summary.first() != null) {
            System.out.printf("span:       %s .. %s (%s)%n", JsonLinesExporter.formatTime(summary.first()),
                    JsonLinesExporter.formatTime(summary.last()), human(Duration.between(summary.first(), summary.last())));
        }
        if (header.ringBufferBytes() > 0) { // a merged capture has several rings, none of its own
            System.out.printf("ring:       %d KiB%n", header.ringBufferBytes() / 1024);
        }
        CaptureCounters counters = summary.counters().orElse(null);
        if (several) {
            printHosts(header, summary, counters);
        }
        String hostColumn = several ? "%-20s " : "%s";
        System.out.printf(hostColumn + "%-10s %12s %10s %10s  %s%n", several ? "host" : "", "probe", "events", "lost",
                "truncated", "attached to");
        Set<String> listed = new HashSet<>();
        for (CaptureHeader.ProbeEntry entry : header.probes()) {
            listed.add(entry.name());
            CaptureCounters.ProbeCounters c = countersOf(counters, entry);
            System.out.printf(hostColumn + "%-10s %,12d %10s %10s  %s%n", several ? TerminalText.escape(header.hostOf(entry)) : "",
                    TerminalText.escape(entry.name()), summary.eventsPerSource().getOrDefault(entry.source(), 0L),
                    c == null ? "?" : String.format("%,d", c.lost()), c == null ? "?" : String.format("%,d", c.truncated()),
                    TerminalText.escape(entry.attachedTo()));
        }
        for (Map.Entry<String, Long> other : summary.eventsPerProbe().entrySet()) {
            if (!listed.contains(other.getKey())) { // records of no declared probe: damaged, or of an unknown kind
                System.out.printf(hostColumn + "%-10s %,12d %10s %10s%n", "", TerminalText.escape(other.getKey()),
                        other.getValue(), "?", "?");
            }
        }
        if (counters != null && counters.droppedInUserSpace() > 0) {
            System.out.printf("dropped by bpfscope (consumer behind): %,d%n", counters.droppedInUserSpace());
        }
        System.out.printf("undecodable: %,d%s%n", summary.undecodable(), indexed.isPresent()
                ? " of unknown probes (from the index; --decode decodes every record)"
                : summary.firstUndecodable().map(why -> " (first: " + TerminalText.escape(why) + ")").orElse(""));
        System.out.printf("checked:    %s%n", indexed.isPresent()
                ? "the header, the index (its checksum, each block's place and count), the PROBE and END blocks;"
                        + " not the events blocks (--decode reads and checks every one)"
                : "every block read (up to the first damage), each one's checksum");
        System.out.printf("complete:   %s%n", !summary.complete() ? "no — " + TerminalText.escape(summary.problem().orElse(""))
                : indexed.isPresent() ? "yes (ends with its END block and index; the events blocks were not read: --decode checks them)"
                : "yes");
        if (!summary.complete()) {
            System.err.println("bpfscope: " + TerminalText.escape(summary.problem().orElse(files + ": the capture is not complete")));
            return ExitCodes.PARTIAL;
        }
        return ExitCodes.OK;
    }

    /** The summary the file's index gives; empty for a file without one (then it is read), or one that cannot be opened. */
    private static Optional<CaptureSummary> fromIndex(Path file) {
        try {
            return CaptureSummary.fromIndex(file);
        } catch (java.io.IOException e) {
            return Optional.empty(); // reading it whole gives the usual one-line error
        }
    }

    /** One line per host: its events and what its probes lost and cut. */
    private static void printHosts(CaptureHeader header, CaptureSummary summary, CaptureCounters counters) {
        System.out.printf("%-20s %12s %10s %10s%n", "host", "events", "lost", "truncated");
        for (String host : header.hosts()) {
            long events = 0;
            long lost = 0;
            long truncated = 0;
            boolean counted = counters != null;
            for (CaptureHeader.ProbeEntry entry : header.probes()) {
                if (header.hostOf(entry).equals(host)) {
                    events += summary.eventsPerSource().getOrDefault(entry.source(), 0L);
                    CaptureCounters.ProbeCounters c = countersOf(counters, entry);
                    counted &= c != null;
                    lost += c == null ? 0 : c.lost();
                    truncated += c == null ? 0 : c.truncated();
                }
            }
            System.out.printf("%-20s %,12d %10s %10s%n", TerminalText.escape(host), events,
                    counted ? String.format("%,d", lost) : "?", counted ? String.format("%,d", truncated) : "?");
        }
        System.out.println();
    }

    /** The counters of a probe entry: by its source id, or (files whose counters predate the ids) by its name. */
    private static CaptureCounters.ProbeCounters countersOf(CaptureCounters counters, CaptureHeader.ProbeEntry entry) {
        if (counters == null) {
            return null;
        }
        return counters.probes().stream().filter(p -> p.source() == entry.source() && p.name().equals(entry.name()))
                .findFirst().orElseGet(() -> counters.probes().stream().filter(p -> p.name().equals(entry.name()))
                        .findFirst().orElse(null));
    }

    static String human(Duration d) {
        if (d.toSeconds() >= 60) {
            return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format("%.3fs", d.toNanos() / 1e9);
    }
}
