package io.bpfscope.filter;

import io.bpfscope.filter.FieldCatalog.Type;
import io.bpfscope.filter.Lexer.Kind;
import io.bpfscope.filter.Lexer.Token;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent over the tokens, building the {@link Node} tree as it
 * goes; every check that the fixed fields' types allow happens here, so a
 * compiled filter cannot fail on an event.
 *
 * <pre>
 * filter  = [ or ] END
 * or      = and { ("||" | "or") and }
 * and     = not { ("&amp;&amp;" | "and") not }
 * not     = ("!" | "not") not | "(" or ")" | test
 * test    = FIELD [ relop value | "contains" value | "matches" value | "in" set ]
 * relop   = "==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
 * set     = "{" { value [ ".." value ] [ "," ] } "}"
 * value   = WORD | STRING
 * </pre>
 */
final class Parser {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge",
            "contains", "matches", "in");
    private static final String ORDERED_OPERATORS = "==, !=, <, <=, >, >= or in";
    /** Deeper nesting is no filter a person wrote, and must not overflow the stack. */
    private static final int MAX_DEPTH = 200;

    private final List<Token> tokens;
    private final Set<String> knownFields;
    private final ZoneId zone;
    private int index;
    private int depth;
    /** The field of the last test if it was a bare presence test, for "expected an operator after 'pid'". */
    private Token lastPresence;
    /** The token index just after {@link #lastPresence}. */
    private int presenceEnd = -1;

    private Parser(List<Token> tokens, Set<String> knownFields, ZoneId zone) {
        this.tokens = tokens;
        this.knownFields = knownFields;
        this.zone = zone;
    }

    static Node parse(String text, Set<String> knownFields, ZoneId zone) throws FilterException {
        Parser parser = new Parser(Lexer.tokens(text), knownFields, zone);
        Node root = parser.or(null);
        Token end = parser.peek();
        if (end.kind() != Kind.END) {
            throw parser.unexpectedAfterTest(end, "the end of the filter");
        }
        return root;
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        return tokens.get(index++);
    }

    private static boolean isOr(Token t) {
        return t.kind() == Kind.OR || t.isWord("or");
    }

    private static boolean isAnd(Token t) {
        return t.kind() == Kind.AND || t.isWord("and");
    }

    private static boolean isNot(Token t) {
        return t.kind() == Kind.NOT || t.isWord("not");
    }

    /** @param after the operator before this expression, for messages; null at the start */
    private Node or(Token after) throws FilterException {
        Node first = and(after);
        if (!isOr(peek())) {
            return first;
        }
        List<Node> operands = new ArrayList<>(List.of(first));
        while (isOr(peek())) {
            Token op = next();
            operands.add(and(op));
        }
        return new Node.Any(operands);
    }

    private Node and(Token after) throws FilterException {
        Node first = not(after);
        if (!isAnd(peek())) {
            return first;
        }
        List<Node> operands = new ArrayList<>(List.of(first));
        while (isAnd(peek())) {
            Token op = next();
            operands.add(not(op));
        }
        return new Node.All(operands);
    }

    private Node not(Token after) throws FilterException {
        Token t = peek();
        if (isNot(t) || t.kind() == Kind.LPAREN) {
            if (++depth > MAX_DEPTH) {
                throw new FilterException(t.column(), "expected at most " + MAX_DEPTH
                        + " nested parentheses and negations, found more");
            }
            try {
                return negationOrGroup(t);
            } finally {
                depth--;
            }
        }
        return test(after);
    }

    private Node negationOrGroup(Token t) throws FilterException {
        next();
        if (isNot(t)) {
            return new Node.Not(not(t));
        }
        Node inner = or(t);
        Token close = peek();
        if (close.kind() != Kind.RPAREN) {
            throw unexpectedAfterTest(close, "')' to close '(' at column " + t.column());
        }
        next();
        return inner;
    }

    /** Something other than '&&' or '||' after a test: an operator after a bare field, or junk. */
    private FilterException unexpectedAfterTest(Token found, String closing) {
        if (presenceEnd == index && (found.kind() == Kind.WORD || found.kind() == Kind.STRING)) {
            return new FilterException(found.column(), "expected an operator (==, !=, <, <=, >, >=, contains, "
                    + "matches, in) after '" + lastPresence.text() + "', found " + found.describe());
        }
        if (found.kind() == Kind.RPAREN) {
            return new FilterException(found.column(), "expected '&&', '||' or " + closing
                    + ", found ')' without a '(' before it");
        }
        return new FilterException(found.column(), "expected '&&', '||' or " + closing + ", found " + found.describe());
    }

    private Node test(Token after) throws FilterException {
        Token field = next();
        if (field.kind() != Kind.WORD || KEYWORDS.contains(field.text()) || !isFieldName(field.text())) {
            throw new FilterException(field.column(), "expected a field"
                    + (after == null ? "" : " after '" + after.text() + "'") + ", found " + field.describe());
        }
        String name = field.text();
        Type type = FieldCatalog.fixedField(name).map(FieldCatalog.Field::type).orElse(null);
        if (type == null && !knownFields.contains(name)) {
            throw unknownField(field);
        }
        Token op = peek();
        Relation relation = relation(op);
        if (relation != null) {
            next();
            return compare(name, type, relation, value(op));
        }
        if (op.isWord("contains") || op.isWord("matches")) {
            next();
            if (type == Type.NUMBER || type == Type.TIME) {
                throw new FilterException(op.column(), "'" + op.text() + "' does not apply to " + name + ", "
                        + article(type) + "; expected " + ORDERED_OPERATORS);
            }
            Literal value = value(op);
            return op.isWord("contains") ? contains(name, type, value) : matches(name, type, value);
        }
        if (op.isWord("in")) {
            next();
            return in(name, type);
        }
        lastPresence = field;
        presenceEnd = index;
        return presence(name, type);
    }

    private static boolean isFieldName(String s) {
        char c = s.charAt(0);
        if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static Relation relation(Token t) {
        return switch (t.kind()) {
            case EQ -> Relation.EQ;
            case NE -> Relation.NE;
            case LT -> Relation.LT;
            case LE -> Relation.LE;
            case GT -> Relation.GT;
            case GE -> Relation.GE;
            case WORD -> switch (t.text()) {
                case "eq" -> Relation.EQ;
                case "ne" -> Relation.NE;
                case "lt" -> Relation.LT;
                case "le" -> Relation.LE;
                case "gt" -> Relation.GT;
                case "ge" -> Relation.GE;
                default -> null;
            };
            default -> null;
        };
    }

    private Literal value(Token op) throws FilterException {
        Token t = next();
        if (t.kind() != Kind.WORD && t.kind() != Kind.STRING) {
            throw new FilterException(t.column(), "expected a value after '" + op.text() + "', found " + t.describe());
        }
        return Literal.of(t);
    }

    private static String article(Type type) {
        return switch (type) {
            case NUMBER -> "a number";
            case TIME -> "a time";
            case BYTES -> "bytes";
            case TEXT -> "text";
        };
    }

    // --- building nodes, field by field type

    private static Node presence(String name, Type type) {
        // every event has the other fixed fields
        boolean always = type != null && !name.equals("payload") && !name.equals("len") && !name.equals("ppid")
                && !name.equals("stream");
        return always ? Node.TRUE : new Node.Present(source(name));
    }

    private Node compare(String name, Type type, Relation relation, Literal value) throws FilterException {
        if (type == Type.NUMBER) {
            long n = number(name, value);
            Node.LongField fast = longField(name);
            if (fast != null) {
                return new Node.LongCompare(fast, relation, n);
            }
        } else if (type == Type.TEXT) {
            return new Node.TextCompare(textField(name), relation, value.text);
        } else if (type == Type.TIME) {
            return new Node.TimeTest(relation, time(value), zone);
        }
        if (relation == Relation.NE) {
            return new Node.FieldTest(source(name), new ValueCheck.Compare(Relation.EQ, value, name), true);
        }
        return new Node.FieldTest(source(name), new ValueCheck.Compare(relation, value, name), false);
    }

    private static Node contains(String name, Type type, Literal value) {
        if (type == Type.TEXT) {
            return new Node.TextContains(textField(name), value.text);
        }
        return new Node.FieldTest(source(name), new ValueCheck.Contains(value), false);
    }

    private static Node matches(String name, Type type, Literal value) throws FilterException {
        Pattern pattern;
        try {
            pattern = Pattern.compile(value.text);
        } catch (PatternSyntaxException e) {
            throw new FilterException(value.column(), "expected a regular expression, found " + value.describe()
                    + ": " + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        if (type == Type.TEXT) {
            return new Node.TextMatches(textField(name), pattern);
        }
        return new Node.FieldTest(source(name), new ValueCheck.Matches(pattern), false);
    }

    private Node in(String name, Type type) throws FilterException {
        Token open = next();
        if (open.kind() != Kind.LBRACE) {
            throw new FilterException(open.column(), "expected '{' after 'in', found " + open.describe());
        }
        List<Literal> lows = new ArrayList<>();
        List<Literal> highs = new ArrayList<>(); // null for a single value
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.RBRACE) {
                next();
                break;
            }
            if (t.kind() == Kind.END) {
                throw new FilterException(t.column(), "expected '}' to close '{' at column " + open.column()
                        + ", found the end of the filter");
            }
            if (t.kind() != Kind.WORD && t.kind() != Kind.STRING) {
                throw new FilterException(t.column(), "expected a value or '}' in the set, found " + t.describe());
            }
            Literal low = Literal.of(next());
            Literal high = null;
            if (peek().kind() == Kind.DOTDOT) {
                high = value(next());
            }
            lows.add(low);
            highs.add(high);
            if (peek().kind() == Kind.COMMA) {
                next();
            }
        }
        return set(name, type, lows, highs);
    }

    private Node set(String name, Type type, List<Literal> lows, List<Literal> highs) throws FilterException {
        if (type == Type.NUMBER) {
            List<Long> singles = new ArrayList<>();
            List<Long> rangeLows = new ArrayList<>();
            List<Long> rangeHighs = new ArrayList<>();
            for (int i = 0; i < lows.size(); i++) {
                long low = number(name, lows.get(i));
                if (highs.get(i) == null) {
                    singles.add(low);
                    continue;
                }
                long high = number(name, highs.get(i));
                if (high < low) {
                    throw emptyRange(lows.get(i), highs.get(i));
                }
                rangeLows.add(low);
                rangeHighs.add(high);
            }
            Node.LongField fast = longField(name);
            if (fast != null) {
                return new Node.LongIn(fast, longs(singles), longs(rangeLows), longs(rangeHighs));
            }
        } else if (type == Type.TEXT) {
            Set<String> singles = new HashSet<>();
            List<String> rangeLows = new ArrayList<>();
            List<String> rangeHighs = new ArrayList<>();
            for (int i = 0; i < lows.size(); i++) {
                if (highs.get(i) == null) {
                    singles.add(lows.get(i).text);
                } else {
                    rangeLows.add(lows.get(i).text);
                    rangeHighs.add(highs.get(i).text);
                }
            }
            return new Node.TextIn(textField(name), singles, rangeLows, rangeHighs);
        } else if (type == Type.TIME) {
            List<Node> members = new ArrayList<>();
            for (int i = 0; i < lows.size(); i++) {
                members.add(highs.get(i) == null ? new Node.TimeTest(Relation.EQ, time(lows.get(i)), zone)
                        : new Node.All(List.of(new Node.TimeTest(Relation.GE, time(lows.get(i)), zone),
                                new Node.TimeTest(Relation.LE, time(highs.get(i)), zone))));
            }
            return new Node.Any(members);
        }
        ValueCheck[] members = new ValueCheck[lows.size()];
        for (int i = 0; i < members.length; i++) {
            Literal low = lows.get(i);
            Literal high = highs.get(i);
            if (high != null && low.hasNumberFor(name) && high.hasNumberFor(name)
                    && high.numberFor(name) < low.numberFor(name)) {
                throw emptyRange(low, high);
            }
            members[i] = high == null ? new ValueCheck.Compare(Relation.EQ, low, name)
                    : new ValueCheck.Range(low, high, name);
        }
        return new Node.FieldTest(source(name), new ValueCheck.AnyOf(members), false);
    }

    private static FilterException emptyRange(Literal low, Literal high) {
        return new FilterException(low.column(), "expected a range from low to high, found " + low.token.text()
                + ".." + high.token.text() + ", which is empty");
    }

    private static long[] longs(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static long number(String field, Literal value) throws FilterException {
        if (!value.hasNumber) {
            throw new FilterException(value.column(), "expected a number for " + field + ", found " + value.describe()
                    + (value.numberTooLarge ? ", which does not fit in 64 bits" : ""));
        }
        return value.number;
    }

    private TimeSpan time(Literal value) throws FilterException {
        TimeSpan span = TimeSpan.parse(value.text, zone);
        if (span == null) {
            throw new FilterException(value.column(), "expected a time (2026-11-25T10:43:27Z, 2026-11-25 10:43, "
                    + "2026-11-25 or 10:43:27.5), found " + value.describe());
        }
        return span;
    }

    private static Node.LongField longField(String name) {
        return switch (name) {
            case "seq" -> Node.LongField.SEQ;
            case "pid" -> Node.LongField.PID;
            case "tid" -> Node.LongField.TID;
            case "uid" -> Node.LongField.UID;
            default -> null;
        };
    }

    private static Node.TextField textField(String name) {
        return switch (name) {
            case "probe" -> Node.TextField.PROBE;
            case "host" -> Node.TextField.HOST;
            case "stream" -> Node.TextField.STREAM;
            default -> Node.TextField.COMM;
        };
    }

    private static ValueSource source(String name) {
        return switch (name) {
            case "payload" -> new ValueSource.PayloadBytes();
            case "len" -> new ValueSource.Length();
            case "stream" -> new ValueSource.Stream();
            default -> new ValueSource.ProbeField(name);
        };
    }

    // --- unknown fields

    private FilterException unknownField(Token field) {
        String name = field.text();
        Set<String> candidates = new TreeSet<>(knownFields);
        FieldCatalog.fixedFields().forEach(f -> candidates.add(f.name()));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            // on a tie, a name that continues what was typed wins: tim is time rather than tid
            if (d < bestDistance || d == bestDistance && candidate.startsWith(name) && !best.startsWith(name)) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(2, name.length() / 3));
        String hint = best != null && bestDistance <= allowed ? " (did you mean " + best + "?)" : "";
        return new FilterException(field.column(), "unknown field '" + name + "'" + hint);
    }

    /** Edits (insert, delete, replace, swap two neighbours) from {@code a} to {@code b}: pdi is 1 from pid. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
