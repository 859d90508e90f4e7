package io.bpfscope.io;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.bridge.sys.LibC;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes to a file descriptor bpfscope opened itself (close-on-exec, created
 * new), so the bytes go to the file that was created and checked, not to
 * whatever a name points at later. Not thread-safe; wrap it in a buffer.
 */
final class DescriptorOutputStream extends OutputStream {
    private final int fd;
    private final Path path;
    private final boolean closesDescriptor;
    private boolean closed;

    /**
     * @param closesDescriptor false when the owner of {@code fd} closes it
     *     (an {@link AtomicOutput} syncs it before it moves the file into place)
     */
    DescriptorOutputStream(int fd, Path path, boolean closesDescriptor) {
        this.fd = fd;
        this.path = path;
        this.closesDescriptor = closesDescriptor;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (closed) {
            throw new IOException("writing " + path + ": already closed");
        }
        while (length > 0) {
            long written = LibC.INSTANCE.write(fd, ByteBuffer.wrap(bytes, offset, length), new NativeLong(length))
                    .longValue();
            if (written < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw Descriptors.failure("writing", path, errno);
            }
            offset += (int) written;
            length -= (int) written;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (closesDescriptor) {
            Descriptors.close(fd, path);
        }
    }
}
