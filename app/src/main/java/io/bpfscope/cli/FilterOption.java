package io.bpfscope.cli;

import io.bpfscope.filter.Filter;
import io.bpfscope.filter.FilterException;
import picocli.CommandLine.Option;

/** {@code --filter EXPR}: the display-filter language (docs/filters.md), shared by record, show, export. */
public final class FilterOption {
    @Option(names = {"-Y", "--filter"}, paramLabel = "EXPR",
            description = "Only events matching this display filter, e.g. 'probe == tls && payload contains \"GET\"'.")
    String text = "";

    public Filter filter() throws UserError {
        try {
            return Filter.compile(text);
        } catch (FilterException e) {
            throw new UserError(ExitCodes.USAGE, "bad filter: " + e.getMessage() + " (see docs/filters.md)");
        }
    }
}
