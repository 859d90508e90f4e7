package io.bpfscope.filter;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * A value as written in a filter, with every reading it allows: the event's
 * value decides which one counts ({@code 80} is a number for a port and the
 * text "80" for a string field). Quoted or not makes no difference except
 * for bytes: {@code 48:54} is two bytes, {@code "48:54"} five characters.
 * Immutable.
 */
final class Literal {
    final Lexer.Token token;
    /** The text: a string's content, a bare word as typed. */
    final String text;
    /** Hex bytes as written ({@code 48:54:54:50}, {@code 48-54}), else what {@link #text} spells. */
    final byte[] bytes;
    final boolean hasNumber;
    final long number;
    /** True when {@link #text} looks like an integer but does not fit in 64 bits. */
    final boolean numberTooLarge;
    final boolean hasDuration;
    final long durationNanos;
    /** {@code true}/{@code false}, else null. */
    final Boolean bool;
    /** An IPv4/IPv6 address or network, else null. */
    final Address address;

    private Literal(Lexer.Token token) {
        this.token = token;
        boolean quoted = token.kind() == Lexer.Kind.STRING;
        text = quoted ? token.value() : token.text();
        byte[] hex = quoted ? null : hexBytes(text);
        bytes = hex != null ? hex : quoted ? token.bytes() : text.getBytes(StandardCharsets.UTF_8);
        Long n = null;
        boolean tooLarge = false;
        if (isInteger(text)) {
            n = integer(text);
            tooLarge = n == null;
        }
        hasNumber = n != null;
        number = n != null ? n : 0;
        numberTooLarge = tooLarge;
        Long d = duration(text);
        hasDuration = d != null;
        durationNanos = d != null ? d : 0;
        bool = text.equalsIgnoreCase("true") ? Boolean.TRUE : text.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        address = Address.parse(text);
    }

    static Literal of(Lexer.Token token) {
        return new Literal(token);
    }

    /** How the literal was written, for messages: {@code '80'}, {@code "abc"}. */
    String describe() {
        return token.describe();
    }

    int column() {
        return token.column();
    }

    /** The number this literal stands for when compared with the named field: durations count for {@code *_ns}. */
    boolean hasNumberFor(String field) {
        return hasNumber || hasDuration && isNanosField(field);
    }

    long numberFor(String field) {
        return hasNumber ? number : durationNanos;
    }

    static boolean isNanosField(String field) {
        return field.endsWith("_ns");
    }

    /** {@code 123}, {@code -2}, {@code 0x1F4}. */
    private static boolean isInteger(String s) {
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (s.length() > i + 2 && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            for (int j = i + 2; j < s.length(); j++) {
                if (hexDigit(s.charAt(j)) < 0) {
                    return false;
                }
            }
            return true;
        }
        if (s.length() == i) {
            return false;
        }
        for (int j = i; j < s.length(); j++) {
            if (s.charAt(j) < '0' || s.charAt(j) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The value of an {@link #isInteger} text, or null when it does not fit; hex may use all 64 bits. */
    private static Long integer(String s) {
        boolean negative = s.startsWith("-");
        String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        try {
            if (digits.length() > 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
                long v = Long.parseUnsignedLong(digits.substring(2), 16);
                if (negative && v < 0) {
                    return null;
                }
                return negative ? -v : v;
            }
            return Long.parseLong(negative ? "-" + digits : digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A duration in nanoseconds: {@code 10ms}, {@code 1.5s}, {@code 250us}, {@code 800ns}, {@code 2m}, {@code 1h}. */
    private static Long duration(String s) {
        int end = 0;
        while (end < s.length() && (s.charAt(end) >= '0' && s.charAt(end) <= '9' || s.charAt(end) == '.')) {
            end++;
        }
        if (end == 0 || end == s.length()) {
            return null;
        }
        long unit = switch (s.substring(end)) {
            case "ns" -> 1;
            case "us", "µs" -> 1_000;
            case "ms" -> 1_000_000;
            case "s" -> 1_000_000_000;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0;
        };
        if (unit == 0) {
            return null;
        }
        try {
            BigDecimal nanos = new BigDecimal(s.substring(0, end)).multiply(BigDecimal.valueOf(unit));
            return nanos.stripTrailingZeros().scale() > 0 ? null : nanos.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Two or more hex pairs joined by ':' or '-': {@code 48:54:54:50}; else null. */
    static byte[] hexBytes(String s) {
        if (s.length() < 5 || (s.length() + 1) % 3 != 0) {
            return null;
        }
        char separator = s.charAt(2);
        if (separator != ':' && separator != '-') {
            return null;
        }
        byte[] out = new byte[(s.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            int at = i * 3;
            int hi = hexDigit(s.charAt(at));
            int lo = hexDigit(s.charAt(at + 1));
            if (hi < 0 || lo < 0 || at + 2 < s.length() && s.charAt(at + 2) != separator) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** 0..15 for an ASCII hex digit, else -1. */
    static int hexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -1;
    }
}
