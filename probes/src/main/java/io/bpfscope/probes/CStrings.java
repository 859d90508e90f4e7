package io.bpfscope.probes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading C strings out of event records. Invalid UTF-8 becomes U+FFFD; nothing throws. */
public final class CStrings {
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

    private static String slice(ByteBuffer buffer, int from, int to) {
        if (buffer.hasArray()) { // the usual case: decode straight from the record, no copy
            return new String(buffer.array(), buffer.arrayOffset() + from, to - from, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[to - from];
        buffer.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
