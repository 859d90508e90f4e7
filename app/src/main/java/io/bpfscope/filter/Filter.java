package io.bpfscope.filter;

import io.bpfscope.capture.store.DecodedRecord;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A compiled display filter, as in Wireshark: {@code pid == 1234 && comm contains "ssh"},
 * {@code probe == tls && payload contains "HTTP/1.1"}, {@code daddr in {10.0.0.0/8}}.
 * docs/filters.md describes the language.
 *
 * <p>Compiling resolves every field name and checks what can be checked
 * (unknown fields, a number compared with text, a bad regular expression),
 * so {@link #test} never throws. Immutable and safe for concurrent use: one
 * filter can test records on any number of threads.
 */
public final class Filter implements Predicate<DecodedRecord> {
    /** The empty filter: every record passes. */
    public static final Filter ALL = new Filter("", Node.TRUE);

    private final String text;
    private final Node root;

    private Filter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /**
     * Compiles {@code text} knowing the fields of the probes this build ships
     * ({@link FieldCatalog#probeFieldNames()}), with times of day and
     * zone-less times read in the system's time zone.
     */
    public static Filter compile(String text) throws FilterException {
        return compile(text, FieldCatalog.probeFieldNames(), ZoneId.systemDefault());
    }

    /**
     * Compiles {@code text}; blank text gives {@link #ALL}.
     *
     * @param knownFields the probe field names a filter may use besides the
     *        fixed ones ({@link FieldCatalog#fixedFields()}); other names are
     *        an error that suggests the closest known name
     * @param zone the zone the user reads times in: {@code time > 10:43:27}
     *        and {@code time >= "2026-11-25T10:00"} are wall-clock times there
     */
    public static Filter compile(String text, Set<String> knownFields, ZoneId zone) throws FilterException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(knownFields, "knownFields");
        Objects.requireNonNull(zone, "zone");
        if (text.isBlank()) {
            return ALL;
        }
        return new Filter(text, Parser.parse(text, knownFields, zone));
    }

    /** Whether {@code record} passes. Never throws; a field the event does not have fails its comparison. */
    @Override
    public boolean test(DecodedRecord record) {
        return root.test(new Evaluation(record));
    }

    /** The text it was compiled from. */
    public String text() {
        return text;
    }

    /** True for the empty filter, so that callers can skip filtering. */
    public boolean passesEverything() {
        return root == Node.TRUE;
    }

    @Override
    public String toString() {
        return text;
    }
}
