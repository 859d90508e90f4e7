package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Strings from records keep every byte: valid UTF-8 as text, other bytes as escapes that give them back. */
class CStringsTest {
    @Test
    void validUtf8DecodesAsUsualAndHasNoRawBytes() {
        String text = "/home/zoë/файл 😀 \ufffd \ud95a\udcf2"; // the last one: a pair whose low half looks like an escape
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String decoded = CStrings.decode(bytes, 0, bytes.length);

        assertThat(decoded).isEqualTo(text);
        assertThat(CStrings.hasRawBytes(decoded)).isFalse(); // a real U+FFFD is text, not a lost byte
        assertThat(CStrings.bytes(decoded)).isEqualTo(bytes);
    }

    @Test
    void bytesThatAreNotUtf8AreKeptAndGivenBack() {
        byte[] bytes = {'a', (byte) 0xff, 'b', (byte) 0x80, (byte) 0xbf, 'c', (byte) 0xc3, (byte) 0xa9, (byte) 0xe2, (byte) 0x82};
        String decoded = CStrings.decode(bytes, 0, bytes.length);

        assertThat(decoded).isEqualTo("a\udcffb\udc80\udcbfcé\udce2\udc82");
        assertThat(CStrings.hasRawBytes(decoded)).isTrue();
        assertThat(CStrings.bytes(decoded)).isEqualTo(bytes);
        assertThat(CStrings.replaced(decoded)).isEqualTo("a\ufffdb\ufffd\ufffdcé\ufffd\ufffd");
    }

    @Test
    void surrogatesEncodedInUtf8AndOverlongFormsAreNotText() {
        byte[] bytes = {(byte) 0xed, (byte) 0xb3, (byte) 0xbf, (byte) 0xc0, (byte) 0xaf}; // U+DCFF as CESU, overlong '/'
        String decoded = CStrings.decode(bytes, 0, bytes.length);

        assertThat(CStrings.bytes(decoded)).isEqualTo(bytes);
        assertThat(CStrings.replaced(decoded)).doesNotContain("/").doesNotContain("\udcff\u0000");
    }

    @Test
    void anyBytesRoundTrip() {
        Random random = new Random(9);
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(24)];
            random.nextBytes(bytes);
            if (n % 3 == 0) { // mostly text with a few stray bytes, the likely case
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = random.nextInt(8) == 0 ? bytes[i] : (byte) ('a' + random.nextInt(26));
                }
            }
            String decoded = CStrings.decode(bytes, 0, bytes.length);
            assertThat(CStrings.bytes(decoded)).as("bytes %s", java.util.HexFormat.of().formatHex(bytes)).isEqualTo(bytes);
        }
    }

    @Test
    void readAllSplitsAtNulsAndKeepsRawBytes() {
        byte[] args = {'l', 's', 0, (byte) 0xff, '-', 'l', 0, 'x'};
        List<String> argv = CStrings.readAll(ByteBuffer.wrap(args), 0, args.length);

        assertThat(argv).containsExactly("ls", "\udcff-l", "x");
    }
}
