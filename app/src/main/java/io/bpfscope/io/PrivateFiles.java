package io.bpfscope.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Creates files that may hold secrets (captured plaintext): mode 0600 from
 * the first byte, and under sudo owned by the user who ran sudo, so they can
 * read and delete their own capture. Thread-safe.
 */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /** Creates or truncates {@code path} as 0600 (owned by SUDO_UID under sudo) and opens it for writing. */
    public static OutputStream create(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new FileAlreadyExistsException(absolute + " is a directory");
        }
        if (!Files.exists(absolute)) {
            Files.createFile(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
        }
        handToSudoUser(absolute);
        return Files.newOutputStream(absolute, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Under sudo, gives the file to the invoking user; otherwise does nothing. */
    /**
     * A private (0600) temporary capture in {@code directory} (the system's
     * when null), deleted when the JVM exits, also on SIGTERM or Ctrl-C: a
     * live capture's plaintext must not outlive the program that took it.
     */
    public static Path temporary(Path directory, String prefix) throws IOException {
        Path file = directory == null ? java.nio.file.Files.createTempFile(prefix, ".bscap")
                : java.nio.file.Files.createTempFile(directory, prefix, ".bscap");
        file.toFile().deleteOnExit();
        return file;
    }

    public static void handToSudoUser(Path path) throws IOException {
        String uid = System.getenv("SUDO_UID");
        String gid = System.getenv("SUDO_GID");
        if (uid == null || gid == null || !uid.matches("\\d+") || !gid.matches("\\d+")) {
            return;
        }
        Files.setAttribute(path, "unix:uid", Integer.parseInt(uid));
        Files.setAttribute(path, "unix:gid", Integer.parseInt(gid));
    }
}
