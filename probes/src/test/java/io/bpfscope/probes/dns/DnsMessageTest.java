package io.bpfscope.probes.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
    /** dig example.com A: id 0x1234, RD, one question. */
    static final byte[] QUERY = HexFormat.of().parseHex(
            "1234" + "0100" + "0001" + "0000" + "0000" + "0000"
            + "07" + hex("example") + "03" + hex("com") + "00" + "0001" + "0001");

    /**
     * The answer to www.example.com A: a CNAME to example.com whose name points
     * at the question (0xc00c) and whose target points into it (0xc010), then
     * the A record of example.com, its name a pointer to the CNAME's target.
     */
    static final byte[] RESPONSE = HexFormat.of().parseHex(
            "abcd" + "8180" + "0001" + "0002" + "0000" + "0000"
            // offset 12: question www.example.com A IN; "example" starts at 16
            + "03" + hex("www") + "07" + hex("example") + "03" + hex("com") + "00" + "0001" + "0001"
            // offset 33: www.example.com CNAME example.com, ttl 60, rdata = pointer to 16 (2 bytes)
            + "c00c" + "0005" + "0001" + "0000003c" + "0002" + "c010"
            // offset 47: example.com A 93.184.216.34, ttl 300; the name is a pointer to the CNAME's rdata (45)
            + "c02d" + "0001" + "0001" + "0000012c" + "0004" + "5db8d822");

    @Test
    void parsesAQuery() {
        DnsMessage m = DnsMessage.parse(QUERY);

        assertThat(m.complete()).as(m.error()).isTrue();
        assertThat(m.id()).isEqualTo(0x1234);
        assertThat(m.response()).isFalse();
        assertThat(m.opcodeName()).isEqualTo("QUERY");
        assertThat(m.flags() & DnsMessage.FLAG_RD).isNotZero();
        assertThat(m.questions()).containsExactly(new DnsMessage.Question("example.com", DnsMessage.TYPE_A, 1));
        assertThat(m.question().toString()).isEqualTo("A example.com");
        assertThat(m.answers()).isEmpty();
    }

    @Test
    void parsesAResponseWithCnameAndCompression() {
        DnsMessage m = DnsMessage.parse(RESPONSE);

        assertThat(m.complete()).as(m.error()).isTrue();
        assertThat(m.id()).isEqualTo(0xabcd);
        assertThat(m.response()).isTrue();
        assertThat(m.rcodeName()).isEqualTo("NOERROR");
        assertThat(m.flags() & DnsMessage.FLAG_RA).isNotZero();
        assertThat(m.question().name()).isEqualTo("www.example.com");
        assertThat(m.answers()).extracting(DnsMessage.ResourceRecord::name)
                .containsExactly("www.example.com", "example.com");
        assertThat(m.answers()).extracting(DnsMessage.ResourceRecord::toString)
                .containsExactly("CNAME example.com ttl=60", "A 93.184.216.34 ttl=300");
    }

    @Test
    void aCutMessageKeepsWhatItReadAndSaysWhere() {
        byte[] cut = Arrays.copyOf(RESPONSE, RESPONSE.length - 3); // inside the A record's data

        DnsMessage m = DnsMessage.parse(cut);

        assertThat(m.complete()).isFalse();
        assertThat(m.question().name()).isEqualTo("www.example.com");
        assertThat(m.answers()).extracting(DnsMessage.ResourceRecord::toString).containsExactly("CNAME example.com ttl=60");
        assertThat(m.error()).isEqualTo("answer 2: its data of 4 bytes at offset 59 runs past the end of the 60-byte message");
    }

    @Test
    void aCompressionLoopIsRefusedNotFollowed() {
        // The question's name is a pointer to itself.
        byte[] loop = HexFormat.of().parseHex("0001" + "0100" + "0001" + "0000" + "0000" + "0000" + "c00c" + "0001" + "0001");
        DnsMessage m = DnsMessage.parse(loop);
        assertThat(m.questions()).isEmpty();
        assertThat(m.error()).isEqualTo("question 1: the compression pointer at offset 12 points to 12, not before itself (a loop)");

        // Two names pointing at each other: the second points forward, which is refused too.
        byte[] pair = HexFormat.of().parseHex("0001" + "0100" + "0001" + "0000" + "0000" + "0000"
                + "01" + hex("a") + "c011" + "0001" + "0001" + "c00e");
        assertThat(DnsMessage.parse(pair).error()).contains("points to 17, not before itself");
    }

    @Test
    void shortAndEmptyInputDoNotThrow() {
        assertThat(DnsMessage.parse(new byte[0]).error()).isEqualTo("message of 0 bytes is shorter than the 12-byte header");
        DnsMessage header = DnsMessage.parse(Arrays.copyOf(QUERY, 5));
        assertThat(header.id()).isEqualTo(0x1234);
        assertThat(header.complete()).isFalse();
        DnsMessage noQuestionBody = DnsMessage.parse(Arrays.copyOf(QUERY, 12));
        assertThat(noQuestionBody.error()).startsWith("question 1: the name at offset 12 runs past the end");
    }

    @Test
    void recordCountsLargerThanTheMessageStopAtTheEnd() {
        byte[] lying = QUERY.clone();
        lying[7] = (byte) 0xff; // 255 answers claimed, none present
        DnsMessage m = DnsMessage.parse(lying);
        assertThat(m.question().name()).isEqualTo("example.com");
        assertThat(m.error()).startsWith("answer 1: the name at offset 29 runs past the end");
    }

    @Test
    void garbageNeverThrows() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (bytes.length > 12 && random.nextBoolean()) {
                System.arraycopy(RESPONSE, 0, bytes, 0, Math.min(bytes.length, random.nextInt(RESPONSE.length)));
            }
            DnsMessage m = DnsMessage.parse(bytes);
            assertThat(m).isNotNull();
            m.answers().forEach(DnsMessage.ResourceRecord::toString);
        }
    }

    @Test
    void formatsOtherRecordTypes() {
        byte[] message = HexFormat.of().parseHex("0002" + "8183" + "0000" + "0004" + "0000" + "0000"
                + "00" + "001c" + "0001" + "00000005" + "0010" + "20010db8000000000000000000000001"
                + "00" + "000c" + "0001" + "00000005" + "0003" + "01" + hex("x") + "00"
                + "00" + "0010" + "0001" + "00000005" + "0006" + "02" + hex("hi") + "02" + hex("\"!")
                + "00" + "0041" + "0001" + "00000005" + "0003" + "000102");
        DnsMessage m = DnsMessage.parse(message);
        assertThat(m.complete()).as(m.error()).isTrue();
        assertThat(m.rcodeName()).isEqualTo("NXDOMAIN");
        assertThat(m.answers()).extracting(DnsMessage.ResourceRecord::toString).containsExactly(
                "AAAA 2001:db8::1 ttl=5", "PTR x ttl=5", "TXT \"hi\" \"\\\"!\" ttl=5", "HTTPS 3 bytes ttl=5");
        assertThat(m.answers().get(0).name()).isEqualTo(".");
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
