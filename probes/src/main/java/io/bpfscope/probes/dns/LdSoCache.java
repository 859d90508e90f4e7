package io.bpfscope.probes.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the dynamic linker's cache ({@code /etc/ld.so.cache}, glibc's
 * {@code glibc-ld.so.cache1.1} format) the way ld.so looks a library up:
 * by soname, for this machine's word size and architecture. Stateless.
 */
final class LdSoCache {
    static final Path DEFAULT = Path.of("/etc/ld.so.cache");

    private static final byte[] MAGIC = "glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OLD_MAGIC = "ld.so-1.7.0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 48;
    private static final int ENTRY = 24;
    private static final int OLD_HEADER = 16;
    private static final int OLD_ENTRY = 12;
    /** Entry flags: the low byte says ELF libc6, the next the architecture. */
    private static final int FLAG_TYPE_MASK = 0x00ff;
    private static final int FLAG_ELF_LIBC6 = 0x0003;
    private static final int FLAG_REQUIRED_MASK = 0xff00;
    static final int FLAG_X8664_LIB64 = 0x0300;
    static final int FLAG_AARCH64_LIB64 = 0x0a00;

    private LdSoCache() {
    }

    /** The flags ld.so on this JVM's architecture accepts. */
    static int hostFlags() {
        return "aarch64".equals(System.getProperty("os.arch")) ? FLAG_AARCH64_LIB64 : FLAG_X8664_LIB64;
    }

    /** Paths the cache gives for {@code soname} on this architecture, best first; empty when there is no cache. */
    static List<Path> lookup(Path cache, String soname) {
        try {
            return lookup(Files.readAllBytes(cache), soname, hostFlags());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Parses a cache image; a damaged one gives what could be read before the damage. */
    static List<Path> lookup(byte[] image, String soname, int archFlags) {
        ByteBuffer cache = ByteBuffer.wrap(image).order(ByteOrder.nativeOrder());
        int start = newFormatStart(image);
        List<Path> found = new ArrayList<>();
        if (start < 0 || start + HEADER > image.length) {
            return found;
        }
        long count = Integer.toUnsignedLong(cache.getInt(start + 20));
        for (long i = 0; i < count; i++) {
            long at = start + HEADER + i * ENTRY;
            if (at + ENTRY > image.length) {
                break;
            }
            int flags = cache.getInt((int) at);
            String key = string(image, start, cache.getInt((int) at + 4));
            if ((flags & FLAG_TYPE_MASK) != FLAG_ELF_LIBC6 || (flags & FLAG_REQUIRED_MASK) != archFlags
                    || !soname.equals(key)) {
                continue;
            }
            String value = string(image, start, cache.getInt((int) at + 8));
            if (value != null && !value.isEmpty()) {
                found.add(Path.of(value));
            }
        }
        return found;
    }

    /** Where the new-format header starts: at 0, or after an old-format table (glibc before 2.32 wrote both). */
    private static int newFormatStart(byte[] image) {
        if (startsWith(image, 0, MAGIC)) {
            return 0;
        }
        if (!startsWith(image, 0, OLD_MAGIC) || image.length < OLD_HEADER) {
            return -1;
        }
        int oldCount = ByteBuffer.wrap(image).order(ByteOrder.nativeOrder()).getInt(12);
        long after = OLD_HEADER + (long) oldCount * OLD_ENTRY;
        after = (after + 7) & ~7L; // the new header is aligned like its 64-bit fields
        for (long at : new long[] {OLD_HEADER + (long) oldCount * OLD_ENTRY, after}) {
            if (at >= 0 && at < image.length && startsWith(image, (int) at, MAGIC)) {
                return (int) at;
            }
        }
        return -1;
    }

    /** A NUL-terminated string at an offset from the new-format header, or null when it is not all there. */
    private static String string(byte[] image, int base, int offset) {
        long at = base + Integer.toUnsignedLong(offset);
        if (at >= image.length) {
            return null;
        }
        int end = (int) at;
        while (end < image.length && image[end] != 0) {
            end++;
        }
        if (end == image.length) {
            return null; // cut before its NUL: not the whole path
        }
        return new String(image, (int) at, end - (int) at, StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] image, int at, byte[] prefix) {
        if (at + prefix.length > image.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (image[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
