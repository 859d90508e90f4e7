package io.bpfscope.sql;

import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.probes.EventDecoder;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.tracepoint.TracepointDecoder;
import io.bpfscope.probes.tracepoint.TracepointFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SQL table of one probe: the columns every event has ({@link #COMMON}),
 * then the probe's declared fields with their SQL types, then the payload.
 * A tracepoint's fields come from the format its capture header stored.
 * The same columns go into the Parquet dataset. Immutable.
 *
 * @param name  the table's name: the probe's, made a plain SQL identifier ({@link #tableName})
 * @param probe the probe's name as events carry it, e.g. {@code tracepoint:sched:sched_process_fork}
 */
public record ProbeTable(String name, String probe, List<Column> fields) {
    /** A column: its name and SQL type. */
    public record Column(String name, SqlType type) {
    }

    /** The SQL types bpfscope's values map to. */
    public enum SqlType {
        BIGINT("BIGINT"), HUGEINT("HUGEINT"), INTEGER("INTEGER"), VARCHAR("VARCHAR"), BOOLEAN("BOOLEAN"),
        BLOB("BLOB"), TIMESTAMP_NS("TIMESTAMP_NS"), VARCHAR_LIST("VARCHAR[]"), BIGINT_LIST("BIGINT[]");

        final String sql;

        SqlType(String sql) {
            this.sql = sql;
        }

        /** The type as DuckDB writes it, e.g. {@code VARCHAR[]}. */
        public String sql() {
            return sql;
        }
    }

    /** Every event's columns before the probe's fields (the events view adds {@code probe}). */
    public static final List<Column> COMMON = List.of(
            new Column("seq", SqlType.BIGINT), new Column("time", SqlType.TIMESTAMP_NS),
            new Column("host", SqlType.VARCHAR), new Column("pid", SqlType.INTEGER), new Column("tid", SqlType.INTEGER),
            new Column("uid", SqlType.BIGINT), new Column("comm", SqlType.VARCHAR), new Column("summary", SqlType.VARCHAR));

    /** Every event's columns after the probe's fields: NULL for an event without payload. */
    public static final List<Column> PAYLOAD = List.of(
            new Column("payload", SqlType.BLOB), new Column("payload_len", SqlType.BIGINT),
            new Column("truncated", SqlType.BOOLEAN));

    /** The tables that are not a probe's. */
    static final Set<String> RESERVED = Set.of("events");

    /** Every column in order: common, fields, payload. */
    public List<Column> columns() {
        List<Column> all = new ArrayList<>(COMMON);
        all.addAll(fields);
        all.addAll(PAYLOAD);
        return all;
    }

    /**
     * The table of the probe {@code entry} in a capture header names. A declared
     * field that has the name of a common column (exec's {@code uid}, tls's
     * {@code payload_len}) is that column, not a second one.
     */
    public static ProbeTable of(CaptureHeader.ProbeEntry entry) {
        Map<String, SqlType> fields = new LinkedHashMap<>();
        ProbeDeclaration declaration = ProbeCatalog.declaration(entry.name());
        for (FieldSpec field : declaration.fields()) {
            fields.put(field.name(), typeOf(field.type()));
        }
        EventDecoder decoder = ProbeCatalog.decoderFor(entry.kind(), entry.target(), entry.format()).orElse(null);
        if (decoder instanceof TracepointDecoder tracepoint) {
            fields.remove("record_truncated"); // the format's fields come before it, as in the events
            TracepointFormat format = tracepoint.format();
            for (TracepointFormat.Field field : format.ownFields()) {
                fields.put(TracepointDecoder.fieldName(field.name()), typeOf(field));
            }
            for (TracepointFormat.Field field : TracepointDecoder.userStringFields(format)) {
                fields.put(TracepointDecoder.fieldName(field.name()), SqlType.VARCHAR); // the string read, not the pointer
            }
            fields.put("record_truncated", SqlType.BOOLEAN);
        }
        List<Column> columns = new ArrayList<>();
        Set<String> taken = new java.util.HashSet<>();
        COMMON.forEach(c -> taken.add(c.name()));
        PAYLOAD.forEach(c -> taken.add(c.name()));
        taken.add("probe");
        fields.forEach((name, type) -> {
            if (!taken.contains(name)) {
                columns.add(new Column(name, type));
            }
        });
        return new ProbeTable(tableName(entry.name()), entry.name(), columns);
    }

    /**
     * A probe's table name: its name where that is a plain identifier ({@code exec}, {@code tls});
     * for the parameterised forms the kind and the target, lower case, other characters as {@code _}:
     * {@code tracepoint:sched:sched_process_fork} is {@code tracepoint_sched_sched_process_fork},
     * {@code uretprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:getaddrinfo} is
     * {@code uretprobe_libc_so_6_getaddrinfo} (the file's base name only).
     */
    public static String tableName(String probe) {
        String name = probe;
        int first = probe.indexOf(':');
        int last = probe.lastIndexOf(':');
        if (first > 0 && last > first && (probe.startsWith("uprobe:") || probe.startsWith("uretprobe:"))) {
            String path = probe.substring(first + 1, last);
            name = probe.substring(0, first) + "_" + path.substring(path.lastIndexOf('/') + 1) + "_" + probe.substring(last + 1);
        }
        String plain = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
        if (plain.isEmpty() || !Character.isLetter(plain.charAt(0))) {
            plain = "probe_" + plain;
        }
        return RESERVED.contains(plain) ? plain + "_probe" : plain;
    }

    private static SqlType typeOf(FieldSpec.Type type) {
        switch (type) {
            case NUMBER: return SqlType.BIGINT;
            case FLAG: return SqlType.BOOLEAN;
            case LIST: return SqlType.VARCHAR_LIST;
            default: return SqlType.VARCHAR;
        }
    }

    /** A tracepoint field's type, as {@code TracepointDecoder} gives its values. */
    private static SqlType typeOf(TracepointFormat.Field field) {
        switch (field.kind()) {
            case INTEGER:
                return field.elementSize() == 8 && !field.signed() ? SqlType.HUGEINT : SqlType.BIGINT; // u64 may pass 2^63
            case POINTER:
            case CHAR_ARRAY:
            case DATA_LOC_STRING:
                return SqlType.VARCHAR;
            case ARRAY:
                return SqlType.BIGINT_LIST;
            case DATA_LOC_ARRAY:
                return field.elementSize() == 1 ? SqlType.BLOB : SqlType.BIGINT_LIST;
            default:
                return SqlType.BLOB;
        }
    }
}
