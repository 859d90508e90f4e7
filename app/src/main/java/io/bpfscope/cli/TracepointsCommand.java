package io.bpfscope.cli;

import io.bpfscope.bridge.KernelFeatureMissingException;
import io.bpfscope.bridge.TraceFs;
import io.bpfscope.probes.tracepoint.GenericTracepointProbe;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import io.bpfscope.probes.tracepoint.TracepointFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bpfscope tracepoints [PATTERN]}: the host's tracepoints, for {@code record -p tracepoint:GROUP:NAME}. */
@Command(name = "tracepoints", mixinStandardHelpOptions = true,
        description = "List this host's tracepoints (GROUP:NAME), for record -p tracepoint:GROUP:NAME.")
public final class TracepointsCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN",
            description = "Only those whose GROUP:NAME this regular expression finds (case-insensitive), e.g. 'sched:.*fork'.")
    String pattern;

    @Option(names = {"-f", "--fields"}, description = "Also show each one's fields (the names filters and JSONL use) and types.")
    boolean fields;

    @Override
    public Integer call() throws UserError {
        Pattern match = Patterns.compile("PATTERN", pattern, Pattern.CASE_INSENSITIVE);
        List<String> all;
        try {
            all = TraceFs.tracepoints();
        } catch (KernelFeatureMissingException e) {
            throw new UserError(ExitCodes.PROBES, e.getMessage());
        }
        List<String> chosen = all.stream().filter(t -> match.matcher(t).find()).toList();
        if (chosen.isEmpty()) {
            throw new UserError(ExitCodes.INPUT, "no tracepoint matches '" + pattern + "' among the " + all.size()
                    + " of this host; try a shorter pattern");
        }
        for (String tracepoint : chosen) {
            System.out.println(TerminalText.escape(tracepoint));
            if (fields) {
                printFields(tracepoint);
            }
        }
        return ExitCodes.OK;
    }

    private static void printFields(String tracepoint) {
        GenericTracepointProbe probe = GenericTracepointProbe.of(GenericTracepointProbe.PREFIX + tracepoint);
        TracepointFormat format = probe.parsedFormat();
        if (format == null) {
            System.out.println("    (" + TerminalText.escape(probe.availability().reason()) + ")");
            return;
        }
        List<String> strings = TracepointDecoder.userStringFields(format).stream().map(TracepointFormat.Field::name).toList();
        for (TracepointFormat.Field field : format.ownFields()) {
            System.out.printf("    %-24s %s%s%n", TerminalText.escape(TracepointDecoder.fieldName(field.name())),
                    TerminalText.escape(field.type()),
                    strings.contains(field.name()) ? "  (read as a string)" : "");
        }
    }
}
