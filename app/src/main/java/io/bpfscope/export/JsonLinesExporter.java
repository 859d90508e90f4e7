package io.bpfscope.export;

import com.google.gson.stream.JsonWriter;
import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.CStrings;
import io.bpfscope.probes.DecodedEvent;
import io.bpfscope.probes.EventHeader;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * JSON Lines: one object per event with {@code seq}, {@code time} (ISO-8601,
 * UTC, nanoseconds), {@code host} (its capture's hostname), {@code probe}, {@code pid}, {@code tid}, {@code comm},
 * then the probe's own fields; a payload as base64 in {@code payload} with
 * {@code payload_len} (its length before any cut) and {@code truncated}.
 * Text a process chose (comm, argv, paths) may hold bytes that are not UTF-8:
 * such a field is written with U+FFFD for each of those bytes, and beside it
 * {@code <name>_b64} holds the exact bytes in base64 (for a list, an array with
 * one entry per item). Fields of valid UTF-8 have no {@code _b64} twin.
 * Not thread-safe.
 */
public final class JsonLinesExporter implements AutoCloseable {
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Writer out;
    // One line is built here, then copied out whole: flushing a JsonWriter on the
    // output itself would push every line through to the file.
    private final CharArrayWriter line = new CharArrayWriter(512);
    private static final ThreadLocal<TimeText> TIME_TEXT = ThreadLocal.withInitial(TimeText::new);

    public JsonLinesExporter(Writer out) {
        this.out = out;
    }

    public void write(DecodedRecord record) throws IOException {
        line.reset();
        JsonWriter json = new JsonWriter(line);
        json.setHtmlSafe(false);
        DecodedEvent event = record.event();
        EventHeader header = event.header();
        json.beginObject();
        json.name("seq").value(record.seq());
        json.name("time").value(formatTime(record.time()));
        writeField(json, "host", record.host());
        json.name("probe").value(record.probe());
        json.name("pid").value(header.pid());
        json.name("tid").value(header.tid());
        writeField(json, "comm", header.comm());
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            writeField(json, field.getKey(), field.getValue());
        }
        DecodedEvent.Payload payload = event.payload();
        if (payload != null) {
            json.name("payload").value(Base64.getEncoder().encodeToString(payload.bytes()));
            json.name("payload_len").value(payload.originalLength());
            json.name("truncated").value(payload.truncated());
        }
        json.endObject();
        json.flush();
        line.write('\n');
        line.writeTo(out);
    }

    /** ISO-8601 in UTC with all nine digits of nanoseconds, e.g. {@code 2026-11-25T10:43:27.209278122Z}. */
    public static String formatTime(Instant time) {
        return TIME_TEXT.get().format(time);
    }

    /** Formats times fast: the date and time of day change once a second, so only the nanoseconds are new. */
    private static final class TimeText {
        private long second = Long.MIN_VALUE;
        private String prefix;
        private final char[] text = new char[30];

        String format(Instant time) {
            if (time.getEpochSecond() != second) {
                second = time.getEpochSecond();
                prefix = TIME.format(Instant.ofEpochSecond(second)).substring(0, 20); // "yyyy-MM-ddTHH:mm:ss."
                prefix.getChars(0, 20, text, 0);
            }
            int nanos = time.getNano();
            for (int i = 28; i >= 20; i--) {
                text[i] = (char) ('0' + nanos % 10);
                nanos /= 10;
            }
            text[29] = 'Z';
            return new String(text);
        }
    }

    /** A field, and its exact bytes as {@code name_b64} when it holds text that was not UTF-8. */
    private static void writeField(JsonWriter json, String name, Object value) throws IOException {
        json.name(name);
        writeValue(json, value);
        if (value instanceof String text && CStrings.hasRawBytes(text)) {
            json.name(name + "_b64").value(Base64.getEncoder().encodeToString(CStrings.bytes(text)));
        } else if (value instanceof Collection<?> items && items.stream().anyMatch(i -> i instanceof String t && CStrings.hasRawBytes(t))) {
            json.name(name + "_b64").beginArray();
            for (Object item : items) {
                if (item instanceof String text) {
                    json.value(Base64.getEncoder().encodeToString(CStrings.bytes(text)));
                } else {
                    json.nullValue();
                }
            }
            json.endArray();
        }
    }

    private static void writeValue(JsonWriter json, Object value) throws IOException {
        if (value == null) {
            json.nullValue();
        } else if (value instanceof Integer || value instanceof Long) {
            json.value(((Number) value).longValue()); // the common case, without Number's string detour
        } else if (value instanceof String) {
            json.value(CStrings.replaced((String) value)); // lone surrogates would leave as '?' in UTF-8
        } else if (value instanceof Number) {
            json.value((Number) value);
        } else if (value instanceof Boolean) {
            json.value((Boolean) value);
        } else if (value instanceof byte[]) {
            json.value(Base64.getEncoder().encodeToString((byte[]) value));
        } else if (value instanceof Collection) {
            json.beginArray();
            for (Object item : (Collection<?>) value) {
                writeValue(json, item);
            }
            json.endArray();
        } else {
            json.value(value.toString());
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
