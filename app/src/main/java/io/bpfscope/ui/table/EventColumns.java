package io.bpfscope.ui.table;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.DecodedEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

/**
 * The table's columns: what each shows, and the filter field a cell's value
 * compares with for "Apply as filter". Stateless.
 */
public final class EventColumns {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS")
            .withZone(ZoneId.systemDefault());

    /** A column: its title, the filter field (null when a cell is not a filter value), width and value. */
    public record Column(String title, String field, double width, Function<DecodedRecord, Object> value) {
    }

    public static final Column SEQ = new Column("seq", "seq", 70, DecodedRecord::seq);
    public static final Column TIME = new Column("time", null, 118, r -> clock(r.time()));
    /** Shown specially: it needs the row above. */
    public static final Column DELTA = new Column("delta", null, 80, r -> "");
    /** Shown while the capture holds more than one host's events. */
    public static final Column HOST = new Column("host", "host", 120, r -> io.bpfscope.probes.CStrings.replaced(r.host()));
    public static final Column PROBE = new Column("probe", "probe", 56, DecodedRecord::probe);
    public static final Column PID = new Column("pid", "pid", 64, r -> r.event().header().pid());
    public static final Column TID = new Column("tid", "tid", 64, r -> r.event().header().tid());
    public static final Column COMM = new Column("comm", "comm", 110, r -> io.bpfscope.probes.CStrings.replaced(r.event().header().comm())); // bytes that were not UTF-8 show as U+FFFD
    public static final Column SUMMARY = new Column("summary", null, 620, r -> io.bpfscope.probes.CStrings.replaced(r.event().summary()));
    public static final Column LENGTH = new Column("length", "len", 64, EventColumns::payloadLength);

    private EventColumns() {
    }

    public static List<Column> all() {
        return List.of(SEQ, TIME, DELTA, HOST, PROBE, PID, TID, COMM, SUMMARY, LENGTH);
    }

    public static String clock(Instant time) {
        return CLOCK.format(time);
    }

    /** Seconds from {@code previous} to {@code time}, to the microsecond: {@code 0.000123}. */
    public static String delta(Instant previous, Instant time) {
        Duration d = Duration.between(previous, time);
        long micros = d.toNanos() / 1000;
        String sign = micros < 0 ? "-" : "";
        micros = Math.abs(micros);
        return String.format("%s%d.%06d", sign, micros / 1_000_000, micros % 1_000_000);
    }

    /** The payload's length as sent (before any cut), or empty when the event carries none. */
    static Object payloadLength(DecodedRecord record) {
        DecodedEvent.Payload payload = record.event().payload();
        return payload == null ? "" : payload.originalLength();
    }
}
