package io.bpfscope.filter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits filter text into tokens. Bare words are generous (letters, digits and
 * {@code _ . : / - + @ %}) so that addresses, paths, byte strings, times and
 * durations need no quotes: {@code 10.0.0.0/8}, {@code fe80::1},
 * {@code 48:54:54:50}, {@code 10:43:27}, {@code 10ms}. A word stops before
 * {@code ..} so that {@code 1000..2000} is a range.
 */
final class Lexer {
    enum Kind {
        WORD, STRING, LPAREN, RPAREN, LBRACE, RBRACE, COMMA, DOTDOT, EQ, NE, LT, LE, GT, GE, AND, OR, NOT, END
    }

    /**
     * One token. {@code text} is the source as typed; for strings {@code value}
     * is the unescaped text and {@code bytes} what it spells as bytes
     * ({@code \xHH} is one raw byte, everything else UTF-8).
     */
    record Token(Kind kind, String text, int column, String value, byte[] bytes) {
        String describe() {
            return kind == Kind.END ? "the end of the filter" : kind == Kind.STRING ? printable(text)
                    : "'" + printable(text) + "'";
        }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equals(word);
        }
    }

    private final String text;
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) throws FilterException {
        Lexer lexer = new Lexer(text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END);
        return tokens;
    }

    private Token next() throws FilterException {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= text.length()) {
            return token(Kind.END, start);
        }
        char c = text.charAt(pos);
        char d = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        switch (c) {
            case '(':
                pos++;
                return token(Kind.LPAREN, start);
            case ')':
                pos++;
                return token(Kind.RPAREN, start);
            case '{':
                pos++;
                return token(Kind.LBRACE, start);
            case '}':
                pos++;
                return token(Kind.RBRACE, start);
            case ',':
                pos++;
                return token(Kind.COMMA, start);
            case '"':
                return string(start, false);
            case '=':
                if (d == '=') {
                    pos += 2;
                    return token(Kind.EQ, start);
                }
                throw new FilterException(start + 1, "expected '==', found '='");
            case '!':
                if (d == '=') {
                    pos += 2;
                    return token(Kind.NE, start);
                }
                pos++;
                return token(Kind.NOT, start);
            case '<':
                pos += d == '=' ? 2 : 1;
                return token(d == '=' ? Kind.LE : Kind.LT, start);
            case '>':
                pos += d == '=' ? 2 : 1;
                return token(d == '=' ? Kind.GE : Kind.GT, start);
            case '&':
                if (d == '&') {
                    pos += 2;
                    return token(Kind.AND, start);
                }
                throw new FilterException(start + 1, "expected '&&', found '&'");
            case '|':
                if (d == '|') {
                    pos += 2;
                    return token(Kind.OR, start);
                }
                throw new FilterException(start + 1, "expected '||', found '|'");
            default:
                break;
        }
        if (c == '.' && d == '.') {
            pos += 2;
            return token(Kind.DOTDOT, start);
        }
        if ((c == 'r' || c == 'R') && d == '"') {
            return string(start, true);
        }
        if (isWordChar(c)) {
            while (pos < text.length() && isWordChar(text.charAt(pos))
                    && !(text.charAt(pos) == '.' && pos + 1 < text.length() && text.charAt(pos + 1) == '.')) {
                pos++;
            }
            return token(Kind.WORD, start);
        }
        if (c == '\'') {
            throw new FilterException(start + 1,
                    "expected a string in double quotes (\"...\"), found a single quote");
        }
        String found = new String(Character.toChars(text.codePointAt(pos)));
        throw new FilterException(start + 1,
                "expected a field, a value or an operator, found '" + printable(found) + "'");
    }

    /** Control characters escaped, so that a message stays one readable line. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == 0x2028 || c == 0x2029) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static boolean isWordChar(char c) {
        return c < 0x80 ? c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || "_.:/-+@%".indexOf(c) >= 0
                : Character.isLetterOrDigit(c);
    }

    private Token token(Kind kind, int start) {
        return new Token(kind, text.substring(start, pos), start + 1, null, null);
    }

    /** A quoted string; raw ones ({@code r"\d+"}) take backslashes as they are, handy for regular expressions. */
    private Token string(int start, boolean raw) throws FilterException {
        pos = start + (raw ? 2 : 1);
        StringBuilder value = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            if (pos >= text.length()) {
                throw new FilterException(start + 1,
                        "expected a closing '\"' for the string that starts here, found the end of the filter");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return new Token(Kind.STRING, text.substring(start, pos), start + 1, value.toString(),
                        bytes.toByteArray());
            }
            if (c == '\\' && !raw) {
                escape(value, bytes);
                continue;
            }
            int cp = text.codePointAt(pos);
            String ch = new String(Character.toChars(cp));
            value.append(ch);
            bytes.writeBytes(ch.getBytes(StandardCharsets.UTF_8));
            pos += ch.length();
        }
    }

    private void escape(StringBuilder value, ByteArrayOutputStream bytes) throws FilterException {
        int at = pos;
        char e = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        pos += 2;
        if (e == 'x' || e == 'u') {
            // x: one raw byte (and an ISO-8859-1 character); u: a UTF-16 character, UTF-8 encoded
            int code = hex(at, e == 'x' ? 2 : 4);
            value.append((char) code);
            if (e == 'x') {
                bytes.write(code);
            } else {
                bytes.writeBytes(String.valueOf((char) code).getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        char plain = switch (e) {
            case '\\', '"' -> e;
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case '0' -> '\0';
            default -> throw new FilterException(at + 1, "expected an escape (\\\\ \\\" \\n \\r \\t \\0 \\xHH "
                    + "\\uHHHH), found " + (e == 0 ? "the end of the filter" : "'\\" + e + "'")
                    + "; write r\"...\" for a string without escapes");
        };
        value.append(plain);
        bytes.write(plain);
    }

    private int hex(int at, int digits) throws FilterException {
        int v = 0;
        for (int i = 0; i < digits; i++) {
            int d = pos < text.length() ? Literal.hexDigit(text.charAt(pos)) : -1;
            if (d < 0) {
                throw new FilterException(at + 1, "expected " + digits + " hex digits after '"
                        + text.substring(at, at + 2) + "'");
            }
            v = v << 4 | d;
            pos++;
        }
        return v;
    }
}
