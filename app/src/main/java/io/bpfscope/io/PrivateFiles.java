package io.bpfscope.io;

import io.bpfscope.bridge.sys.LibC;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates the files bpfscope writes, which may hold secrets (captured
 * plaintext), the way OpenSSH and systemd do: always a new file
 * ({@code O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC}), mode 0600 from the start,
 * and under sudo handed to the invoking user on the open descriptor
 * (fchown), so neither a symbolic link nor a file swapped in by name can
 * make root write, truncate or chown someone else's file. A file that is
 * written whole or not at all is an {@link AtomicOutput}. Thread-safe.
 */
public final class PrivateFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private PrivateFiles() {
    }

    /**
     * Creates {@code path} as a new private file and opens it for writing;
     * the bytes go straight to it (a {@code record} keeps what it wrote even
     * if it is stopped hard). Something already at {@code path} is refused
     * with an {@link OutputRefusedException}, unless {@code replace} is given
     * and it is a regular file of the invoking user: then the new file is
     * made beside it and renamed over it. A symbolic link, a directory, a
     * FIFO or a device is never written, also not with {@code replace}.
     */
    public static OutputStream create(Path path, boolean replace) throws IOException {
        Path target = path.toAbsolutePath();
        checkTarget(target, replace, List.of()); // the reason, before anything is created
        if (!replace) {
            int fd = Descriptors.createNew(LibC.AT_FDCWD, target.toString(), target);
            if (fd < 0) {
                throw exists(target);
            }
            return privateStream(fd, target, target);
        }
        Created fresh = createBeside(target);
        try {
            moveIntoPlace(fresh.path(), target, replace, List.of());
            forget(fresh.path());
            return new DescriptorOutputStream(fresh.fd(), target, true);
        } catch (IOException | RuntimeException e) {
            Descriptors.closeQuietly(fresh.fd());
            removeQuietly(fresh.path());
            throw e;
        }
    }

    /**
     * A new private temporary file {@code prefix + random + suffix} in
     * {@code directory} (the system's when null), open for writing, and
     * removed when the JVM exits, also on SIGTERM or Ctrl-C: a live capture's
     * plaintext must not outlive the program that took it. {@link #delete}
     * removes it earlier.
     */
    public static PrivateFile createTemporary(Path directory, String prefix, String suffix) throws IOException {
        Path dir = (directory == null ? Path.of(System.getProperty("java.io.tmpdir")) : directory).toAbsolutePath();
        for (int attempt = 0; attempt < 100; attempt++) {
            Path file = dir.resolve(prefix + randomHex() + suffix);
            int fd = Descriptors.createNew(LibC.AT_FDCWD, file.toString(), file);
            if (fd >= 0) {
                RemoveAtExit.add(file);
                return new PrivateFile(file, privateStream(fd, file, file));
            }
        }
        throw new IOException("cannot create a temporary file in " + dir + ": every name tried was taken");
    }

    /** Removes a file made by {@link #createTemporary} (or any file: a link is removed, not followed). */
    public static void delete(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Descriptors.unlink(absolute);
        forget(absolute);
    }

    /**
     * Creates the missing directories of {@code dir} 0700 and, under sudo,
     * owned by the invoking user (on the descriptor); existing ones are left
     * as they are. The last one is never a symbolic link.
     */
    public static void createDirectories(Path dir) throws IOException {
        Descriptors.closeQuietly(openDirectory(dir));
    }

    /**
     * Opens a log to append to: {@code file} in its directory (created as by
     * {@link #createDirectories}), which must belong to the invoking user and
     * be writable by nobody else; the file is created new 0600, or an existing
     * one is used only when it is the user's own regular file with no other
     * name. Past {@code rotateAbove} bytes it is renamed to {@code NAME.1}
     * (replacing the one before) and a new one is started.
     */
    public static OutputStream openLog(Path file, long rotateAbove) throws IOException {
        Path absolute = file.toAbsolutePath();
        String name = absolute.getFileName().toString();
        int dirFd = openDirectory(absolute.getParent());
        try {
            FileStatus dir = FileStatus.of(dirFd);
            int uid = InvokingUser.current().uid();
            if (dir.uid() != uid || (dir.permissions() & 022) != 0) {
                throw new OutputRefusedException("not logging to " + absolute + ": its directory belongs to uid " + dir.uid()
                        + " or others can write to it");
            }
            int fd = Descriptors.createNew(dirFd, name, absolute);
            if (fd < 0) {
                fd = Descriptors.openToAppend(dirFd, name, absolute);
                FileStatus log = FileStatus.of(fd);
                if (!log.isRegularFile() || log.uid() != uid || log.links() != 1) {
                    Descriptors.closeQuietly(fd);
                    throw new OutputRefusedException("not logging to " + absolute + ": it is " + log.kind() + " of uid "
                            + log.uid() + " with " + log.links() + " names, not a private file of yours");
                }
                if (log.size() <= rotateAbove) {
                    Descriptors.makePrivate(fd, Descriptors.PRIVATE_FILE, absolute); // a log from before may be 0644
                    return new DescriptorOutputStream(fd, absolute, true);
                }
                Descriptors.closeQuietly(fd);
                Descriptors.renameAt(dirFd, name, name + ".1", absolute);
                fd = Descriptors.createNew(dirFd, name, absolute);
                if (fd < 0) {
                    throw exists(absolute);
                }
            }
            try {
                Descriptors.makePrivate(fd, Descriptors.PRIVATE_FILE, absolute);
            } catch (IOException e) {
                Descriptors.closeQuietly(fd);
                Descriptors.unlinkAt(dirFd, name, absolute);
                throw e;
            }
            return new DescriptorOutputStream(fd, absolute, true);
        } finally {
            Descriptors.closeQuietly(dirFd);
        }
    }

    /**
     * Refuses what bpfscope must not write over; returns what is there when
     * {@code replace} may replace it. {@code inputs} are the files being read.
     */
    static Optional<FileStatus> checkTarget(Path target, boolean replace, Collection<FileStatus> inputs)
            throws IOException {
        Optional<FileStatus> there = FileStatus.ofLink(target);
        if (there.isEmpty()) {
            return there;
        }
        FileStatus existing = there.get();
        if (existing.isSymbolicLink()) {
            throw new OutputRefusedException(target + " is a symbolic link, which bpfscope never writes through;"
                    + " choose another name");
        }
        if (existing.isDirectory()) {
            throw new OutputRefusedException(target + " is a directory; name a file to write");
        }
        if (!existing.isRegularFile()) {
            throw new OutputRefusedException(target + " is " + existing.kind() + ", not a regular file; choose another"
                    + " name (or write to - and redirect)");
        }
        for (FileStatus input : inputs) {
            if (input.sameFileAs(existing)) {
                throw new OutputRefusedException(target + " is the file being read; choose another name");
            }
        }
        if (!replace) {
            throw exists(target);
        }
        int uid = InvokingUser.current().uid();
        if (existing.uid() != uid) {
            throw new OutputRefusedException(target + " belongs to uid " + existing.uid() + ", not to you (uid " + uid
                    + "); bpfscope replaces only your own files: choose another name");
        }
        return there;
    }

    /** What each input is, to recognise it under another name; inputs that are not there are left out. */
    static List<FileStatus> statusesOf(Collection<Path> inputs) throws IOException {
        List<FileStatus> statuses = new java.util.ArrayList<>();
        for (Path input : inputs) {
            try {
                statuses.add(FileStatus.of(input));
            } catch (java.nio.file.NoSuchFileException e) {
                // nothing there, nothing to overwrite
            }
        }
        return statuses;
    }

    /**
     * Renames {@code fresh} to {@code target}: over the user's own regular
     * file when {@code replace} allows (checked again now), never over
     * anything else, nor over a name that appeared meanwhile without it.
     */
    static void moveIntoPlace(Path fresh, Path target, boolean replace, Collection<FileStatus> inputs)
            throws IOException {
        Optional<FileStatus> existing = checkTarget(target, replace, inputs);
        if (existing.isPresent()) {
            Descriptors.rename(fresh, target);
        } else if (!Descriptors.renameNoReplace(fresh, target)) {
            throw exists(target);
        }
    }

    /** A new private file, open, beside {@code target}: {@code .NAME.RANDOM.tmp}, removed at exit unless kept. */
    static Created createBeside(Path target) throws IOException {
        String name = target.getFileName().toString();
        String base = "." + (name.length() > 200 ? name.substring(0, 200) : name) + ".";
        for (int attempt = 0; attempt < 100; attempt++) {
            Path file = target.resolveSibling(base + randomHex() + ".tmp");
            int fd = Descriptors.createNew(LibC.AT_FDCWD, file.toString(), target);
            if (fd >= 0) {
                RemoveAtExit.add(file);
                try {
                    Descriptors.makePrivate(fd, Descriptors.PRIVATE_FILE, target);
                } catch (IOException e) {
                    Descriptors.closeQuietly(fd);
                    removeQuietly(file);
                    throw e;
                }
                return new Created(fd, file);
            }
        }
        throw new IOException("cannot create a temporary file beside " + target + ": every name tried was taken");
    }

    /** A file just created and its descriptor. */
    record Created(int fd, Path path) {
    }

    /** Removes a file this process created and no longer wants, on a path that already fails. */
    static void removeQuietly(Path file) {
        try {
            delete(file);
        } catch (IOException e) {
            // the failure being reported matters more; the exit hook tries again
        }
    }

    /** A file kept under its final name is no longer removed at exit. */
    static void forget(Path file) {
        RemoveAtExit.remove(file);
    }

    static OutputRefusedException exists(Path target) {
        return new OutputRefusedException(target + " exists; choose another name or add --force to replace it");
    }

    /** Makes a just-created file private (exact mode, the user's) and wraps it; removes it if that fails. */
    private static OutputStream privateStream(int fd, Path created, Path shown) throws IOException {
        try {
            Descriptors.makePrivate(fd, Descriptors.PRIVATE_FILE, shown);
        } catch (IOException e) {
            Descriptors.closeQuietly(fd);
            removeQuietly(created);
            throw e;
        }
        return new DescriptorOutputStream(fd, shown, true);
    }

    /**
     * Opens {@code dir}, creating what is missing 0700 (the user's under
     * sudo). The part that existed before is resolved as the system does (a
     * linked ~/.cache is fine); each directory below it, and {@code dir}
     * itself, is entered without following a link.
     */
    private static int openDirectory(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (absolute.getParent() == null) {
            return Descriptors.openDirectory(LibC.AT_FDCWD, absolute.toString(), absolute, true);
        }
        Path existing = absolute.getParent();
        List<String> below = new java.util.ArrayList<>(List.of(absolute.getFileName().toString()));
        while (existing.getParent() != null && FileStatus.ofLink(existing).isEmpty()) {
            below.add(0, existing.getFileName().toString());
            existing = existing.getParent();
        }
        int fd = Descriptors.openDirectory(LibC.AT_FDCWD, existing.toString(), existing, true);
        Path reached = existing;
        try {
            for (String name : below) {
                reached = reached.resolve(name);
                boolean created = Descriptors.makeDirectory(fd, name, reached);
                int child = Descriptors.openDirectory(fd, name, reached, false);
                Descriptors.closeQuietly(fd);
                fd = child;
                if (created) {
                    Descriptors.makePrivate(fd, Descriptors.PRIVATE_DIRECTORY, reached);
                }
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Files removed when the JVM exits (normally, on SIGTERM or Ctrl-C): the
     * hook is installed the first time one is made.
     */
    private static final class RemoveAtExit {
        private static final Set<Path> FILES = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (Path file : FILES) {
                    try {
                        Descriptors.unlink(file);
                    } catch (IOException e) {
                        // exiting: nothing more can be done
                    }
                }
            }, "bpfscope-remove-temporary-files"));
        }

        static void add(Path file) {
            FILES.add(file);
        }

        static void remove(Path file) {
            FILES.remove(file);
        }
    }
}
