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
    // By its soname: for plain "c" JNA runs ldconfig -p to find it, a process spawned on every start.
    LibC INSTANCE = Native.load(com.sun.jna.Platform.C_LIBRARY_NAME, LibC.class);

    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x01;
    long MAP_FAILED = -1L;

    int EPOLL_CLOEXEC = 0x80000;
    int EPOLL_CTL_ADD = 1;
    int EPOLLIN = 0x001;

    // open(2) flags and *at(2) arguments (the generic Linux values, x86_64 and aarch64).
    int O_RDONLY = 0;
    int O_WRONLY = 01;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_APPEND = 02000;
    int O_NONBLOCK = 04000;
    int O_DIRECTORY = 0200000;
    int O_NOFOLLOW = 0400000;
    int O_CLOEXEC = 02000000;
    int AT_FDCWD = -100;
    int RENAME_NOREPLACE = 1;

    int CLOCK_REALTIME = 0;
    int CLOCK_BOOTTIME = 7;

    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 02000000;
    int SOL_SOCKET = 1;
    int SO_PEERCRED = 17;
    int POLLIN = 0x001;
    int SIGQUIT = 3;
    int F_SETPIPE_SZ = 1031;

    Pointer mmap(Pointer addr, NativeLong length, int prot, int flags, int fd, NativeLong offset);

    int munmap(Pointer addr, NativeLong length);

    int close(int fd);

    /* Unix-domain sockets (the jsse probe's attach protocol and its agents' channel). Addresses are
       struct sockaddr_un as bytes: u16 AF_UNIX, then the path and its NUL. */
    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] address, int length);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer address, Pointer length, int flags);

    int connect(int fd, byte[] address, int length);

    /** SO_PEERCRED fills three ints: pid, uid, gid. */
    int getsockopt(int fd, int level, int name, int[] value, int[] length);

    /** {@code fds}: struct pollfd as two ints each: fd, then events (low half) and revents (high half). */
    int poll(int[] fds, NativeLong count, int timeoutMillis);

    NativeLong read(int fd, byte[] buffer, NativeLong count);

    NativeLong send(int fd, byte[] buffer, NativeLong count, int flags);

    int kill(int pid, int signal);

    /** openat(2) with a mode: declared with four arguments, which the Linux ABIs pass as for the variadic C one. */
    int openat(int dirfd, String path, int flags, int mode);

    int mkdirat(int dirfd, String path, int mode);

    int mkfifoat(int dirfd, String path, int mode);

    /** fcntl(2) with an int argument (F_SETPIPE_SZ): passed as for the variadic C one on the Linux ABIs. */
    int fcntl(int fd, int command, int argument);

    /** {@code buffer} is a heap or direct buffer; JNA passes its position onwards. */
    NativeLong write(int fd, java.nio.Buffer buffer, NativeLong count);

    int fsync(int fd);

    int fchmod(int fd, int mode);

    int fchown(int fd, int owner, int group);

    int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    int linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags);

    int unlinkat(int dirfd, String path, int flags);

    int getpwuid_r(int uid, Passwd pwd, Pointer buffer, NativeLong bufferLength, PointerByReference result);

    int epoll_create1(int flags);

    /** {@code event} points at a packed struct epoll_event: u32 events, u64 data (12 bytes on x86_64). */
    int epoll_ctl(int epfd, int op, int fd, Pointer event);

    int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

    int clock_gettime(int clockId, Timespec ts);

    int geteuid();

    int getuid();

    int getgid();

    int getpid();

    int getpgid(int pid);

    int getpagesize();

    int isatty(int fd);

    int mount(String source, String target, String fsType, NativeLong flags, Pointer data);

    int vasprintf(PointerByReference out, String format, Pointer vaList);

    String strerror(int errnum);

    /** struct passwd (glibc): the strings point into the buffer given to getpwuid_r. */
    @Structure.FieldOrder({"pw_name", "pw_passwd", "pw_uid", "pw_gid", "pw_gecos", "pw_dir", "pw_shell"})
    class Passwd extends Structure {
        public String pw_name;
        public String pw_passwd;
        public int pw_uid;
        public int pw_gid;
        public String pw_gecos;
        public String pw_dir;
        public String pw_shell;
    }

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
