package io.bpfscope.bridge.ring;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.LibBpf;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.bridge.sys.LibC;
import java.nio.ByteOrder;

/**
 * A BPF ring buffer read straight from its memory: no native call per
 * record, one per wake-up ({@code epoll_wait}).
 *
 * <p>The kernel maps the ring as three parts (see kernel/bpf/ringbuf.c):
 * a consumer page we own and write, a producer page the kernel writes, and
 * the data area, mapped twice in a row so a record that wraps around the end
 * is still contiguous. Each record starts with an 8-byte header: a u32
 * length whose top bits say busy (still being written) and discard (skip
 * it), and a u32 the kernel uses to find its page. Records are 8-byte aligned.
 * The walk over them is {@link RingWalk}; this class maps and waits.
 *
 * <p>One thread reads ({@link #drain}, {@link #awaitData}); {@link #close} on
 * the same thread after the last read.
 */
public final class RingBuffer implements AutoCloseable {
    private final LibC libc = LibC.INSTANCE;
    private final int mapFd;
    private final boolean ownsFd;
    private final int size;
    private final int pageSize;
    private final Pointer consumerMapping;
    private final Pointer producerMapping;
    private final RingWalk walk;
    private final int epollFd;
    private final Memory epollEvents = new Memory(12 * 4);
    private boolean closed;

    private RingBuffer(int mapFd, boolean ownsFd, int size) throws BpfException {
        this.mapFd = mapFd;
        this.ownsFd = ownsFd;
        this.size = size;
        this.pageSize = libc.getpagesize();
        consumerMapping = map(pageSize, LibC.PROT_READ | LibC.PROT_WRITE, 0, "consumer page");
        Pointer producer;
        try {
            producer = map(pageSize + 2L * size, LibC.PROT_READ, pageSize, "data pages");
        } catch (BpfException e) {
            libc.munmap(consumerMapping, new NativeLong(pageSize));
            throw e;
        }
        producerMapping = producer;
        walk = new RingWalk(
                consumerMapping.getByteBuffer(0, pageSize).order(ByteOrder.nativeOrder()),
                producerMapping.getByteBuffer(0, pageSize).order(ByteOrder.nativeOrder()),
                producerMapping.getByteBuffer(pageSize, 2L * size).order(ByteOrder.nativeOrder()),
                size);
        epollFd = createEpoll();
    }

    /**
     * Creates a ring buffer map of {@code size} bytes (a power of two, at least
     * a page) and maps it. Probes share it through {@code BpfMap.reuseFd(fd())}.
     */
    public static RingBuffer create(int size) throws BpfException {
        int page = LibC.INSTANCE.getpagesize();
        if (Integer.bitCount(size) != 1 || size < page) {
            throw new BpfException("create ring buffer", size + " bytes", 0,
                    "the size must be a power of two of at least " + page + " bytes", "");
        }
        int fd = LibBpf.load().bpf_map_create(LibBpf.BPF_MAP_TYPE_RINGBUF, "events", 0, 0, size, null);
        if (fd < 0) {
            throw BpfException.of("create ring buffer", size / 1024 + " KiB", -fd, "");
        }
        try {
            return new RingBuffer(fd, true, size);
        } catch (BpfException e) {
            LibC.INSTANCE.close(fd);
            throw e;
        }
    }

    /**
     * Maps a ring buffer map that a loaded object created itself (a private ring, not the
     * shared one), {@code size} bytes as the map declares. Closing unmaps it; the map stays
     * the object's.
     */
    public static RingBuffer mapExisting(int mapFd, int size) throws BpfException {
        return new RingBuffer(mapFd, false, size);
    }

    public int fd() {
        return mapFd;
    }

    public int size() {
        return size;
    }

    /** Bytes written by the kernel and not yet consumed. */
    public long pendingBytes() {
        return walk.pendingBytes();
    }

    /**
     * Copies every complete record into {@code batch}, until the ring is empty,
     * a record is still being written, or the batch is full; then hands the
     * space back to the kernel. Returns the number of records copied.
     */
    public int drain(RecordBatch batch) {
        return walk.drain(batch);
    }

    /** Waits up to {@code timeoutMs} for data; true when the kernel says there is some. */
    public boolean awaitData(int timeoutMs) throws BpfException {
        int n = libc.epoll_wait(epollFd, epollEvents, 4, timeoutMs);
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                return false;
            }
            throw BpfException.of("wait for ring buffer", "events", errno, "");
        }
        return n > 0;
    }

    private Pointer map(long length, int prot, long offset, String what) throws BpfException {
        Pointer p = libc.mmap(null, new NativeLong(length), prot, LibC.MAP_SHARED, mapFd, new NativeLong(offset));
        if (p == null || Pointer.nativeValue(p) == LibC.MAP_FAILED) {
            throw BpfException.of("map ring buffer " + what, length / 1024 + " KiB", Native.getLastError(), "");
        }
        return p;
    }

    private int createEpoll() throws BpfException {
        int fd = libc.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (fd < 0) {
            throw BpfException.of("create epoll", "ring buffer", Native.getLastError(), "");
        }
        try (Memory event = new Memory(12)) {
            event.setInt(0, LibC.EPOLLIN);
            event.setLong(4, 0);
            if (libc.epoll_ctl(fd, LibC.EPOLL_CTL_ADD, mapFd, event) < 0) {
                int errno = Native.getLastError();
                libc.close(fd);
                throw BpfException.of("watch ring buffer", "epoll", errno, "");
            }
        }
        return fd;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        libc.close(epollFd);
        libc.munmap(producerMapping, new NativeLong(pageSize + 2L * size));
        libc.munmap(consumerMapping, new NativeLong(pageSize));
        if (ownsFd) {
            libc.close(mapFd);
        }
        epollEvents.close();
    }
}
