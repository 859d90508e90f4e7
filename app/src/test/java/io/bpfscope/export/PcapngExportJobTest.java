package io.bpfscope.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureSource;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --format pcapng} end to end: a capture file in, pcapng out, events without payload counted. */
class PcapngExportJobTest {
    private static final long BOOT_TO_WALL = 1_764_064_800_000_000_000L; // 2025-11-25T10:00:00Z at boot

    @TempDir
    Path dir;

    /** A tls_event as tls.h lays it out (see TlsDecoderTest). */
    private static byte[] tlsRecord(long bootNanos, int function, long conn, String text) {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(120 + data.length).order(ByteOrder.LITTLE_ENDIAN); // family 0 at 116: no connection
        b.putLong(0, bootNanos);
        b.putInt(8, 4242);                               // pid
        b.putInt(12, 4242);                              // tid
        b.putInt(16, 1000);                              // uid
        b.putShort(20, (short) EventKind.TLS);  // kind
        b.putShort(22, (short) 7);                       // source
        b.put(24, "curl".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, conn);
        b.putLong(48, 15_000);                           // latency_ns
        b.putLong(56, data.length == 0 ? -1 : data.length); // retval
        b.putLong(64, data.length);                      // payload_len
        b.putInt(72, data.length);                       // data_len
        b.putShort(76, (short) function);
        b.put(120, data);
        return b.array();
    }

    @Test
    void exportsPayloadsAsPacketsAndCountsTheEventsWithout() throws Exception {
        Path capture = dir.resolve("tls.bscap");
        CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host", "6.18", BOOT_TO_WALL,
                BOOT_TO_WALL, 1 << 20, List.of());
        try (CaptureWriter writer = new CaptureWriter(Files.newOutputStream(capture), header)) {
            for (byte[] record : List.of(
                    tlsRecord(1_000, 1, 0x55, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                    tlsRecord(2_000, 2, 0x55, ""), // SSL_read that failed: no payload
                    tlsRecord(3_000, 2, 0x55, "HTTP/1.1 204 No Content\r\n\r\n"))) {
                writer.append(record, 0, record.length);
            }
            writer.finish(new CaptureCounters(0, 3, 0, List.of()));
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportJob.Result result;
        try (CaptureSource source = CaptureSource.of(capture.toString(), false)) {
            result = new ExportJob(source, ExportJob.Format.PCAPNG, record -> true, (read, total, written) -> { },
                    () -> false).run(out);
        }

        assertThat(result.written()).isEqualTo(2);
        assertThat(result.withoutPayload()).isEqualTo(1);
        assertThat(result.undecodable()).isZero();
        assertThat(result.captureProblem()).isEmpty();
        List<PcapngFile.Packet> packets = new PcapngFile(out.toByteArray()).packets();
        assertThat(packets).hasSize(3 + 2); // the handshake, then one packet per payload
        assertThat(packets.get(3).timestampNanos()).isEqualTo(BOOT_TO_WALL + 1_000);
        assertThat(packets.get(3).comment()).startsWith("bpfscope seq=1 probe=tls pid=4242 tid=4242 comm=curl"
                + " direction=write conn=0x55");
        assertThat(packets.get(4).timestampNanos()).isEqualTo(BOOT_TO_WALL + 3_000);
        assertThat(packets.get(4).comment()).startsWith("bpfscope seq=3 probe=tls");
    }
}
