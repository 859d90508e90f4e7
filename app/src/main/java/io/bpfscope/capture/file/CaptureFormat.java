package io.bpfscope.capture.file;

import java.nio.charset.StandardCharsets;

/**
 * The {@code .bscap} layout, little-endian throughout:
 *
 * <pre>
 * magic    8 bytes  "BSCAP\r\n\x1a" (the \r\n and ^Z catch text-mode mangling, as PNG does)
 * version  u16, flags u16
 * header   u32 length, then that many bytes of JSON ({@link CaptureHeader})
 * blocks   until the end: u32 type, u32 payload length, u32 CRC-32 of the payload, payload
 *   EVENTS   u32 count, then count times: u32 length, the raw record as the probe sent it
 *   COUNTERS JSON {@link CaptureCounters}: lost and truncated per probe, so far
 *   END      JSON {@link CaptureCounters}: the final counts; a file without it was cut short
 *   PROBE    JSON {@link CaptureHeader.ProbeEntry}: a probe attached after the header was written
 *   REPLY    JSON: the capture helper's answer to a command of the window; only on the helper's
 *            stream, never in a file (see {@code capture.helper.HelperProtocol})
 *   INDEX    after END, in files only: where every block is ({@link CaptureFileIndex}), then a 16-byte trailer
 * </pre>
 *
 * A reader skips block types it does not know, so newer files still open.
 */
public final class CaptureFormat {
    public static final byte[] MAGIC = "BSCAP\r\n\u001a".getBytes(StandardCharsets.ISO_8859_1);
    public static final int VERSION = 1;
    public static final int BLOCK_EVENTS = 1;
    public static final int BLOCK_COUNTERS = 2;
    public static final int BLOCK_END = 3;
    public static final int BLOCK_PROBE = 4;
    public static final int BLOCK_REPLY = 5;
    public static final int BLOCK_INDEX = 6;
    public static final int BLOCK_HEADER_SIZE = 12;
    /** No sane block is larger; a larger length means garbage. */
    public static final int MAX_BLOCK = 64 * 1024 * 1024;
    public static final int MAX_HEADER = 16 * 1024 * 1024;

    private CaptureFormat() {
    }
}
