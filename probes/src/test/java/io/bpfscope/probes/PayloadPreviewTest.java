package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadPreviewTest {
    private static String of(String text) {
        return PayloadPreview.of(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textShowsItsFirstLineAndAnEllipsisWhenMoreFollows() {
        assertThat(of("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo("GET / HTTP/1.1 …");
        assertThat(of("one line\n")).isEqualTo("one line");
        assertThat(of("no newline")).isEqualTo("no newline");
        assertThat(of("tab\tand ünïcode")).isEqualTo("tab\tand ünïcode");
        assertThat(of("")).isEmpty();
    }

    @Test
    void aLongLineIsCutAtEightyBytes() {
        assertThat(of("x".repeat(200))).isEqualTo("x".repeat(80) + " …");
        assertThat(of("x".repeat(80))).isEqualTo("x".repeat(80));
    }

    @Test
    void binaryShowsItsFirstSixteenBytesInHex() {
        byte[] record = {0x17, 0x03, 0x03, 0x00, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertThat(PayloadPreview.of(record)).isEqualTo("hex 17 03 03 00 20 01 02 03 04 05 06 07 08 09 0a 0b …");
        assertThat(PayloadPreview.of(new byte[] {'o', 'k', 0})).isEqualTo("hex 6f 6b 00");
        assertThat(of("text then DEL\u007f")).startsWith("hex ");
        // Only the first line decides: binary after it does not matter.
        assertThat(PayloadPreview.of(new byte[] {'h', 'i', '\n', 0, 1})).isEqualTo("hi …");
    }
}
