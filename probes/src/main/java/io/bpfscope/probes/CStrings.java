package io.bpfscope.probes;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading C strings out of event records; nothing throws. A traced process may
 * put any bytes in its comm, argv and paths, so bytes that are not UTF-8 are
 * kept, not replaced: each becomes the lone surrogate U+DC00 + byte
 * (U+DC80..U+DCFF, as Python's {@code surrogateescape}). Valid UTF-8 never
 * decodes to a lone surrogate, so {@link #bytes} gives back exactly the bytes
 * the probe read; {@link #replaced} shows each such byte as U+FFFD for text
 * that must be well-formed Unicode.
 */
public final class CStrings {
    private static final char FIRST_ESCAPE = '\udc80';
    private static final char LAST_ESCAPE = '\udcff';
    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() -> StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));

    private CStrings() {
    }

    /** The NUL-terminated string in {@code [offset, offset + max)}, or all of it if there is no NUL. */
    public static String read(ByteBuffer buffer, int offset, int max) {
        int end = offset;
        int limit = Math.min(buffer.limit(), offset + max);
        while (end < limit && buffer.get(end) != 0) {
            end++;
        }
        return slice(buffer, offset, end);
    }

    /** Splits {@code length} bytes of NUL-terminated strings; a last one without its NUL is kept too. */
    public static List<String> readAll(ByteBuffer buffer, int offset, int length) {
        List<String> strings = new ArrayList<>();
        int start = offset;
        int end = Math.min(buffer.limit(), offset + length);
        for (int i = offset; i < end; i++) {
            if (buffer.get(i) == 0) {
                strings.add(slice(buffer, start, i));
                start = i + 1;
            }
        }
        if (start < end) {
            strings.add(slice(buffer, start, end));
        }
        return strings;
    }

    /** {@code length} bytes as text: UTF-8, with each byte that is not UTF-8 kept as U+DC80..U+DCFF. */
    public static String decode(byte[] bytes, int offset, int length) {
        boolean ascii = true;
        for (int i = offset; i < offset + length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) { // the usual case: no decoder, no copy beyond the string's own
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder decoder = UTF8.get().reset();
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        CharBuffer out = CharBuffer.allocate(length); // UTF-8 never needs more chars than bytes
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                break;
            }
            for (int i = 0; i < result.length(); i++) { // malformed: keep each byte as its escape
                out.put((char) (0xdc00 | in.get() & 0xff));
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** True when {@code text} holds bytes that were not UTF-8 (see {@link #bytes}). */
    public static boolean hasRawBytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isEscape(text, i)) {
                return true;
            }
        }
        return false;
    }

    /** A lone U+DC80..U+DCFF; the same char after a high surrogate is half of a real supplementary character. */
    private static boolean isEscape(CharSequence text, int i) {
        char c = text.charAt(i);
        return c >= FIRST_ESCAPE && c <= LAST_ESCAPE && !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
    }

    /** The exact bytes a string from this class was decoded from. */
    public static byte[] bytes(String text) {
        if (!hasRawBytes(text)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() + 8);
        int run = 0; // start of the current run of well-formed text
        for (int i = 0; i < text.length(); i++) {
            if (isEscape(text, i)) {
                out.writeBytes(text.substring(run, i).getBytes(StandardCharsets.UTF_8));
                out.write(text.charAt(i) - 0xdc00);
                run = i + 1;
            }
        }
        out.writeBytes(text.substring(run).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** {@code text} with each byte that was not UTF-8 shown as U+FFFD: well-formed Unicode for display and export. */
    public static String replaced(String text) {
        if (!hasRawBytes(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text);
        for (int i = 0; i < out.length(); i++) {
            if (isEscape(text, i)) {
                out.setCharAt(i, '\ufffd');
            }
        }
        return out.toString();
    }

    private static String slice(ByteBuffer buffer, int from, int to) {
        if (buffer.hasArray()) { // the usual case: decode straight from the record, no copy
            return decode(buffer.array(), buffer.arrayOffset() + from, to - from);
        }
        byte[] bytes = new byte[to - from];
        buffer.get(from, bytes);
        return decode(bytes, 0, bytes.length);
    }
}
