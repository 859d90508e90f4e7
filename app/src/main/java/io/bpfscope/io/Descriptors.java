package io.bpfscope.io;

import com.sun.jna.Native;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.bridge.sys.LibC;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The libc file calls behind {@link PrivateFiles}, each result checked where
 * the call is made, errno turned into a sentence that names the path and
 * what to do. Thread-safe.
 */
final class Descriptors {
    static final int PRIVATE_FILE = 0600;
    static final int PRIVATE_DIRECTORY = 0700;

    /** A new file, never an existing one or a link: the flags OpenSSH and systemd use for files they own. */
    private static final int CREATE_NEW = LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC;

    private static final LibC LIBC = LibC.INSTANCE;

    private Descriptors() {
    }

    /**
     * Creates {@code name} new in {@code dirfd} ({@link LibC#AT_FDCWD} for a
     * path), 0600, and opens it for writing. Returns the descriptor, or -1
     * when something is already there (EEXIST, also a symbolic link).
     */
    static int createNew(int dirfd, String name, Path shown) throws IOException {
        while (true) {
            int fd = LIBC.openat(dirfd, name, CREATE_NEW, PRIVATE_FILE);
            if (fd >= 0) {
                return fd;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EEXIST) {
                return -1;
            }
            if (errno != Errno.EINTR) {
                throw failure("creating", shown, errno);
            }
        }
    }

    /**
     * Opens an existing file for appending, not through a symbolic link, and
     * without waiting for a reader should it be a FIFO (callers check the type).
     */
    static int openToAppend(int dirfd, String name, Path shown) throws IOException {
        int flags = LibC.O_WRONLY | LibC.O_APPEND | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC;
        int fd = LIBC.openat(dirfd, name, flags, 0);
        if (fd < 0) {
            throw failure("opening", shown, Native.getLastError());
        }
        return fd;
    }

    /** Opens a directory to work inside it (the *at calls); through a symbolic link only when {@code follow}. */
    static int openDirectory(int dirfd, String name, Path shown, boolean follow) throws IOException {
        int flags = LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC | (follow ? 0 : LibC.O_NOFOLLOW);
        int fd = LIBC.openat(dirfd, name, flags, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            // O_DIRECTORY|O_NOFOLLOW on a link says ENOTDIR: say what it is instead.
            boolean link = errno == Errno.ENOTDIR && FileStatus.ofLink(shown).map(FileStatus::isSymbolicLink).orElse(false);
            throw failure("opening directory", shown, link ? Errno.ELOOP : errno);
        }
        return fd;
    }

    /** mkdirat: true when made, false when something was there already. */
    static boolean makeDirectory(int dirfd, String name, Path shown) throws IOException {
        if (LIBC.mkdirat(dirfd, name, PRIVATE_DIRECTORY) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == Errno.EEXIST) {
            return false;
        }
        throw failure("creating directory", shown, errno);
    }

    /**
     * Exactly {@code mode} whatever the umask, and under sudo the invoking
     * user's, both set on the descriptor so no other file can be changed.
     */
    static void makePrivate(int fd, int mode, Path shown) throws IOException {
        if (LIBC.fchmod(fd, mode) != 0) {
            throw failure("setting the mode of", shown, Native.getLastError());
        }
        InvokingUser user = InvokingUser.current();
        if (user.viaSudo() && LIBC.fchown(fd, user.uid(), user.gid()) != 0) {
            throw failure("handing to uid " + user.uid() + ":", shown, Native.getLastError());
        }
    }

    static void sync(int fd, Path shown) throws IOException {
        if (LIBC.fsync(fd) != 0) {
            throw failure("writing", shown, Native.getLastError());
        }
    }

    /** close(2); an error here (NFS, a full disk) means data was lost, so it is reported. */
    static void close(int fd, Path shown) throws IOException {
        if (LIBC.close(fd) != 0 && Native.getLastError() != Errno.EINTR) {
            throw failure("writing", shown, Native.getLastError());
        }
    }

    /** Closes without a report, on a path that already fails. */
    static void closeQuietly(int fd) {
        LIBC.close(fd);
    }

    /** rename(2): replaces what is at {@code to} (a link there is replaced, not followed). */
    static void rename(Path from, Path to) throws IOException {
        if (LIBC.renameat2(LibC.AT_FDCWD, from.toString(), LibC.AT_FDCWD, to.toString(), 0) != 0) {
            throw failure("renaming " + from.getFileName() + " to", to, Native.getLastError());
        }
    }

    /** renameat(2) within one directory. */
    static void renameAt(int dirfd, String from, String to, Path shown) throws IOException {
        if (LIBC.renameat2(dirfd, from, dirfd, to, 0) != 0) {
            throw failure("renaming", shown, Native.getLastError());
        }
    }

    /** Moves {@code from} to {@code to} unless something is at {@code to}; false when something is. */
    static boolean renameNoReplace(Path from, Path to) throws IOException {
        if (LIBC.renameat2(LibC.AT_FDCWD, from.toString(), LibC.AT_FDCWD, to.toString(), LibC.RENAME_NOREPLACE) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == Errno.EEXIST) {
            return false;
        }
        if (errno != Errno.EINVAL && errno != Errno.ENOSYS && errno != Errno.EOPNOTSUPP) {
            throw failure("renaming " + from.getFileName() + " to", to, errno);
        }
        // A file system without RENAME_NOREPLACE: link(2) never replaces either.
        if (LIBC.linkat(LibC.AT_FDCWD, from.toString(), LibC.AT_FDCWD, to.toString(), 0) != 0) {
            int linkErrno = Native.getLastError();
            if (linkErrno == Errno.EEXIST) {
                return false;
            }
            throw failure("linking " + from.getFileName() + " to", to, linkErrno);
        }
        unlink(from);
        return true;
    }

    /** Removes a name (a link is removed, not followed); a missing one is fine. */
    static void unlink(Path path) throws IOException {
        if (LIBC.unlinkat(LibC.AT_FDCWD, path.toString(), 0) != 0 && Native.getLastError() != Errno.ENOENT) {
            throw failure("removing", path, Native.getLastError());
        }
    }

    /** unlinkat(2) within a directory; a missing name is fine. */
    static void unlinkAt(int dirfd, String name, Path shown) throws IOException {
        if (LIBC.unlinkat(dirfd, name, 0) != 0 && Native.getLastError() != Errno.ENOENT) {
            throw failure("removing", shown, Native.getLastError());
        }
    }

    /** "creating /x/y: no space left on the device (ENOSPC)": what failed, where, and what it means. */
    static IOException failure(String doing, Path path, int errno) {
        String reason;
        switch (errno) {
            case Errno.ENOENT:
                reason = "the directory " + (path.getParent() == null ? "" : path.getParent() + " ") + "does not exist";
                break;
            case Errno.EACCES:
            case Errno.EPERM:
                reason = "permission denied";
                break;
            case Errno.ENOSPC:
            case Errno.EDQUOT:
                reason = "no space left on the device; free some space or choose another place";
                break;
            case Errno.EROFS:
                reason = "the file system is read-only";
                break;
            case Errno.ENOTDIR:
                reason = "a part of the path is not a directory";
                break;
            case Errno.ENXIO:
                reason = "it is a FIFO or a device, not a regular file";
                break;
            case Errno.ELOOP:
                reason = "it is a symbolic link, which bpfscope does not follow";
                break;
            default:
                reason = LibC.INSTANCE.strerror(errno);
        }
        return new IOException(doing + " " + path + ": " + reason + " (" + Errno.name(errno) + ")");
    }
}
