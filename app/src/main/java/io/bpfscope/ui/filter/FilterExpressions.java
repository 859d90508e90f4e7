package io.bpfscope.ui.filter;

import java.util.regex.Pattern;

/**
 * Builds filter text from values the user points at ("Apply as filter"):
 * {@code pid == 1234}, {@code comm == "curl"}, {@code probe == tls}. Stateless.
 */
public final class FilterExpressions {
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_./:@%+-]+");
    private static final Pattern NUMBER = Pattern.compile("-?(0x[0-9a-fA-F]+|\\d+)");

    private FilterExpressions() {
    }

    /** How a new expression joins the filter already applied. */
    public enum Join {
        /** Replace it. */
        REPLACE,
        /** {@code (old) && new} */
        AND,
        /** {@code (old) || new} */
        OR,
        /** {@code (old) && !(new)}, or {@code !(new)} alone */
        AND_NOT
    }

    /**
     * {@code field == value}: numbers and booleans bare, text quoted (a bare
     * word for the probe name, as people type it).
     */
    public static String equalTo(String field, Object value) {
        String text = String.valueOf(value);
        if (value instanceof Number || value instanceof Boolean || NUMBER.matcher(text).matches() && !field.equals("comm")) {
            return field + " == " + text;
        }
        if (field.equals("probe") && WORD.matcher(text).matches()) {
            return field + " == " + text;
        }
        return field + " == " + quote(text);
    }

    /** A string literal in the filter language. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    /** The filter that results from joining {@code expression} to {@code current}. */
    public static String join(String current, String expression, Join join) {
        boolean empty = current == null || current.isBlank();
        switch (join) {
            case AND:
                return empty ? expression : "(" + current.strip() + ") && " + expression;
            case OR:
                return empty ? expression : "(" + current.strip() + ") || " + expression;
            case AND_NOT:
                return empty ? "!(" + expression + ")" : "(" + current.strip() + ") && !(" + expression + ")";
            default:
                return expression;
        }
    }

    /**
     * {@code current} restricted to {@code span}: a span written there before (by an earlier drag) is
     * replaced, so dragging again moves the span instead of narrowing it to nothing.
     */
    public static String withTimeSpan(String current, TimeRange span) {
        String base = current == null ? "" : current.strip();
        java.util.regex.Matcher alone = java.util.regex.Pattern.compile("^" + TimeRange.expressionPattern().pattern() + "$")
                .matcher(base);
        java.util.regex.Matcher joined = java.util.regex.Pattern.compile("^\\((.*)\\) && "
                + TimeRange.expressionPattern().pattern() + "$").matcher(base);
        java.util.regex.Matcher first = java.util.regex.Pattern.compile("^\\(" + TimeRange.expressionPattern().pattern()
                + "\\) && (.*)$").matcher(base);
        if (alone.matches()) {
            base = "";
        } else if (joined.matches()) {
            base = joined.group(1);
        } else if (first.matches()) {
            base = first.group(4);
        }
        return join(base, span.expression(), Join.AND);
    }
}
