package io.bpfscope.ui.hex;

import java.util.HexFormat;

/**
 * The text of a hex dump and of its copies: lines of offset, 16 hex bytes
 * and their printable characters; hex, text and C-array copies; hex queries
 * parsed for Find. Stateless.
 */
public final class HexText {
    public static final int BYTES_PER_ROW = 16;
    /** Columns of a line: offset, two spaces, 16 × "hh " with one more space after the 8th, a space, 16 characters. */
    public static final int OFFSET_CHARS = 8;
    public static final int HEX_START = OFFSET_CHARS + 2;
    public static final int ASCII_START = HEX_START + BYTES_PER_ROW * 3 + 2;
    public static final int LINE_CHARS = ASCII_START + BYTES_PER_ROW;
    private static final HexFormat HEX = HexFormat.of();
    private static final HexFormat SPACED = HexFormat.ofDelimiter(" ");

    private HexText() {
    }

    public static int rows(int length) {
        return (length + BYTES_PER_ROW - 1) / BYTES_PER_ROW;
    }

    /** Row {@code row} of the dump, e.g. {@code 00000000  47 45 54 20 ...  GET /...}. */
    public static String line(byte[] bytes, int row) {
        StringBuilder out = new StringBuilder(LINE_CHARS);
        int start = row * BYTES_PER_ROW;
        out.append(HEX.toHexDigits(start)).append("  "); // 8 digits
        for (int i = 0; i < BYTES_PER_ROW; i++) {
            int at = start + i;
            out.append(at < bytes.length ? hex2(bytes[at]) + " " : "   ");
            if (i == 7) {
                out.append(' ');
            }
        }
        out.append(' ');
        for (int i = start; i < Math.min(start + BYTES_PER_ROW, bytes.length); i++) {
            out.append(printable(bytes[i]));
        }
        return out.toString();
    }

    /** The column (in characters) of byte {@code index % 16}'s hex digits. */
    public static int hexColumn(int indexInRow) {
        return HEX_START + indexInRow * 3 + (indexInRow >= 8 ? 1 : 0);
    }

    public static int asciiColumn(int indexInRow) {
        return ASCII_START + indexInRow;
    }

    public static char printable(byte b) {
        int c = b & 0xff;
        return c >= 0x20 && c < 0x7f ? (char) c : '.';
    }

    public static String hex2(byte b) {
        return HEX.toHexDigits(b);
    }

    /** {@code 47 45 54 20}. */
    public static String hex(byte[] bytes, int from, int to) {
        return SPACED.formatHex(bytes, from, to);
    }

    /** The bytes as text, non-printable ones as dots (like the dump's right side, with line breaks kept). */
    public static String text(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            out.append(b == '\n' || b == '\t' ? (char) b : b == '\r' ? "" : String.valueOf(printable(b)));
        }
        return out.toString();
    }

    /** {@code unsigned char data[4] = { 0x47, 0x45, ... };}, 12 a line. */
    public static String cArray(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder("unsigned char data[" + (to - from) + "] = {");
        for (int i = from; i < to; i++) {
            if ((i - from) % 12 == 0) {
                out.append("\n    ");
            }
            out.append("0x").append(hex2(bytes[i])).append(i + 1 < to ? ", " : "");
        }
        return out.append("\n};\n").toString();
    }

    /**
     * A hex query for Find: pairs of hex digits, with or without spaces,
     * colons or dashes between them ({@code 47 45 54}, {@code 474554}, {@code 47:45:54}).
     *
     * @throws IllegalArgumentException with a sentence when it is not one
     */
    public static byte[] parseHex(String query) {
        String digits = query.replaceAll("[\\s:\\-]", "");
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        if (digits.isEmpty() || digits.length() % 2 != 0 || !digits.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("'" + query + "' is not hex bytes: write pairs of hex digits, e.g. 47 45 54");
        }
        return HEX.parseHex(digits);
    }

    /** The first index {@code >= from} where {@code needle} occurs, or -1. */
    public static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
