package io.bpfscope.probes.tracepoint;

import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hit of a tracepoint: its fields as its format file names them (common
 * fields left out; a name the capture already uses, such as {@code pid}, gets
 * {@code tp_}), pointers in hex, and the path arguments of syscalls as the
 * strings they pointed to.
 *
 * @param tracepoint      {@code group:name}
 * @param values          the fields in format order
 * @param recordTruncated the record was longer than the probe copies (4 KiB): fields past it are missing
 * @param stringTruncated a user string was cut at 1 KiB
 */
public record TracepointEvent(EventHeader header, String tracepoint, Map<String, Object> values,
                              boolean recordTruncated, boolean stringTruncated) implements DecodedEvent {
    private static final int SUMMARY_MAX = 200;
    private static final int VALUE_MAX = 60;
    private static final int STRING_MAX = 256; // paths and names are what people look for: cut them late

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tracepoint", tracepoint);
        fields.putAll(values);
        if (recordTruncated || stringTruncated) {
            fields.put("record_truncated", recordTruncated);
        }
        return fields;
    }

    @Override
    public Object field(String name) {
        if (name.equals("tracepoint")) {
            return tracepoint;
        }
        if (name.equals("record_truncated")) {
            return recordTruncated || stringTruncated ? recordTruncated : null;
        }
        return values.get(name);
    }

    /** {@code sched:sched_process_fork parent_comm=bash parent_pid=812 child_comm=bash child_pid=9001}, cut short. */
    @Override
    public String summary() {
        StringBuilder text = new StringBuilder(tracepoint);
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (text.length() >= SUMMARY_MAX) {
                text.append(" …");
                break;
            }
            text.append(' ').append(e.getKey()).append('=').append(shown(e.getValue()));
        }
        return text.toString();
    }

    private static String shown(Object value) {
        String text;
        if (value instanceof String s) {
            text = s.isEmpty() || s.indexOf(' ') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\\\"") + '"' : s;
        } else if (value instanceof byte[] bytes) {
            StringBuilder hex = new StringBuilder();
            for (byte b : bytes) {
                hex.append(String.format("%02x", b & 0xff));
            }
            text = hex.toString();
        } else if (value instanceof List<?> list) {
            text = list.toString().replace(" ", "");
        } else {
            text = String.valueOf(value);
        }
        int max = value instanceof String ? STRING_MAX : VALUE_MAX;
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
