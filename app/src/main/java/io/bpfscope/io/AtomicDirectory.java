package io.bpfscope.io;

import com.sun.jna.Native;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.bridge.sys.LibC;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of files written whole or not at all (a Parquet dataset): they
 * are written into a new directory beside the target ({@code .NAME.RANDOM.tmp},
 * 0700 and this process's while it is written, so nobody can plant a link in it
 * under a writer that runs as root), which {@link #commit} makes the invoking
 * user's (directories 0700, files 0600, on paths nobody else can change) and
 * renames to the target. The target must be absent, an empty directory of the
 * user's, or (with {@code replace}) a directory of the user's: then only its
 * {@code probe=*} partitions are replaced, its other files are left. Closed without
 * a commit it leaves nothing behind. Not thread-safe.
 */
public final class AtomicDirectory implements Closeable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int AT_REMOVEDIR = 0x200;
    /** The names of a dataset's parts that {@code replace} may remove from an existing target. */
    private static final String PARTITION_PREFIX = "probe=";

    private final Path target;
    private final boolean replace;
    private final Path temporary;
    private boolean committed;

    private AtomicDirectory(Path target, boolean replace, Path temporary) {
        this.target = target;
        this.replace = replace;
        this.temporary = temporary;
    }

    /** Checks the target now (a refusal comes before any work) and makes the temporary directory. */
    public static AtomicDirectory open(Path target, boolean replace) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        check(absolute, replace);
        String name = absolute.getFileName().toString();
        String base = "." + (name.length() > 200 ? name.substring(0, 200) : name) + ".";
        for (int attempt = 0; attempt < 100; attempt++) {
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            Path candidate = absolute.resolveSibling(base + HexFormat.of().formatHex(random) + ".tmp");
            try {
                Files.createDirectory(candidate, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                return new AtomicDirectory(absolute, replace, candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another name
            }
        }
        throw new IOException("cannot create a temporary directory beside " + absolute + ": every name tried was taken");
    }

    /** Where the files go until {@link #commit}. */
    public Path directory() {
        return temporary;
    }

    public Path target() {
        return target;
    }

    /** Makes every file the user's and private, then puts the directory (or its partitions) in place. */
    public void commit() throws IOException {
        if (committed) {
            return;
        }
        try (Stream<Path> paths = Files.walk(temporary)) {
            for (Path path : (Iterable<Path>) paths.skip(1)::iterator) {
                makeUsers(path);
            }
        }
        Optional<FileStatus> there = check(target, replace);
        if (there.isPresent() && !isEmpty(target)) {
            replacePartitions();
            deleteTree(temporary); // empty now, and still ours
        } else {
            makeUsers(temporary);
            if (there.isEmpty() && !Descriptors.renameNoReplace(temporary, target)) {
                throw PrivateFiles.exists(target);
            } else if (there.isPresent()) {
                Descriptors.rename(temporary, target); // rename(2) replaces an empty directory, nothing else
            }
        }
        committed = true;
    }

    /** A file or directory written: private, and under sudo the invoking user's (nobody else can change its path). */
    private static void makeUsers(Path path) throws IOException {
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        if (!directory && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(path + " is neither a file nor a directory; nothing was written");
        }
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
        InvokingUser user = InvokingUser.current();
        if (user.viaSudo()) {
            Files.setAttribute(path, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The target's probe=* partitions removed (entered by descriptor, links never followed), the new ones moved in. */
    private void replacePartitions() throws IOException {
        int dir = Descriptors.openDirectory(LibC.AT_FDCWD, target.toString(), target, false);
        try {
            List<String> old;
            try (Stream<Path> names = Files.list(target)) {
                old = names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PARTITION_PREFIX)).toList();
            }
            for (String partition : old) {
                removePartition(dir, partition, target.resolve(partition));
            }
            try (Stream<Path> fresh = Files.list(temporary)) {
                for (Path part : (Iterable<Path>) fresh::iterator) {
                    Descriptors.rename(part, target.resolve(part.getFileName()));
                }
            }
        } finally {
            Descriptors.closeQuietly(dir);
        }
    }

    /** Removes one partition: its regular files, then itself; anything else in it is refused. */
    private static void removePartition(int parent, String name, Path shown) throws IOException {
        int dir = Descriptors.openDirectory(parent, name, shown, false);
        try (Stream<Path> entries = Files.list(shown)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (LibC.INSTANCE.unlinkat(dir, entry.getFileName().toString(), 0) != 0 && Native.getLastError() != Errno.ENOENT) {
                    throw Descriptors.failure("removing the old partition file", entry, Native.getLastError());
                }
            }
        } finally {
            Descriptors.closeQuietly(dir);
        }
        if (LibC.INSTANCE.unlinkat(parent, name, AT_REMOVEDIR) != 0 && Native.getLastError() != Errno.ENOENT) {
            throw Descriptors.failure("removing the old partition", shown, Native.getLastError());
        }
    }

    /** What is at {@code target} when it may be written; refused (one line) otherwise. */
    private static Optional<FileStatus> check(Path target, boolean replace) throws IOException {
        Optional<FileStatus> there = FileStatus.ofLink(target);
        if (there.isEmpty()) {
            return there;
        }
        FileStatus existing = there.get();
        if (existing.isSymbolicLink()) {
            throw new OutputRefusedException(target + " is a symbolic link, which bpfscope never writes through; choose another name");
        }
        if (!existing.isDirectory()) {
            throw new OutputRefusedException(target + " exists and is not a directory; name a new directory");
        }
        int uid = InvokingUser.current().uid();
        if (existing.uid() != uid) {
            throw new OutputRefusedException(target + " belongs to uid " + existing.uid() + ", not to you (uid " + uid
                    + "); choose another name");
        }
        if (!isEmpty(target) && !replace) {
            throw new OutputRefusedException(target + " is a directory that is not empty; name a new one, or add --force"
                    + " to replace the dataset in it (its probe=* parts)");
        }
        return there;
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Without a commit: removes the temporary directory; the target is as it was. */
    @Override
    public void close() {
        if (!committed) {
            try {
                deleteTree(temporary);
            } catch (IOException e) {
                // the failure being reported matters more
            }
        }
    }

    /** Removes a tree this process made and nobody else can write (0700, ours until commit). */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
