package io.bpfscope.filter;

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
            new Field("len", Type.NUMBER,
                    "payload length before the capture limit, else the event's own len field"),
            new Field("payload", Type.BYTES, "the data the event carries (TLS plaintext, socket data)"));

    /**
     * The own fields of the probes this build ships. A probe that adds a field
     * adds its name here, or the application passes it to
     * {@link Filter#compile(String, Set, java.time.ZoneId)}.
     */
    private static final Set<String> PROBE_FIELDS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            // exec
            "ppid", "uid", "filename", "argv", "args_truncated", "filename_truncated", "retval", "error",
            // exit
            "exit_code", "signal", "signal_name", "core_dumped", "lifetime_ns",
            // open
            "syscall", "path", "path_truncated", "flags", "flags_text", "mode", "resolve", "dfd", "fd",
            // tls
            "direction", "function", "library", "conn", "len", "payload_len", "truncated", "latency_ns", "fd_type",
            "read_failed",
            // unix
            "sock_type", "path_owner", "peer_pid", "sock", "peer_sock", "inode", "peer_inode", "buf_len",
            // tcp
            "event", "family", "saddr", "sport", "daddr", "dport", "oldstate", "newstate", "owner_known",
            "duration_ns", "bytes_acked", "bytes_received", "retransmits", "srtt_us",
            // dns
            "source", "parent_comm", "query", "qtype", "server", "client", "id", "qr", "opcode", "rcode", "answers",
            "parse_error", "rc", "answers_truncated", "query_truncated",
            // tracepoint:GROUP:NAME (its own fields come from the capture header: see RecordDecoder.fieldNames)
            "tracepoint", "record_truncated",
            // uprobe:PATH:SYMBOL, uretprobe:PATH:SYMBOL
            "binary", "phase", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "ret", "entry_seen", "buf_addr",
            "buf_size",
            // bench
            "index", "burst")));

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

    /** The own field names of the shipped probes, sorted. */
    public static Set<String> probeFieldNames() {
        return PROBE_FIELDS;
    }
}
