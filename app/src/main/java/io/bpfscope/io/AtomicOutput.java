package io.bpfscope.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * An output written whole or not at all (an export, a saved capture, the
 * settings): the bytes go to a new private file beside the target
 * ({@code .NAME.RANDOM.tmp}, created as {@link PrivateFiles} creates every
 * file), which {@link #commit} renames to the target. Closed without a
 * commit (a failure, Cancel, Ctrl-C) it leaves nothing behind; on SIGTERM the
 * exit hook removes the temporary file. Use with try-with-resources. Not
 * thread-safe.
 *
 * <pre>{@code
 * try (AtomicOutput output = AtomicOutput.open(target, force, List.of(input))) {
 *     write(output.stream());
 *     output.commit();
 * }
 * }</pre>
 */
public final class AtomicOutput implements Closeable {
    private final Path target;
    private final boolean replace;
    private final List<FileStatus> inputs;
    private final PrivateFiles.Created temporary;
    private final OutputStream stream;
    private boolean descriptorOpen = true;
    private boolean committed;

    private AtomicOutput(Path target, boolean replace, List<FileStatus> inputs, PrivateFiles.Created temporary) {
        this.target = target;
        this.replace = replace;
        this.inputs = inputs;
        this.temporary = temporary;
        this.stream = new DescriptorOutputStream(temporary.fd(), target, false);
    }

    /**
     * Checks the target now (so a refusal comes before any work) and creates
     * the temporary file. Refused ({@link OutputRefusedException}, one line):
     * a symbolic link, a directory, a FIFO, a device; one of {@code inputs}
     * under any name (compared by device and inode); and any existing file
     * unless {@code replace} is given and it is the invoking user's regular
     * file. The GUI passes {@code replace} true once its dialog has asked.
     */
    public static AtomicOutput open(Path target, boolean replace, Collection<Path> inputs) throws IOException {
        Path absolute = target.toAbsolutePath();
        List<FileStatus> inputStatuses = PrivateFiles.statusesOf(inputs);
        PrivateFiles.checkTarget(absolute, replace, inputStatuses);
        return new AtomicOutput(absolute, replace, inputStatuses, PrivateFiles.createBeside(absolute));
    }

    /** Where the output goes once committed. */
    public Path target() {
        return target;
    }

    /** Where the bytes go until then. */
    public Path temporaryFile() {
        return temporary.path();
    }

    /** Writes to the temporary file; closing it does not end the output ({@link #commit} or {@link #close} does). */
    public OutputStream stream() {
        return stream;
    }

    /**
     * Syncs the file and renames it to the target, after checking the target
     * again: still absent, or (with {@code replace}) still the user's own
     * regular file and not an input. A name that appeared meanwhile is not
     * replaced without {@code replace}.
     */
    public void commit() throws IOException {
        if (committed) {
            return;
        }
        if (!descriptorOpen) {
            throw new IOException("writing " + target + ": the output was already closed");
        }
        stream.close();
        descriptorOpen = false;
        try {
            Descriptors.sync(temporary.fd(), target);
        } finally {
            Descriptors.close(temporary.fd(), target);
        }
        PrivateFiles.moveIntoPlace(temporary.path(), target, replace, inputs);
        PrivateFiles.forget(temporary.path());
        committed = true;
    }

    /** Without a commit: removes the temporary file, and the target is as it was. */
    @Override
    public void close() {
        if (descriptorOpen) {
            descriptorOpen = false;
            Descriptors.closeQuietly(temporary.fd());
        }
        if (!committed) {
            PrivateFiles.removeQuietly(temporary.path());
        }
    }
}
