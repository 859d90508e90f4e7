package io.bpfscope.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What stat(2) says about a file: its identity (device and inode), type,
 * owner, mode and link count. Immutable.
 */
record FileStatus(long device, long inode, int uid, int mode, int links, long size) {
    private static final String ATTRIBUTES = "unix:dev,ino,uid,mode,nlink,size";
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    /** The path itself, a symbolic link not followed (lstat); empty when nothing is there. */
    static Optional<FileStatus> ofLink(Path path) throws IOException {
        try {
            return Optional.of(of(Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** What the path names, links followed (stat). */
    static FileStatus of(Path path) throws IOException {
        return of(Files.readAttributes(path, ATTRIBUTES));
    }

    /**
     * The open file behind a descriptor (fstat): {@code /proc/self/fd/N} is
     * the open file itself, not a name that could have been replaced.
     */
    static FileStatus of(int fd) throws IOException {
        return of(Path.of("/proc/self/fd/" + fd));
    }

    private static FileStatus of(Map<String, Object> attributes) {
        return new FileStatus(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue(),
                (Integer) attributes.get("uid"), (Integer) attributes.get("mode"), (Integer) attributes.get("nlink"),
                ((Number) attributes.get("size")).longValue());
    }

    boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** The permission bits, e.g. 0600. */
    int permissions() {
        return mode & 07777;
    }

    boolean sameFileAs(FileStatus other) {
        return device == other.device && inode == other.inode;
    }

    /** "a symbolic link", "a FIFO", ... for messages. */
    String kind() {
        switch (mode & S_IFMT) {
            case S_IFREG:
                return "a regular file";
            case S_IFDIR:
                return "a directory";
            case S_IFLNK:
                return "a symbolic link";
            case S_IFIFO:
                return "a FIFO";
            case S_IFCHR:
                return "a character device";
            case S_IFBLK:
                return "a block device";
            case S_IFSOCK:
                return "a socket";
            default:
                return "not a regular file";
        }
    }
}
