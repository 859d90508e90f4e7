package io.bpfscope.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process that is not bpfscope's: a shell loop that runs {@code cat} on its marker file every 100 ms,
 * started through a shell that exits at once, so the loop is reparented away and is no descendant of
 * the test's process by the time a capture begins. It ends when its marker is deleted ({@link #close()},
 * or the cleanup of the temporary folder).
 */
public final class StrangerProcess implements AutoCloseable {
    private final Path marker;

    private StrangerProcess(Path marker) {
        this.marker = marker;
    }

    public static StrangerProcess start(Path dir) throws IOException, InterruptedException {
        Path marker = Files.writeString(dir.resolve("stranger-marker"), "x");
        String loop = "while [ -e '" + marker + "' ]; do /bin/cat '" + marker + "' >/dev/null; sleep 0.1; done";
        Process shell = new ProcessBuilder("/bin/sh", "-c", "(" + loop + ") </dev/null >/dev/null 2>&1 &").start();
        if (!shell.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the stranger's shell did not exit");
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (ProcessHandle.current().children().findAny().isPresent() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20); // the JVM reaps the shell on its own thread
        }
        if (ProcessHandle.current().descendants().anyMatch(p -> p.info().commandLine().orElse("").contains(marker.toString()))) {
            throw new IllegalStateException("the stranger is still a descendant of this process");
        }
        return new StrangerProcess(marker);
    }

    /** The file it opens (and passes to cat) every 100 ms. */
    public Path marker() {
        return marker;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(marker);
    }
}
