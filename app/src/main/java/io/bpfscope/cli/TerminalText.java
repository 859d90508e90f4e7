package io.bpfscope.cli;

/**
 * Text from a capture, /proc or an ELF file made safe to print on a terminal:
 * a traced process chooses its comm, argv and paths, and must not be able to
 * move the cursor, clear the screen, set the window title, plant OSC 8 links or
 * reorder the line. Control characters become visible escapes: C0 and DEL as
 * {@code \x1b}, C1 as {@code \u009b}, the bidi overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069) and the marks U+200E, U+200F, U+061C as
 * {@code \u202e}; a byte that was not UTF-8 (kept as U+DC80..U+DCFF, see
 * {@code CStrings}) as {@code \xff}, other lone surrogates as {@code \ud800}.
 * A backslash is left as it is. Everything else, including all printable
 * Unicode, passes unchanged. Stateless and thread-safe.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code text} with every control character escaped, line breaks and tabs too: for one-line fields. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** Like {@link #escape(String)}, but keeps {@code \n}, TAB and a CR that ends a line: for multi-line text. */
    public static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    /** Any object's {@code toString()}, escaped; null stays "null" as printf would print it. */
    public static String escape(Object value) {
        return escape(String.valueOf(value));
    }

    private static String escape(String text, boolean keepLines) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text, i, keepLines)) {
            i++;
        }
        if (i == text.length()) {
            return text; // the usual case: nothing to do, no copy
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(text, i, keepLines)) {
                out.append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (c >= 0xdc80 && c <= 0xdcff) {
                out.append(String.format("\\x%02x", c - 0xdc00)); // a byte that was not UTF-8
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(String text, int i, boolean keepLines) {
        char c = text.charAt(i);
        if (c < 0x20) {
            if (keepLines && (c == '\n' || c == '\t')) {
                return false;
            }
            // A CR of a CRLF only ends the line; a lone one would let a line overwrite what came before.
            return !(keepLines && c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
        }
        if (c < 0x7f) {
            return false;
        }
        if (c <= 0x9f) {
            return true; // DEL and C1 (U+009B is CSI on terminals that take 8-bit controls)
        }
        if (c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f || c == 0x061c) {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return !(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)));
        }
        if (Character.isLowSurrogate(c)) {
            return !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
        }
        return false;
    }
}
