package io.bpfscope.filter;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled filter is a tree of these. Fields were resolved when it was
 * compiled: the fixed numeric and text fields have their own nodes that read
 * the record directly (no map, no boxing); probe fields go through
 * {@link FieldTest}. Immutable and safe for concurrent use.
 */
abstract class Node {
    abstract boolean test(Evaluation ev);

    static final Node TRUE = new Node() {
        @Override
        boolean test(Evaluation ev) {
            return true;
        }
    };

    /** {@code a && b && c}: operands in an array, so that a long chain is not a deep tree. */
    static final class All extends Node {
        private final Node[] operands;

        All(List<Node> operands) {
            this.operands = operands.toArray(new Node[0]);
        }

        @Override
        boolean test(Evaluation ev) {
            for (Node operand : operands) {
                if (!operand.test(ev)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code a || b || c}. */
    static final class Any extends Node {
        private final Node[] operands;

        Any(List<Node> operands) {
            this.operands = operands.toArray(new Node[0]);
        }

        @Override
        boolean test(Evaluation ev) {
            for (Node operand : operands) {
                if (operand.test(ev)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class Not extends Node {
        private final Node inner;

        Not(Node inner) {
            this.inner = inner;
        }

        @Override
        boolean test(Evaluation ev) {
            return !inner.test(ev);
        }
    }

    /** The fixed integer fields every event has. */
    enum LongField {
        SEQ, PID, TID, UID;

        long get(DecodedRecord r) {
            return switch (this) {
                case SEQ -> r.seq();
                case PID -> r.event().header().pid();
                case TID -> r.event().header().tid();
                case UID -> r.event().header().uid();
            };
        }
    }

    /** The fixed text fields every event has. */
    enum TextField {
        PROBE, COMM, HOST, STREAM;

        /** The field's text; null when the event has none (a stream for an event in no conversation). */
        String get(DecodedRecord r) {
            return switch (this) {
                case PROBE -> r.probe();
                case HOST -> r.host();
                case COMM -> r.event().header().comm();
                // the key Follow uses, as the event's probe declares it: tls/PID/CONN, tcp/SOCK, unix/...
                case STREAM -> ProbeCatalog.declaration(r.probe()).streamKey().of(r.event()).orElse(null);
            };
        }
    }

    static final class LongCompare extends Node {
        private final LongField field;
        private final Relation relation;
        private final long value;

        LongCompare(LongField field, Relation relation, long value) {
            this.field = field;
            this.relation = relation;
            this.value = value;
        }

        @Override
        boolean test(Evaluation ev) {
            return relation.holds(Long.compare(field.get(ev.record), value));
        }
    }

    /** {@code pid in {1 2 1000..2000}}: single values sorted for a binary search, then the ranges. */
    static final class LongIn extends Node {
        private final LongField field;
        private final long[] singles;
        private final long[] lows;
        private final long[] highs;

        LongIn(LongField field, long[] singles, long[] lows, long[] highs) {
            this.field = field;
            this.singles = singles.clone();
            Arrays.sort(this.singles);
            this.lows = lows;
            this.highs = highs;
        }

        @Override
        boolean test(Evaluation ev) {
            long v = field.get(ev.record);
            if (Arrays.binarySearch(singles, v) >= 0) {
                return true;
            }
            for (int i = 0; i < lows.length; i++) {
                if (v >= lows[i] && v <= highs[i]) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class TextCompare extends Node {
        private final TextField field;
        private final Relation relation;
        private final String value;

        TextCompare(TextField field, Relation relation, String value) {
            this.field = field;
            this.relation = relation;
            this.value = value;
        }

        @Override
        boolean test(Evaluation ev) {
            String s = field.get(ev.record);
            if (s == null) {
                return false;
            }
            return switch (relation) {
                case EQ -> s.equals(value);
                case NE -> !s.equals(value);
                default -> relation.holds(s.compareTo(value));
            };
        }
    }

    static final class TextContains extends Node {
        private final TextField field;
        private final String value;

        TextContains(TextField field, String value) {
            this.field = field;
            this.value = value;
        }

        @Override
        boolean test(Evaluation ev) {
            String s = field.get(ev.record);
            return s != null && s.contains(value);
        }
    }

    static final class TextMatches extends Node {
        private final TextField field;
        /** A Matcher is not thread-safe but reusable: one per thread saves an allocation per event. */
        private final ThreadLocal<Matcher> matchers;

        TextMatches(TextField field, Pattern pattern) {
            this.field = field;
            this.matchers = ThreadLocal.withInitial(() -> pattern.matcher(""));
        }

        @Override
        boolean test(Evaluation ev) {
            String s = field.get(ev.record);
            return s != null && matchers.get().reset(s).find();
        }
    }

    /** {@code comm in {bash sshd "a".."f"}}. */
    static final class TextIn extends Node {
        private final TextField field;
        private final Set<String> singles;
        private final String[] lows;
        private final String[] highs;

        TextIn(TextField field, Set<String> singles, List<String> lows, List<String> highs) {
            this.field = field;
            this.singles = Set.copyOf(singles);
            this.lows = lows.toArray(new String[0]);
            this.highs = highs.toArray(new String[0]);
        }

        @Override
        boolean test(Evaluation ev) {
            String s = field.get(ev.record);
            if (s == null) {
                return false;
            }
            if (singles.contains(s)) {
                return true;
            }
            for (int i = 0; i < lows.length; i++) {
                if (s.compareTo(lows[i]) >= 0 && s.compareTo(highs[i]) <= 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code time} against a {@link TimeSpan}: absolute, or the time of day in a zone. */
    static final class TimeTest extends Node {
        private final Relation relation;
        private final TimeSpan span;
        private final ZoneRules rules;
        private final int fixedOffset; // seconds, when the zone has one offset all year

        TimeTest(Relation relation, TimeSpan span, ZoneId zone) {
            this.relation = relation;
            this.span = span;
            this.rules = zone.getRules();
            this.fixedOffset = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : 0;
        }

        @Override
        boolean test(Evaluation ev) {
            Instant time = ev.record.time();
            if (time == null) {
                return false;
            }
            if (!span.timeOfDay) {
                return span.holds(relation, TimeSpan.epochNanos(time));
            }
            int offset = rules.isFixedOffset() ? fixedOffset : rules.getOffset(time).getTotalSeconds();
            long secondOfDay = Math.floorMod(time.getEpochSecond() + offset, 86_400L);
            return span.holds(relation, secondOfDay * 1_000_000_000L + time.getNano());
        }
    }

    /** The event has the field. */
    static final class Present extends Node {
        private final ValueSource source;

        Present(ValueSource source) {
            this.source = source;
        }

        @Override
        boolean test(Evaluation ev) {
            return source.get(ev) != null;
        }
    }

    /**
     * A field typed at run time. False when the event lacks it. A list (argv)
     * passes when any element does; negated ({@code !=}), when none does.
     */
    static final class FieldTest extends Node {
        private final ValueSource source;
        private final ValueCheck check;
        private final boolean negated;

        FieldTest(ValueSource source, ValueCheck check, boolean negated) {
            this.source = source;
            this.check = check;
            this.negated = negated;
        }

        @Override
        boolean test(Evaluation ev) {
            Object value = source.get(ev);
            if (value == null) {
                return false;
            }
            if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (element != null && check.test(element)) {
                        return !negated;
                    }
                }
                return negated;
            }
            return check.test(value) != negated;
        }
    }
}
