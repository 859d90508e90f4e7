package io.bpfscope.cli;

import io.bpfscope.capture.file.CaptureCounters;
import io.bpfscope.capture.file.CaptureFormat;
import io.bpfscope.capture.file.CaptureHeader;
import io.bpfscope.capture.file.CaptureWriter;
import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures whose text a traced process chose: real exec, open and tls records
 * as the probes send them, with any bytes for comm, filename, argv, path and
 * payload, written with {@link CaptureWriter}.
 */
final class HostileCapture {
    private final List<byte[]> records = new ArrayList<>();

    /** An exec of {@code filename} with {@code argv}, by a process named {@code comm} (cut to 15 bytes). */
    HostileCapture exec(byte[] comm, byte[] filename, byte[]... argv) {
        ByteArrayOutputStream args = new ByteArrayOutputStream();
        for (byte[] arg : argv) {
            args.writeBytes(arg);
            args.write(0);
        }
        byte[] file = nulTerminated(filename);
        ByteBuffer b = header(60 + file.length + args.size(), EventKind.EXEC, 1, comm);
        b.putInt(40, 1).putInt(44, 0).putInt(48, argv.length).putShort(52, (short) file.length)
                .putShort(54, (short) args.size()).putInt(56, 0);
        b.put(60, file).put(60 + file.length, args.toByteArray());
        records.add(b.array());
        return this;
    }

    /** An openat of {@code path} by {@code comm}. */
    HostileCapture open(byte[] comm, byte[] path) {
        byte[] p = nulTerminated(path);
        ByteBuffer b = header(72 + p.length, EventKind.OPEN, 2, comm);
        b.putShort(68, (short) p.length).put(70, (byte) 1).put(72, p);
        records.add(b.array());
        return this;
    }

    /** An SSL_write of {@code payload} on connection 0x55 by {@code comm}; its TCP connection unknown (family 0). */
    HostileCapture tlsWrite(byte[] comm, byte[] payload) {
        ByteBuffer b = header(120 + payload.length, EventKind.TLS, 3, comm);
        b.putLong(40, 0x55).putLong(48, 15_000).putLong(56, payload.length).putLong(64, payload.length)
                .putInt(72, payload.length).putShort(76, (short) 1).put(120, payload);
        records.add(b.array());
        return this;
    }

    Path writeTo(Path file) throws IOException {
        CaptureHeader header = new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "host", "6.18", 0, 0, 1 << 20,
                List.of(CaptureHeader.ProbeEntry.of(1, ProbeCatalog.find("exec").orElseThrow(), "", List.of()),
                        CaptureHeader.ProbeEntry.of(2, ProbeCatalog.find("open").orElseThrow(), "", List.of()),
                        CaptureHeader.ProbeEntry.of(3, ProbeCatalog.find("tls").orElseThrow(), "", List.of())));
        try (CaptureWriter writer = new CaptureWriter(Files.newOutputStream(file), header)) {
            for (byte[] record : records) {
                writer.append(record, 0, record.length);
            }
            writer.finish(new CaptureCounters(0, records.size(), 0, List.of()));
        }
        return file;
    }

    private int time = 1;

    private ByteBuffer header(int size, int kind, int source, byte[] comm) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 1_000_000L * time++).putInt(8, 4242).putInt(12, 4242).putInt(16, 1000)
                .putShort(20, (short) kind).putShort(22, (short) source);
        b.put(24, comm, 0, Math.min(comm.length, 15));
        return b;
    }

    private static byte[] nulTerminated(byte[] text) {
        byte[] out = java.util.Arrays.copyOf(text, text.length + 1);
        return out;
    }
}
