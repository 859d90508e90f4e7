package io.bpfscope.ui.filter;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A span of wall-clock time (dragged on the timeline), both ends included. It restricts the table as
 * text in the filter bar, {@link #expression()}, and is read back from that text to shade the timeline.
 */
public record TimeRange(Instant from, Instant to) {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    /** To the nanosecond where the ends have it, so the text restricts the table exactly as the span does. */
    private static final DateTimeFormatter FILTER_TIME = new java.time.format.DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 3, 9, true)
            .toFormatter().withZone(ZoneId.systemDefault());
    /** {@code time >= 2026-11-29T10:43:27.125 && time <= 2026-11-29T10:43:28.5004}, as {@link #expression} writes it. */
    private static final java.util.regex.Pattern EXPRESSION = java.util.regex.Pattern.compile(
            "time >= (\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3,9}) && time <= (\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.(\\d{3,9}))");

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

    /**
     * The span in the filter language, in the local zone (as the filter reads a time without an offset),
     * to the millisecond or finer where the ends need it: {@code time >= 2026-11-29T10:43:27.125 && time
     * <= 2026-11-29T10:43:28.500}, where the upper bound stands for the whole last unit written.
     */
    public String expression() {
        return "time >= " + FILTER_TIME.format(from) + " && time <= " + FILTER_TIME.format(to);
    }

    /** The pattern of {@link #expression()}, to find (and replace) a span in filter text. */
    static java.util.regex.Pattern expressionPattern() {
        return EXPRESSION;
    }

    /** The span an {@link #expression()} in {@code text} stands for, or null when there is none. */
    public static TimeRange in(String text) {
        java.util.regex.Matcher m = EXPRESSION.matcher(text == null ? "" : text);
        if (!m.find()) {
            return null;
        }
        try {
            Instant from = java.time.LocalDateTime.parse(m.group(1)).atZone(ZoneId.systemDefault()).toInstant();
            Instant to = java.time.LocalDateTime.parse(m.group(2)).atZone(ZoneId.systemDefault()).toInstant();
            // the upper bound stands for the whole last unit written: .5 up to .599999999
            return new TimeRange(from, to.plusNanos((long) Math.pow(10, 9 - m.group(3).length()) - 1));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
