package io.bpfscope.filter;

import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.ProbeDeclaration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields a filter can name. The fixed ones exist for every event (or
 * every event with a payload) and have a type the compiler checks; every
 * other name is one of a probe's own fields ({@code DecodedEvent.fields()}),
 * typed only by the values events carry. Immutable; for the GUI's completion
 * and for {@link Filter#compile(String)}'s idea of which names exist.
 */
public final class FieldCatalog {
    /** What a fixed field holds, and so which operators and literals it takes. */
    public enum Type {
        /** Integers: {@code == != < <= > >= in}. */
        NUMBER,
        /** Text: every operator. */
        TEXT,
        /** An instant: {@code == != < <= > >= in} with ISO-8601 times or times of day. */
        TIME,
        /** Bytes: every operator; {@code matches} reads them as ISO-8859-1. */
        BYTES
    }

    /** A fixed field. */
    public record Field(String name, Type type, String description) {
    }

    private static final List<Field> FIXED = List.of(
            new Field("probe", Type.TEXT, "the probe that sent the event: exec, open, tls..."),
            new Field("seq", Type.NUMBER, "the event's number in the capture, from 1"),
            new Field("time", Type.TIME, "when the event happened (wall clock)"),
            new Field("pid", Type.NUMBER, "process id (the thread group id)"),
            new Field("tid", Type.NUMBER, "thread id"),
            new Field("ppid", Type.NUMBER, "parent process id, on events that carry it (exec, exit)"),
            new Field("uid", Type.NUMBER, "user id"),
            new Field("comm", Type.TEXT, "the thread's command name, at most 15 characters"),
            new Field("host", Type.TEXT, "the host the event was recorded on (its capture's hostname)"),
            new Field("stream", Type.TEXT,
                    "the conversation Follow shows (tls, unix, tcp), e.g. \"tls/30020/0x5589095f4ad0\""),
            new Field("len", Type.NUMBER,
                    "payload length before the capture limit, else the event's own len field"),
            new Field("payload", Type.BYTES, "the data the event carries (TLS plaintext, socket data)"));

    /**
     * The own fields of the probes this build ships, as they declare them
     * ({@code ProbeDeclaration.fields()}). Names a capture adds (a tracepoint's
     * own fields) the application passes to {@link Filter#compile(String, Set, java.time.ZoneId)}.
     */
    private static final Set<String> PROBE_FIELDS = declaredFieldNames();

    private FieldCatalog() {
    }

    /** The fixed fields, in the order a completion list shows them. */
    public static List<Field> fixedFields() {
        return FIXED;
    }

    public static Optional<Field> fixedField(String name) {
        for (Field field : FIXED) {
            if (field.name().equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    private static Set<String> declaredFieldNames() {
        Set<String> names = new TreeSet<>();
        for (ProbeDeclaration declaration : ProbeCatalog.declarations()) {
            declaration.fields().forEach(field -> names.add(field.name()));
        }
        return Collections.unmodifiableSet(names);
    }

    /** The own field names of the shipped probes, sorted. */
    public static Set<String> probeFieldNames() {
        return PROBE_FIELDS;
    }
}
