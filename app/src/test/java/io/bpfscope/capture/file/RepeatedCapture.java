package io.bpfscope.capture.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real capture's events written {@code times} over into one capture: far more than a pipe holds, from a small file. */
public final class RepeatedCapture {
    private RepeatedCapture() {
    }

    public static void write(Path capture, Path copy, int times) throws IOException {
        List<byte[]> records = new ArrayList<>();
        CaptureHeader header;
        try (CaptureReader reader = CaptureReader.open(capture)) {
            header = reader.header();
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record.copy());
            }
        }
        try (OutputStream out = Files.newOutputStream(copy)) {
            CaptureWriter writer = new CaptureWriter(out, header);
            for (int i = 0; i < times; i++) {
                for (byte[] record : records) {
                    writer.append(record, 0, record.length);
                }
            }
            writer.finish(new CaptureCounters(0, (long) times * records.size(), 0, List.of()));
        }
    }
}
