package io.bpfscope.probes.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.GoldenHeader;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden {@code struct exec_event} records (exec.h), built byte by byte. */
class ExecDecoderTest {
    private static final int KIND = 1; // EVENT_EXEC in event_header.h
    private static final int FIXED = 60; // offsetof(struct exec_event, data)
    private static final int AT = 24; // records sit inside a batch: never at 0

    /** A record at {@link #AT} of a larger buffer; returns the buffer, the record is {@code FIXED + data.length} bytes. */
    private static ByteBuffer record(int ppid, int retval, int argc, String filename, List<String> argv, int flags) {
        byte[] name = (filename + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder args = new StringBuilder();
        argv.forEach(a -> args.append(a).append('\0'));
        byte[] argBytes = args.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(AT + FIXED + name.length + argBytes.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        GoldenHeader.write(b, AT, KIND);
        b.putInt(AT + 40, ppid);                       // ppid
        b.putInt(AT + 44, retval);                     // retval
        b.putInt(AT + 48, argc);                       // argc
        b.putShort(AT + 52, (short) name.length);      // filename_len, with its NUL
        b.putShort(AT + 54, (short) argBytes.length);  // args_len
        b.putInt(AT + 56, flags);                      // flags
        b.put(AT + FIXED, name);                       // data: filename, then the arguments
        b.put(AT + FIXED + name.length, argBytes);
        return b;
    }

    private static int length(ByteBuffer b) {
        return FIXED + Short.toUnsignedInt(b.getShort(AT + 52)) + Short.toUnsignedInt(b.getShort(AT + 54));
    }

    @Test
    void decodesEveryFieldOfASuccessfulExec() throws Exception {
        ByteBuffer b = record(812, 0, 3, "/usr/bin/ls", List.of("ls", "-l", "/tmp"), 0);

        ExecEvent e = new ExecDecoder().decode(b, AT, length(b));

        GoldenHeader.assertDecoded(e.header(), KIND);
        assertThat(e.ppid()).isEqualTo(812);
        assertThat(e.retval()).isZero();
        assertThat(e.failed()).isFalse();
        assertThat(e.filename()).isEqualTo("/usr/bin/ls");
        assertThat(e.argv()).containsExactly("ls", "-l", "/tmp");
        assertThat(e.argsTruncated()).isFalse();
        assertThat(e.filenameTruncated()).isFalse();
        assertThat(e.summary()).isEqualTo("/usr/bin/ls -l /tmp");
        assertThat(e.fields()).containsEntry("uid", GoldenHeader.UID).doesNotContainKey("error");
    }

    @Test
    void decodesAFailedExecWithItsErrnoAndBothTruncationFlags() throws Exception {
        // retval -ENOENT; flags EXEC_ARGS_TRUNCATED (1) | EXEC_FILENAME_TRUNCATED (2)
        ByteBuffer b = record(1, -2, 1, "/nowhere/x", List.of("x"), 3);

        ExecEvent e = new ExecDecoder().decode(b, AT, length(b));

        assertThat(e.ppid()).isEqualTo(1);
        assertThat(e.retval()).isEqualTo(-2);
        assertThat(e.failed()).isTrue();
        assertThat(e.argsTruncated()).isTrue();
        assertThat(e.filenameTruncated()).isTrue();
        assertThat(e.fields()).containsEntry("error", "ENOENT").containsEntry("retval", -2);
        assertThat(e.summary()).isEqualTo("ENOENT /nowhere/x …");
    }

    @Test
    void eachFlagBitIsItsOwn() throws Exception {
        ByteBuffer onlyFilename = record(1, 0, 1, "/a", List.of("a"), 2);
        ExecEvent e = new ExecDecoder().decode(onlyFilename, AT, length(onlyFilename));
        assertThat(e.filenameTruncated()).isTrue();
        assertThat(e.argsTruncated()).isFalse();
    }

    @Test
    void lengthsAreUnsignedAndAnEmptyArgumentIsKept() throws Exception {
        String longName = "/" + "d".repeat(40_000); // filename_len 40,002: above 0x7fff
        ByteBuffer b = record(7, 0, 2, longName, List.of("prog", ""), 0);

        ExecEvent e = new ExecDecoder().decode(b, AT, length(b));

        assertThat(e.filename()).isEqualTo(longName);
        assertThat(e.argv()).containsExactly("prog", "");
    }

    @Test
    void rejectsLengthsThatRunPastTheRecord() {
        ByteBuffer b = record(7, 0, 1, "/bin/true", List.of("true"), 0);
        int tooShort = length(b) - 1;

        assertThatThrownBy(() -> new ExecDecoder().decode(b, AT, tooShort)).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void rejectsARecordShorterThanItsFixedPart() {
        ByteBuffer b = record(7, 0, 0, "", List.of(), 0);

        assertThatThrownBy(() -> new ExecDecoder().decode(b, AT, FIXED - 1)).isInstanceOf(MalformedEventException.class);
    }
}
