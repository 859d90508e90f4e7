package io.bpfscope.bridge.sys;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few libc calls bpfscope needs, C names kept. Callers check every
 * result where they make the call and read errno with {@link Native#getLastError()}.
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x01;
    long MAP_FAILED = -1L;

    int EPOLL_CLOEXEC = 0x80000;
    int EPOLL_CTL_ADD = 1;
    int EPOLLIN = 0x001;

    int CLOCK_REALTIME = 0;
    int CLOCK_BOOTTIME = 7;

    Pointer mmap(Pointer addr, NativeLong length, int prot, int flags, int fd, NativeLong offset);

    int munmap(Pointer addr, NativeLong length);

    int close(int fd);

    int epoll_create1(int flags);

    /** {@code event} points at a packed struct epoll_event: u32 events, u64 data (12 bytes on x86_64). */
    int epoll_ctl(int epfd, int op, int fd, Pointer event);

    int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

    int clock_gettime(int clockId, Timespec ts);

    int geteuid();

    int getpid();

    int getpgid(int pid);

    int getpagesize();

    int isatty(int fd);

    int mount(String source, String target, String fsType, NativeLong flags, Pointer data);

    int vasprintf(PointerByReference out, String format, Pointer vaList);

    String strerror(int errnum);

    /** struct timespec. */
    @Structure.FieldOrder({"tv_sec", "tv_nsec"})
    class Timespec extends Structure {
        public long tv_sec;
        public long tv_nsec;

        public long nanos() {
            return tv_sec * 1_000_000_000L + tv_nsec;
        }
    }
}
