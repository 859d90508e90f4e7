package io.bpfscope.cli;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureReader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.store.CaptureSummary;
import io.bpfscope.export.JsonLinesExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bpfscope info FILE}: header, counts per probe, lost and truncated, time span. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a capture: where, when, what, and what was lost.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The capture (.bscap), or - for stdin.")
    String input;

    @Override
    public Integer call() throws Exception {
        CaptureSummary summary;
        try (CaptureSource source = CaptureSource.of(input, false); CaptureReader reader = source.open()) {
            summary = CaptureSummary.read(reader);
        }
        CaptureHeader header = summary.header();
        System.out.printf("file:       %s%n", TerminalText.escape(input));
        System.out.printf("recorded:   %s on %s (Linux %s) by bpfscope %s%n",
                JsonLinesExporter.formatTime(Instant.ofEpochSecond(0, header.startNanos())), TerminalText.escape(header.hostname()),
                TerminalText.escape(header.kernel()), TerminalText.escape(header.bpfscopeVersion()));
        System.out.printf("events:     %,d%n", summary.events());
        if (summary.first() != null) {
            System.out.printf("span:       %s .. %s (%s)%n", JsonLinesExporter.formatTime(summary.first()),
                    JsonLinesExporter.formatTime(summary.last()), human(Duration.between(summary.first(), summary.last())));
        }
        System.out.printf("ring:       %d KiB%n", header.ringBufferBytes() / 1024);
        System.out.printf("%-10s %12s %10s %10s  %s%n", "probe", "events", "lost", "truncated", "attached to");
        CaptureCounters counters = summary.counters().orElse(null);
        for (Map.Entry<String, Long> entry : summary.eventsPerProbe().entrySet()) {
            CaptureCounters.ProbeCounters c = counters == null ? null : counters.probes().stream()
                    .filter(p -> p.name().equals(entry.getKey())).findFirst().orElse(null);
            String attached = header.probes().stream().filter(p -> p.name().equals(entry.getKey()))
                    .map(CaptureHeader.ProbeEntry::attachedTo).findFirst().orElse("");
            System.out.printf("%-10s %,12d %10s %10s  %s%n", TerminalText.escape(entry.getKey()), entry.getValue(),
                    c == null ? "?" : String.format("%,d", c.lost()), c == null ? "?" : String.format("%,d", c.truncated()),
                    TerminalText.escape(attached));
        }
        if (counters != null && counters.droppedInUserSpace() > 0) {
            System.out.printf("dropped by bpfscope (consumer behind): %,d%n", counters.droppedInUserSpace());
        }
        System.out.printf("undecodable: %,d%s%n", summary.undecodable(),
                summary.firstUndecodable().map(why -> " (first: " + TerminalText.escape(why) + ")").orElse(""));
        System.out.printf("complete:   %s%n", summary.complete() ? "yes" : "no — " + TerminalText.escape(summary.problem().orElse("")));
        if (!summary.complete()) {
            System.err.println("bpfscope: " + TerminalText.escape(summary.problem().orElse(input + ": the capture is not complete")));
            return ExitCodes.PARTIAL;
        }
        return ExitCodes.OK;
    }

    static String human(Duration d) {
        if (d.toSeconds() >= 60) {
            return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format("%.3fs", d.toNanos() / 1e9);
    }
}
