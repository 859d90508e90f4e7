package io.bpfscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** follow --hex prints hexdump -C's layout, byte for byte. */
class HexDumpTest {
    @Test
    void rowsOfSixteenWithAGapAfterEightAndThePrintableText() {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: x\r\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(HexDump.format(bytes)).isEqualTo(
                "00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|\n"
                + "00000010  48 6f 73 74 3a 20 78 0d  0a 00 ff                 |Host: x....|\n");
    }

    @Test
    void nothingIsNoLines() {
        assertThat(HexDump.format(new byte[0])).isEmpty();
    }
}
