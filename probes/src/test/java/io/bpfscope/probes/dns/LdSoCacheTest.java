package io.bpfscope.probes.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LdSoCacheTest {
    /** A glibc-ld.so.cache1.1 image: header, entries (flags, key, value, osversion, hwcap), strings. */
    static byte[] cache(Object... entries) {
        int count = entries.length / 3;
        int stringsAt = 48 + 24 * count;
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        ByteBuffer table = ByteBuffer.allocate(24 * count).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            int key = stringsAt + strings.size();
            strings.writeBytes(((String) entries[3 * i + 1] + "\0").getBytes(StandardCharsets.UTF_8));
            int value = stringsAt + strings.size();
            strings.writeBytes(((String) entries[3 * i + 2] + "\0").getBytes(StandardCharsets.UTF_8));
            table.putInt((Integer) entries[3 * i]).putInt(key).putInt(value).putInt(0).putLong(0);
        }
        ByteBuffer header = ByteBuffer.allocate(48).order(ByteOrder.nativeOrder());
        header.put("glibc-ld.so.cache1.1".getBytes(StandardCharsets.US_ASCII)).putInt(count).putInt(strings.size());
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        image.writeBytes(header.array());
        image.writeBytes(table.array());
        image.writeBytes(strings.toByteArray());
        return image.toByteArray();
    }

    @Test
    void findsTheLibraryOfThisArchitectureOnly() {
        byte[] image = cache(
                0x0003, "libc.so.6", "/lib32/libc.so.6",                    // i386
                0x0303, "libm.so.6", "/lib/x86_64-linux-gnu/libm.so.6",     // another name
                0x0303, "libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6",
                0x0a03, "libc.so.6", "/lib/aarch64-linux-gnu/libc.so.6");

        assertThat(LdSoCache.lookup(image, "libc.so.6", LdSoCache.FLAG_X8664_LIB64))
                .containsExactly(Path.of("/lib/x86_64-linux-gnu/libc.so.6"));
        assertThat(LdSoCache.lookup(image, "libc.so.6", LdSoCache.FLAG_AARCH64_LIB64))
                .containsExactly(Path.of("/lib/aarch64-linux-gnu/libc.so.6"));
        assertThat(LdSoCache.lookup(image, "libz.so.1", LdSoCache.FLAG_X8664_LIB64)).isEmpty();
    }

    @Test
    void damagedImagesGiveWhatTheyHold() {
        byte[] image = cache(0x0303, "libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6");
        assertThat(LdSoCache.lookup(new byte[0], "libc.so.6", LdSoCache.FLAG_X8664_LIB64)).isEmpty();
        assertThat(LdSoCache.lookup("not a cache".getBytes(StandardCharsets.US_ASCII), "libc.so.6",
                LdSoCache.FLAG_X8664_LIB64)).isEmpty();
        for (int cut = 0; cut < image.length; cut++) {
            List<Path> found = LdSoCache.lookup(Arrays.copyOf(image, cut), "libc.so.6", LdSoCache.FLAG_X8664_LIB64);
            assertThat(found).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void thisHostsCacheNamesAnExistingLibc() {
        List<Path> found = LdSoCache.lookup(LdSoCache.DEFAULT, "libc.so.6");
        if (Files.exists(LdSoCache.DEFAULT)) {
            assertThat(found).isNotEmpty();
            assertThat(found.get(0)).exists();
        }
    }
}
