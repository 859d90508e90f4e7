package io.bpfscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The {@code struct event_header} (event_header.h) of golden records, written
 * byte by byte as the kernel lays it out, with a different value in every field
 * so that a decoder reading one field at another's offset fails.
 */
public final class GoldenHeader {
    public static final long TS_NS = 0x0102_0304_0506_0708L;
    public static final int PID = 4242;
    public static final int TID = 4243;
    public static final int UID = 1000;
    public static final int SOURCE = 0xbeef; // above 0x7fff: read as unsigned
    public static final String COMM = "fifteen-chars-x"; // 15 bytes and the NUL fill comm[16]

    private GoldenHeader() {
    }

    /** Writes the header at {@code at} of a little-endian buffer. */
    public static void write(ByteBuffer le, int at, int kind) {
        le.putLong(at, TS_NS);          // ts_ns
        le.putInt(at + 8, PID);         // pid
        le.putInt(at + 12, TID);        // tid
        le.putInt(at + 16, UID);        // uid
        le.putShort(at + 20, (short) kind);   // kind
        le.putShort(at + 22, (short) SOURCE); // source
        le.put(at + 24, COMM.getBytes(StandardCharsets.US_ASCII)); // comm[16], NUL at 39
        le.put(at + 39, (byte) 0);
    }

    /** Asserts every field of a header written by {@link #write}. */
    public static void assertDecoded(EventHeader header, int kind) {
        assertThat(header.bootNanos()).isEqualTo(TS_NS);
        assertThat(header.pid()).isEqualTo(PID);
        assertThat(header.tid()).isEqualTo(TID);
        assertThat(header.uid()).isEqualTo(UID);
        assertThat(header.kind()).isEqualTo(kind);
        assertThat(header.source()).isEqualTo(SOURCE);
        assertThat(header.comm()).isEqualTo(COMM);
    }
}
