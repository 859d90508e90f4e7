package io.bpfscope.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What a path is, to show a refused write left it alone: type, owner,
 * group, mode, link count, and the bytes of a regular file or the target of
 * a link. Compare two with equals.
 */
public record FileSnapshot(int mode, int uid, int gid, int links, String linkTarget, byte[] content) {
    public static FileSnapshot of(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid,gid,nlink", LinkOption.NOFOLLOW_LINKS);
        boolean link = Files.isSymbolicLink(path);
        boolean regular = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
        return new FileSnapshot((Integer) unix.get("mode"), (Integer) unix.get("uid"), (Integer) unix.get("gid"),
                (Integer) unix.get("nlink"), link ? Files.readSymbolicLink(path).toString() : null,
                regular ? Files.readAllBytes(path) : null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FileSnapshot that && mode == that.mode && uid == that.uid && gid == that.gid
                && links == that.links && java.util.Objects.equals(linkTarget, that.linkTarget)
                && Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(content) ^ mode ^ uid;
    }

    @Override
    public String toString() {
        return String.format("mode %o uid %d gid %d links %d%s%s", mode, uid, gid, links,
                linkTarget != null ? " -> " + linkTarget : "", content != null ? ", " + content.length + " bytes" : "");
    }
}
