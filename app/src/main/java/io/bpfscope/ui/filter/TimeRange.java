package io.bpfscope.ui.filter;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** A span of wall-clock time the table is restricted to (dragged on the timeline), both ends included. */
public record TimeRange(Instant from, Instant to) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    public TimeRange {
        if (to.isBefore(from)) {
            Instant swap = from;
            from = to;
            to = swap;
        }
    }

    public static TimeRange ofEpochMillis(double fromMillis, double toMillis) {
        return new TimeRange(instant(fromMillis), instant(toMillis));
    }

    private static Instant instant(double millis) {
        long nanos = (long) (millis * 1_000_000d);
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    public boolean contains(Instant time) {
        return !time.isBefore(from) && !time.isAfter(to);
    }

    /** e.g. {@code 11:12:45.924 – 11:12:46.510}. */
    public String label() {
        return CLOCK.format(from) + " – " + CLOCK.format(to);
    }
}
