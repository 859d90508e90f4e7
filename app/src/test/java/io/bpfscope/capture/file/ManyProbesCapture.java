package io.bpfscope.capture.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture that declares {@code probes} probes and holds no event: two of 40,000 cannot be merged
 * (a merged capture numbers at most 65,535 probes), the one failure of a merge a test can cause.
 */
public final class ManyProbesCapture {
    private ManyProbesCapture() {
    }

    public static void write(Path file, int probes) throws IOException {
        List<CaptureHeader.ProbeEntry> entries = new ArrayList<>();
        for (int source = 1; source <= probes; source++) {
            entries.add(new CaptureHeader.ProbeEntry(source, "p" + source, 1, "", List.of(), null, null, null, null));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            new CaptureWriter(out, new CaptureHeader("bscap", CaptureFormat.VERSION, "test", "h", "6.1", 0, 0, 0, entries))
                    .finish(new CaptureCounters(0, 0, 0, List.of()));
        }
    }
}
