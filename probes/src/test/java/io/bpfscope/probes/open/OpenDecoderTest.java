package io.bpfscope.probes.open;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenDecoderTest {
    private static byte[] record(String path, long flags, int mode, int dfd, int ret, int syscall, int truncated) {
        byte[] bytes = (path + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(72 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, 99L).putInt(8, 10).putInt(12, 11).putInt(16, 0).putShort(20, (short) 3);
        b.put(24, "cat".getBytes(StandardCharsets.US_ASCII));
        b.putLong(40, flags).putLong(48, 0).putInt(56, dfd).putInt(60, ret).putInt(64, mode);
        b.putShort(68, (short) bytes.length).put(70, (byte) syscall).put(71, (byte) truncated);
        b.put(72, bytes);
        return b.array();
    }

    @Test
    void decodesAFailedOpenRelativeToADirectoryFd() throws Exception {
        byte[] raw = record("conf/app.yml", 02000000 | 0200000 | 0400000, 0, 5, -13, 1, 0);
        OpenEvent e = new OpenDecoder().decode(ByteBuffer.wrap(raw), 0, raw.length);

        assertThat(e.path()).isEqualTo("conf/app.yml");
        assertThat(e.fields()).containsEntry("flags_text", "O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC")
                .containsEntry("error", "EACCES").containsEntry("fd", -1).doesNotContainKey("mode");
        assertThat(e.summary()).isEqualTo("openat dfd 5: conf/app.yml O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC → EACCES");
    }

    @Test
    void namesCompositeFlags() {
        assertThat(OpenEvent.flagsText(02 | 04010000)).isEqualTo("O_RDWR|O_SYNC");
        assertThat(OpenEvent.flagsText(02 | 020200000)).isEqualTo("O_RDWR|O_TMPFILE");
        assertThat(OpenEvent.flagsText(01 | 0100 | 01000 | 0100000000L)).isEqualTo("O_WRONLY|O_CREAT|O_TRUNC|0100000000");
        assertThat(OpenEvent.resolveText(0x08 | 0x04)).isEqualTo("RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH");
    }

    @Test
    void showsTheModeOfATmpfileAndMarksATruncatedPath() throws Exception {
        byte[] raw = record("/tmp", 02 | 020200000, 0600, -100, 7, 2, 1);
        OpenEvent e = new OpenDecoder().decode(ByteBuffer.wrap(raw), 0, raw.length);

        assertThat(e.syscall()).isEqualTo(OpenEvent.Syscall.OPENAT2);
        assertThat(e.pathTruncated()).isTrue();
        assertThat(e.fields()).containsEntry("mode", "0600").containsEntry("fd", 7);
        assertThat(e.summary()).isEqualTo("openat2 /tmp… O_RDWR|O_TMPFILE 0600 → 7");
    }

    @Test
    void rejectsARecordShorterThanItsPath() {
        byte[] raw = record("/etc/passwd", 0, 0, -100, 3, 1, 0);
        assertThatThrownBy(() -> new OpenDecoder().decode(ByteBuffer.wrap(raw), 0, raw.length - 1))
                .isInstanceOf(MalformedEventException.class);
    }
}
