package io.bpfscope.export;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CSV (RFC 4180): a header row, then one row per event, one column per field.
 * The columns are the common ones and then every probe field in the order
 * they were first seen, so the caller gives them up front ({@link #columnsOf}).
 * Fields an event lacks are empty. Lists are joined with spaces; bytes are base64.
 * Text that a spreadsheet would run as a formula (it starts with {@code = + - @},
 * TAB or CR) gets a leading {@code '}, as OWASP recommends against CSV injection;
 * a field whose value is a number is written as is, so {@code -5} stays a number.
 * Not thread-safe.
 */
public final class CsvExporter implements AutoCloseable {
    public static final List<String> COMMON = List.of("seq", "time", "probe", "pid", "tid", "comm");
    private static final List<String> PAYLOAD = List.of("payload", "payload_len", "truncated");

    private final Writer out;
    private final List<String> fields;
    private final boolean withHost;

    /** @param fields the probe fields, in column order (see {@link #columnsOf}) */
    public CsvExporter(Writer out, List<String> fields) throws IOException {
        this(out, fields, false);
    }

    /**
     * @param withHost a {@code host} column after {@code time}: for a capture of several hosts (a capture
     *                 of one keeps the columns it always had, so scripts that count columns still work)
     */
    public CsvExporter(Writer out, List<String> fields, boolean withHost) throws IOException {
        this.out = out;
        this.fields = List.copyOf(fields);
        this.withHost = withHost;
        List<String> header = new ArrayList<>(COMMON);
        if (withHost) {
            header.add(2, "host");
        }
        header.addAll(this.fields);
        header.addAll(PAYLOAD);
        writeRow(header);
    }

    /** Adds the probe fields of one event to the column list, keeping first-seen order. */
    public static void columnsOf(DecodedEvent event, List<String> columns) {
        for (String name : event.fields().keySet()) {
            if (!columns.contains(name) && !COMMON.contains(name) && !name.equals("host") && !PAYLOAD.contains(name)) {
                columns.add(name);
            }
        }
    }

    public void write(DecodedRecord record) throws IOException {
        DecodedEvent event = record.event();
        EventHeader header = event.header();
        List<String> row = new ArrayList<>(COMMON.size() + fields.size() + PAYLOAD.size());
        row.add(Long.toString(record.seq()));
        row.add(JsonLinesExporter.formatTime(record.time()));
        if (withHost) {
            row.add(inert(CStrings.replaced(record.host())));
        }
        row.add(inert(record.probe()));
        row.add(Integer.toString(header.pid()));
        row.add(Integer.toString(header.tid()));
        row.add(inert(CStrings.replaced(header.comm())));
        Map<String, Object> values = event.fields();
        for (String field : fields) {
            Object value = values.get(field);
            row.add(value instanceof Number ? value.toString() : inert(text(value)));
        }
        DecodedEvent.Payload payload = event.payload();
        row.add(payload == null ? "" : Base64.getEncoder().encodeToString(payload.bytes())); // base64 never starts with a trigger
        row.add(payload == null ? "" : Long.toString(payload.originalLength()));
        row.add(payload == null ? "" : Boolean.toString(payload.truncated()));
        writeRow(row);
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        if (value instanceof Collection) {
            return ((Collection<?>) value).stream().map(v -> CStrings.replaced(String.valueOf(v))).collect(Collectors.joining(" "));
        }
        return CStrings.replaced(value.toString()); // bytes that were not UTF-8 show as U+FFFD
    }

    /** Text a spreadsheet shows as text: a formula trigger at the start gets a leading {@code '}. */
    public static String inert(String text) {
        if (text.isEmpty()) {
            return text;
        }
        switch (text.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r':
                return "'" + text;
            default:
                return text;
        }
    }

    private void writeRow(List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(cells.get(i)));
        }
        out.write("\r\n"); // RFC 4180 line ends
    }

    /** Quotes a cell when it holds a comma, a quote or a line break; quotes inside are doubled. */
    public static String quote(String cell) {
        boolean needs = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0;
        return needs ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
