package io.bpfscope.probes.tracepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.probes.GoldenHeader;
import io.bpfscope.probes.MalformedEventException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden {@code struct tracepoint_event} records (tracepoint.h), built byte by
 * byte: the header, record_len, strings_len, string_count, string_failed and
 * flags, then the raw trace record and the user strings.
 */
class TracepointDecoderTest {
    private static final int KIND = 8; // EVENT_TRACEPOINT in event_header.h
    private static final int FIXED = 48; // offsetof(struct tracepoint_event, data)
    private static final int AT = 8; // records sit inside a batch: never at 0

    private static final String COMMON = """
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
            \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            """;
    /** Two path arguments: both read as user strings. */
    private static final String SYS_ENTER_RENAMEAT = "name: sys_enter_renameat\nID: 700\nformat:\n" + COMMON + """
            \tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
            \tfield:int olddfd;\toffset:16;\tsize:8;\tsigned:0;
            \tfield:const char * oldname;\toffset:24;\tsize:8;\tsigned:0;
            \tfield:int newdfd;\toffset:32;\tsize:8;\tsigned:0;
            \tfield:const char * newname;\toffset:40;\tsize:8;\tsigned:0;

            print fmt: "olddfd: 0x%08lx", ((unsigned long)(REC->olddfd))
            """;
    /** A __data_loc string, a __rel_loc string and a u8 named like a field every event has. */
    private static final String DYNAMIC = "name: thing\nID: 9\nformat:\n" + COMMON + """
            \tfield:u8 pid;\toffset:8;\tsize:1;\tsigned:0;
            \tfield:__data_loc char[] name;\toffset:12;\tsize:4;\tsigned:0;
            \tfield:__rel_loc char[] label;\toffset:16;\tsize:4;\tsigned:0;

            print fmt: "%s", __get_str(name)
            """;

    private static ByteBuffer record(byte[] trace, byte[] strings, int stringCount, int stringFailed, int flags) {
        ByteBuffer b = ByteBuffer.allocate(AT + FIXED + trace.length + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        GoldenHeader.write(b, AT, KIND);
        b.putShort(AT + 40, (short) trace.length);   // record_len
        b.putShort(AT + 42, (short) strings.length); // strings_len
        b.put(AT + 44, (byte) stringCount);          // string_count
        b.put(AT + 45, (byte) stringFailed);         // string_failed
        b.putShort(AT + 46, (short) flags);          // flags
        b.put(AT + FIXED, trace);
        b.put(AT + FIXED + trace.length, strings);
        return b;
    }

    private static byte[] renameatRecord() {
        ByteBuffer r = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        r.putShort(0, (short) 700).putInt(4, GoldenHeader.PID).putInt(8, 264);
        r.putLong(16, -100).putLong(24, 0x7ffc_0000_1000L).putLong(32, 5).putLong(40, 0x7ffc_0000_2000L);
        return r.array();
    }

    @Test
    void decodesTheHeaderTheRecordAndBothUserStrings() throws Exception {
        TracepointDecoder decoder = new TracepointDecoder(
                TracepointFormat.parse("syscalls", "sys_enter_renameat", SYS_ENTER_RENAMEAT));
        byte[] strings = "/tmp/a\0/tmp/b\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = record(renameatRecord(), strings, 2, 0, 0);

        TracepointEvent e = decoder.decode(b, AT, b.capacity() - AT);

        GoldenHeader.assertDecoded(e.header(), KIND);
        assertThat(e.tracepoint()).isEqualTo("syscalls:sys_enter_renameat");
        assertThat(e.values()).containsExactly(
                Map.entry("__syscall_nr", 264L),
                Map.entry("olddfd", -100L), // AT_FDCWD: read as its C type, int, whatever signed:0 says
                Map.entry("oldname", "/tmp/a"),
                Map.entry("newdfd", 5L),
                Map.entry("newname", "/tmp/b"));
        assertThat(e.recordTruncated()).isFalse();
        assertThat(e.stringTruncated()).isFalse();
        assertThat(e.fields()).doesNotContainKey("record_truncated");
    }

    @Test
    void aStringThatCouldNotBeReadKeepsThePointerAndTheCutFlagsAreSeparate() throws Exception {
        TracepointDecoder decoder = new TracepointDecoder(
                TracepointFormat.parse("syscalls", "sys_enter_renameat", SYS_ENTER_RENAMEAT));
        byte[] strings = "\0/tmp/b\0".getBytes(StandardCharsets.US_ASCII); // string 0 failed: empty in data
        // string_failed bit 0; flags TP_STRING_TRUNCATED (2) only
        ByteBuffer b = record(renameatRecord(), strings, 2, 0b01, 2);

        TracepointEvent e = decoder.decode(b, AT, b.capacity() - AT);

        assertThat(e.values()).containsEntry("oldname", "0x7ffc00001000").containsEntry("newname", "/tmp/b");
        assertThat(e.stringTruncated()).isTrue();
        assertThat(e.recordTruncated()).isFalse();
        assertThat(e.fields()).containsEntry("record_truncated", false);
    }

    @Test
    void decodesDataLocAndRelLocStringsAndRenamesAFieldEveryEventHas() throws Exception {
        TracepointDecoder decoder = new TracepointDecoder(TracepointFormat.parse("demo", "thing", DYNAMIC));
        ByteBuffer r = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        r.put(8, (byte) 200);                        // pid: a u8, 200 stays positive
        r.putInt(12, 4 << 16 | 20);                  // name: 4 bytes at 20
        r.putInt(16, 6 << 16 | 4);                   // label: 6 bytes at 20 + 4 (from the end of the field)
        r.put(20, "abc\0".getBytes(StandardCharsets.US_ASCII));
        r.put(24, "hello\0".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = record(r.array(), new byte[0], 0, 0, 1); // TP_RECORD_TRUNCATED

        TracepointEvent e = decoder.decode(b, AT, b.capacity() - AT);

        assertThat(e.values()).containsExactly(
                Map.entry("tp_pid", 200L), Map.entry("name", "abc"), Map.entry("label", "hello"));
        assertThat(e.recordTruncated()).isTrue();
        assertThat(e.fields()).containsEntry("record_truncated", true);
        assertThat(decoder.fieldNames()).containsExactly("tracepoint", "tp_pid", "name", "label", "record_truncated");
    }

    @Test
    void rejectsLengthsThatRunPastTheRecord() throws Exception {
        TracepointDecoder decoder = new TracepointDecoder(
                TracepointFormat.parse("syscalls", "sys_enter_renameat", SYS_ENTER_RENAMEAT));
        byte[] strings = "/tmp/a\0/tmp/b\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = record(renameatRecord(), strings, 2, 0, 0);

        assertThatThrownBy(() -> decoder.decode(b, AT, b.capacity() - AT - 1)).isInstanceOf(MalformedEventException.class);
    }
}
