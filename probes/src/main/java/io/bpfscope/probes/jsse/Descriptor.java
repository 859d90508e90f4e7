package io.bpfscope.probes.jsse;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.bridge.sys.LibC;
import java.io.IOException;

/**
 * A file descriptor read through libc with a timeout: the read end of an agent's channel (a FIFO),
 * and the base of {@link UnixSocket}. One owner thread reads; {@link #close()} may come from
 * another. Closing twice is harmless.
 */
class Descriptor implements AutoCloseable {
    static final LibC LIBC = LibC.INSTANCE;

    private volatile int fd;

    Descriptor(int fd) {
        this.fd = fd;
    }

    /** The descriptor, or -1 once closed. */
    final int fd() {
        return fd;
    }

    /** Waits up to {@code timeoutMillis} for something to read (or a connection to accept, or the end); false on timeout. */
    final boolean await(int timeoutMillis) throws IOException {
        int current = fd;
        if (current < 0) {
            throw new IOException("closed");
        }
        int[] pollfd = {current, LibC.POLLIN};
        int ready = LIBC.poll(pollfd, new NativeLong(1), timeoutMillis);
        if (ready < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                return false;
            }
            throw failure("poll", errno);
        }
        return ready > 0;
    }

    /** Up to {@code buffer.length - offset} bytes; 0 at the end of the stream. */
    final int read(byte[] buffer, int offset) throws IOException {
        return read(buffer, offset, buffer.length - offset);
    }

    /** Up to {@code length} bytes into {@code buffer} at {@code offset}; 0 at the end of the stream. */
    final int read(byte[] buffer, int offset, int length) throws IOException {
        byte[] into = offset == 0 ? buffer : new byte[length];
        long n = LIBC.read(fd, into, new NativeLong(length)).longValue();
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return -1;
            }
            throw failure("read", errno);
        }
        if (offset != 0) {
            System.arraycopy(into, 0, buffer, offset, (int) n);
        }
        return (int) n;
    }

    @Override
    public void close() {
        int current = fd;
        fd = -1;
        if (current >= 0) {
            LIBC.close(current);
        }
    }

    static IOException failure(String what, int errno) {
        return new IOException(what + ": " + LIBC.strerror(errno));
    }
}
