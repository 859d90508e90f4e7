package io.bpfscope.capture.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several captures merged by time without a temporary file ({@link CaptureSource#ofAll} not rereadable): the
 * merged events come while an input (a named pipe fed by the test) is still being written; the inputs'
 * problems are known when the merged capture ends; a failing merge is an error for its reader; closing
 * early stops the merge's thread and closes its inputs.
 */
class StreamedMergeTest {
    private static final Path DEMO = Paths.get(System.getProperty("user.dir")).resolveSibling("assets/demo.bscap");
    private static final int DEMO_EVENTS = 549;
    private static final int FIRST = 10;

    @TempDir
    Path dir;

    @Test
    void theFirstMergedEventsComeWhileAnInputIsStillBeingWritten() throws Exception {
        Path fifo = dir.resolve("live.bscap");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        List<RawRecord> demo = records(DEMO);
        CountDownLatch firstRead = new CountDownLatch(1);
        // The pipe's capture: the demo as host db2 whose clock runs an hour early, so its events come first.
        CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                CaptureWriter writer = new CaptureWriter(out, otherHost(header(DEMO), -3_600_000_000_000L));
                for (RawRecord record : demo.subList(0, FIRST)) {
                    writer.append(record.bytes(), record.offset(), record.length());
                }
                writer.flushEvents();
                assertThat(firstRead.await(120, TimeUnit.SECONDS)).as("the merge gave its first events").isTrue();
                for (RawRecord record : demo.subList(FIRST, demo.size())) {
                    writer.append(record.bytes(), record.offset(), record.length());
                }
                writer.finish(new CaptureCounters(0, demo.size(), 0, List.of()));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        try (CaptureSource source = CaptureSource.ofAll(List.of(fifo.toString(), DEMO.toString()), false);
             CaptureReader reader = source.open()) {
            List<RawRecord> first = CompletableFuture.supplyAsync(() -> read(reader, FIRST)).get(120, TimeUnit.SECONDS);
            assertThat(feeder).as("the pipe is still open").isNotDone();
            assertThat(first).hasSize(FIRST).allMatch(r -> reader.header().hostOf(reader.header().probe(r.source()).orElseThrow()).equals("db2"));
            firstRead.countDown();

            List<RawRecord> rest = read(reader, Integer.MAX_VALUE);
            feeder.get(120, TimeUnit.SECONDS);
            assertThat(FIRST + rest.size()).isEqualTo(2 * DEMO_EVENTS);
            List<Long> times = new ArrayList<>(first.stream().map(RawRecord::bootNanos).toList());
            rest.forEach(r -> times.add(r.bootNanos()));
            assertThat(times).isSorted();
            assertThat(reader.complete()).isTrue();
            assertThat(reader.problem()).isEmpty();
        }
    }

    @Test
    void aCutInputsProblemIsKnownWhenTheMergedCaptureEnds() throws Exception {
        Path cut = dir.resolve("cut.bscap");
        byte[] whole = Files.readAllBytes(DEMO);
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));

        try (CaptureSource source = CaptureSource.ofAll(List.of(DEMO.toString(), cut.toString()), false);
             CaptureReader reader = source.open()) {
            List<RawRecord> all = read(reader, Integer.MAX_VALUE);
            assertThat(all.size()).isGreaterThan(DEMO_EVENTS).isLessThan(2 * DEMO_EVENTS);
            assertThat(reader.complete()).isTrue(); // the merge itself ended with its END block
            assertThat(reader.problem()).get().asString().startsWith(cut.toString()).contains("cut");
        }
    }

    @Test
    void closingEarlyStopsTheMergeAndClosesItsInputs() throws Exception {
        Path big = dir.resolve("big.bscap");
        RepeatedCapture.write(DEMO, big, 100); // far more than the pipe holds

        CaptureSource source = CaptureSource.ofAll(List.of(big.toString(), big.toString()), false);
        try (CaptureReader reader = source.open()) {
            assertThat(reader.next()).isNotNull();
            assertThat(source.merging()).as("the merge waits for its reader").isTrue();
            assertThat(openFiles(big)).isEqualTo(2);
        }
        source.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((source.merging() || openFiles(big) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(source.merging()).as("the merge thread ended").isFalse();
        assertThat(openFiles(big)).as("descriptors still open on the inputs").isZero();
    }

    @Test
    void aFailingMergeIsAnErrorOfItsReaderInOneLine() throws Exception {
        Path many = dir.resolve("many.bscap");
        ManyProbesCapture.write(many, 40_000);

        try (CaptureSource source = CaptureSource.ofAll(List.of(many.toString(), many.toString()), false)) {
            assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> {
                try (CaptureReader reader = source.open()) {
                    return read(reader, Integer.MAX_VALUE);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(120, TimeUnit.SECONDS)).rootCause().isInstanceOf(IOException.class)
                    .hasMessage("merging " + many + " + " + many + " failed: more than 65535 probes in the merged inputs");
        }
    }

    @Test
    void aRereadableMergeCanBeReadTwice() throws Exception {
        try (CaptureSource source = CaptureSource.ofAll(List.of(DEMO.toString(), DEMO.toString()), true)) {
            for (int pass = 0; pass < 2; pass++) {
                try (CaptureReader reader = source.open()) {
                    assertThat(read(reader, Integer.MAX_VALUE)).hasSize(2 * DEMO_EVENTS);
                }
            }
        }
        try (CaptureSource streamed = CaptureSource.ofAll(List.of(DEMO.toString(), DEMO.toString()), false)) {
            streamed.open().close();
            assertThatThrownBy(streamed::open).isInstanceOf(IllegalStateException.class);
        }
    }

    private static List<RawRecord> read(CaptureReader reader, int most) {
        List<RawRecord> read = new ArrayList<>();
        try {
            while (read.size() < most) {
                RawRecord record = reader.next();
                if (record == null) {
                    break;
                }
                read.add(new RawRecord(record.seq(), record.copy(), 0, record.length()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return read;
    }

    private static List<RawRecord> records(Path capture) throws IOException {
        try (CaptureReader reader = CaptureReader.open(capture)) {
            return read(reader, Integer.MAX_VALUE);
        }
    }

    private static CaptureHeader header(Path capture) throws IOException {
        try (CaptureReader reader = CaptureReader.open(capture)) {
            return reader.header();
        }
    }

    private static CaptureHeader otherHost(CaptureHeader h, long skewNanos) {
        return new CaptureHeader(h.format(), h.version(), h.bpfscopeVersion(), "db2", h.kernel(),
                h.bootToWallNanos() + skewNanos, h.startNanos() + skewNanos, h.ringBufferBytes(), h.probes());
    }

    /** How many of this process's descriptors are open on {@code file}. */
    private static long openFiles(Path file) throws IOException {
        Path real = file.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }
}
