package io.bpfscope.filter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test of one value of a field whose Java type is known only at run time
 * (a probe's own fields, {@code len}, {@code payload}). The value's class
 * picks the literal's reading: numbers numerically, strings as text (or as
 * addresses when the literal is one and the string parses), byte arrays
 * bytewise (or as addresses), booleans with true/false. A reading the
 * literal does not have makes the test false. Immutable.
 */
abstract class ValueCheck {
    /** {@code value} is not null and not a list. */
    abstract boolean test(Object value);

    /** {@code == < <= > >=} ({@code !=} is a negated {@code ==}, so that on a list it means "no element equals"). */
    static final class Compare extends ValueCheck {
        private final Relation relation;
        private final boolean hasNumber;
        private final long number;
        private final String text;
        private final byte[] bytes;
        private final Boolean bool;
        private final Address address;

        Compare(Relation relation, Literal literal, String field) {
            this.relation = relation;
            this.hasNumber = literal.hasNumberFor(field);
            this.number = literal.numberFor(field);
            this.text = literal.text;
            this.bytes = literal.bytes;
            this.bool = literal.bool;
            this.address = literal.address;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof Integer i) {
                return hasNumber && relation.holds(Long.compare(i, number));
            }
            if (value instanceof Long l) {
                return hasNumber && relation.holds(Long.compare(l, number));
            }
            if (value instanceof String s) {
                if (address != null) {
                    Address a = Address.parseValue(s);
                    if (a != null) {
                        return holds(a);
                    }
                }
                return relation == Relation.EQ ? s.equals(text) : relation.holds(s.compareTo(text));
            }
            if (value instanceof byte[] b) {
                if (address != null) {
                    Address a = Address.of(b);
                    if (a != null) {
                        return holds(a);
                    }
                }
                return relation.holds(Arrays.compareUnsigned(b, bytes));
            }
            if (value instanceof Boolean b) {
                return bool != null && relation.holds(Boolean.compare(b, bool));
            }
            if (value instanceof Double || value instanceof Float) {
                return hasNumber && relation.holds(Double.compare(((Number) value).doubleValue(), number));
            }
            if (value instanceof Number n) {
                return hasNumber && relation.holds(Long.compare(n.longValue(), number));
            }
            return relation.holds(value.toString().compareTo(text));
        }

        /** A network literal is its whole range: {@code ==} is "in it", {@code <} "before its first address". */
        private boolean holds(Address value) {
            return switch (relation) {
                case EQ -> address.contains(value);
                case NE -> !address.contains(value);
                case LT -> value.compareTo(address.first()) < 0;
                case LE -> value.compareTo(address.last()) <= 0;
                case GT -> value.compareTo(address.last()) > 0;
                case GE -> value.compareTo(address.first()) >= 0;
            };
        }
    }

    /** Text in strings, bytes in byte arrays. */
    static final class Contains extends ValueCheck {
        private final String text;
        private final byte[] bytes;

        Contains(Literal literal) {
            this.text = literal.text;
            this.bytes = literal.bytes;
        }

        @Override
        boolean test(Object value) {
            if (value instanceof String s) {
                return s.contains(text);
            }
            if (value instanceof byte[] b) {
                return indexOf(b, bytes) >= 0;
            }
            if (value instanceof Number || value instanceof Boolean) {
                return false;
            }
            return value.toString().contains(text);
        }
    }

    /** A regular expression found in a string, or in bytes read as ISO-8859-1. */
    static final class Matches extends ValueCheck {
        /** A Matcher is not thread-safe but reusable: one per thread saves an allocation per event. */
        private final ThreadLocal<Matcher> matchers;

        Matches(Pattern pattern) {
            this.matchers = ThreadLocal.withInitial(() -> pattern.matcher(""));
        }

        @Override
        boolean test(Object value) {
            if (value instanceof Number || value instanceof Boolean) {
                return false;
            }
            CharSequence text = value instanceof String s ? s
                    : value instanceof byte[] b ? new Latin1(b)
                    : value.toString();
            return matchers.get().reset(text).find();
        }
    }

    /** {@code lo..hi}: both bounds included. */
    static final class Range extends ValueCheck {
        private final Compare low;
        private final Compare high;

        Range(Literal low, Literal high, String field) {
            this.low = new Compare(Relation.GE, low, field);
            this.high = new Compare(Relation.LE, high, field);
        }

        @Override
        boolean test(Object value) {
            return low.test(value) && high.test(value);
        }
    }

    /** Any of a set's members. */
    static final class AnyOf extends ValueCheck {
        private final ValueCheck[] members;

        AnyOf(ValueCheck[] members) {
            this.members = members;
        }

        @Override
        boolean test(Object value) {
            for (ValueCheck member : members) {
                if (member.test(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Where {@code needle} starts in {@code haystack}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Bytes as ISO-8859-1 characters, without copying them into a String. */
    static final class Latin1 implements CharSequence {
        private final byte[] bytes;
        private final int from;
        private final int to;

        Latin1(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Latin1(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
        }

        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return (char) (bytes[from + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1(bytes, from + start, from + end);
        }

        @Override
        public String toString() {
            return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
