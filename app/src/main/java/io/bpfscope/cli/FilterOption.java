package io.bpfscope.cli;

import io.bpfscope.filter.FieldCatalog;
import io.bpfscope.filter.Filter;
import io.bpfscope.filter.FilterException;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/** {@code --filter EXPR}: the display-filter language (docs/filters.md), shared by record, show, export. */
public final class FilterOption {
    @Option(names = {"-Y", "--filter"}, paramLabel = "EXPR",
            description = "Only events matching this display filter, e.g. 'probe == tls && payload contains \"GET\"'.")
    String text = "";

    /** Whether a filter was given. */
    public boolean given() {
        return !text.isBlank();
    }

    /**
     * Fails for a filter that cannot be right whatever the capture holds; a name
     * that may be a tracepoint's field passes here and is checked by
     * {@link #filter(Collection)} once the tracepoints are known.
     */
    public void check() throws UserError {
        try {
            Filter.compile(text);
        } catch (FilterException e) {
            if (!e.getMessage().contains("unknown field")) {
                throw bad(e);
            }
        }
    }

    /** The filter, knowing the shipped probes' fields only. */
    public Filter filter() throws UserError {
        return filter(Set.of());
    }

    /** The filter, knowing also {@code moreFields} (the tracepoints' fields of a capture or a recording). */
    public Filter filter(Collection<String> moreFields) throws UserError {
        Set<String> known = new TreeSet<>(FieldCatalog.probeFieldNames());
        known.addAll(moreFields);
        try {
            return Filter.compile(text, known, ZoneId.systemDefault());
        } catch (FilterException e) {
            throw bad(e);
        }
    }

    private static UserError bad(FilterException e) {
        return new UserError(ExitCodes.INPUT, "bad filter: " + e.getMessage() + " (see docs/filters.md)");
    }
}
