package io.bpfscope.filter;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time as written in a filter, standing for the whole interval its
 * precision covers: {@code 10:43} is the minute [10:43:00, 10:44:00),
 * {@code 2026-11-25} the day, {@code 10:43:27.5} a tenth of a second. So
 * {@code time == 10:43:27} is true all through that second, and
 * {@code time <= 10:43} up to its last nanosecond.
 *
 * <p>Either absolute (a date, with or without a time and offset; without an
 * offset it is read in the zone the filter was compiled for) or a time of day
 * (compared with the event's wall-clock time of day in that zone, whatever
 * the date). Bounds are nanoseconds: since the epoch, or since midnight.
 * Immutable.
 */
final class TimeSpan {
    /** Date, then optionally time (minutes, seconds, fraction) and offset. */
    private static final Pattern ABSOLUTE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})"
            + "(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?([Zz]|[+-]\\d{2}(?::?\\d{2})?)?)?");
    private static final Pattern TIME_OF_DAY = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    final boolean timeOfDay;
    final long start;
    final long end;

    private TimeSpan(boolean timeOfDay, long start, long end) {
        this.timeOfDay = timeOfDay;
        this.start = start;
        this.end = end;
    }

    /** The span {@code text} denotes, or null when it is not a time. */
    static TimeSpan parse(String text, ZoneId zone) {
        try {
            Matcher m = TIME_OF_DAY.matcher(text);
            if (m.matches()) {
                LocalTime time = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), nanos(m.group(4)));
                return new TimeSpan(true, time.toNanoOfDay(), time.toNanoOfDay() + precision(m.group(3), m.group(4)));
            }
            m = ABSOLUTE.matcher(text);
            if (!m.matches()) {
                return null;
            }
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return new TimeSpan(false, epochNanos(date.atStartOfDay(zone).toInstant()),
                        epochNanos(date.plusDays(1).atStartOfDay(zone).toInstant()));
            }
            LocalDateTime local = date.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos(m.group(7)));
            Instant instant = m.group(8) == null ? local.atZone(zone).toInstant()
                    : local.toInstant(ZoneOffset.of(m.group(8).equals("z") ? "Z" : m.group(8)));
            long from = epochNanos(instant);
            return new TimeSpan(false, from, saturatedAdd(from, precision(m.group(6), m.group(7))));
        } catch (DateTimeException e) {
            return null; // 25:00, February 30th, offset +19:00
        }
    }

    /** True when {@code value} (nanoseconds of the same kind as the bounds) stands in relation to this span. */
    boolean holds(Relation relation, long value) {
        return switch (relation) {
            case EQ -> value >= start && value < end;
            case NE -> value < start || value >= end;
            case LT -> value < start;
            case LE -> value < end;
            case GT -> value >= end;
            case GE -> value >= start;
        };
    }

    /** Nanoseconds since the epoch, saturating at the ends of a long (years before 1678 or after 2261). */
    static long epochNanos(Instant time) {
        long seconds = time.getEpochSecond();
        if (seconds >= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        return seconds * NANOS_PER_SECOND + time.getNano();
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        return Integer.parseInt((fraction + "000000000").substring(0, 9));
    }

    /** How long the written precision spans: a minute, a second, or 10^-n s for n fraction digits. */
    private static long precision(String seconds, String fraction) {
        if (seconds == null) {
            return 60 * NANOS_PER_SECOND;
        }
        if (fraction == null) {
            return NANOS_PER_SECOND;
        }
        long p = 1;
        for (int i = fraction.length(); i < 9; i++) {
            p *= 10;
        }
        return p;
    }
}
