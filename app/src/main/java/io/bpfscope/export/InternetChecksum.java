package io.bpfscope.export;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit big-endian words, as IPv4 headers, TCP and UDP use
 * it. Bytes may be added in pieces of any length; an odd piece leaves its last
 * byte waiting for the next one, so the pieces sum as if they were one run.
 * Not thread-safe.
 */
final class InternetChecksum {
    private long sum;
    private boolean odd; // the last byte added was the high half of a word

    InternetChecksum add(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xff;
            sum += odd ? b : b << 8;
            odd = !odd;
        }
        return this;
    }

    InternetChecksum add(byte[] bytes) {
        return add(bytes, 0, bytes.length);
    }

    /** Adds a 16-bit word; only between pieces of even length. */
    InternetChecksum addWord(int word) {
        if (odd) {
            throw new IllegalStateException("a word added after an odd number of bytes");
        }
        sum += word & 0xffff;
        return this;
    }

    /** The checksum to put in a header: the complement of the folded sum (a trailing odd byte is padded with zero). */
    int value() {
        long folded = sum;
        while (folded >>> 16 != 0) {
            folded = (folded & 0xffff) + (folded >>> 16);
        }
        return (int) ~folded & 0xffff;
    }

    static int of(byte[] bytes, int offset, int length) {
        return new InternetChecksum().add(bytes, offset, length).value();
    }
}
