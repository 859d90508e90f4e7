package io.bpfscope.probes;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The short view of a payload that an event's summary ends with (tls, jsse): its first line when
 * the bytes look like text, else its first bytes in hex. Stateless.
 */
public final class PayloadPreview {
    /** At most this many bytes of the first line are shown. */
    private static final int LINE_MAX = 80;
    private static final int HEX_MAX = 16;

    private PayloadPreview() {
    }

    /** {@code GET / HTTP/1.1 …} (the ellipsis when more follows), or {@code hex 16 03 01 …}. */
    public static String of(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && end < LINE_MAX && bytes[end] != '\n') {
            int b = bytes[end] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\r' || b == 0x7f) {
                int n = Math.min(bytes.length, HEX_MAX);
                return "hex " + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, n) + (bytes.length > n ? " …" : "");
            }
            end++;
        }
        String line = new String(bytes, 0, end, StandardCharsets.UTF_8).replace("\r", "");
        boolean more = end < bytes.length && !(bytes[end] == '\n' && end + 1 == bytes.length);
        return more ? line + " …" : line;
    }
}
