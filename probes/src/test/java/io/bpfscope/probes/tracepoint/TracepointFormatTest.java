package io.bpfscope.probes.tracepoint;

import io.bpfscope.probes.EventKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bpfscope.probes.EventHeader;
import io.bpfscope.probes.catalog.ProbeCatalog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Format files as Linux 6.18 writes them, parsed and used to decode golden records. */
class TracepointFormatTest {
    private static final String COMMON = """
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
            \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            """;
    static final String SCHED_SWITCH = "name: sched_switch\nID: 372\nformat:\n" + COMMON + """
            \tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;
            \tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;
            \tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;
            \tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;
            \tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;
            \tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;
            \tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;

            print fmt: "prev_comm=%s prev_pid=%d", REC->prev_comm, REC->prev_pid
            """;
    static final String SYS_ENTER_OPENAT = "name: sys_enter_openat\nID: 640\nformat:\n" + COMMON + """
            \tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
            \tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;
            \tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;
            \tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;
            \tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;

            print fmt: "dfd: 0x%08lx, filename: 0x%08lx", ((unsigned long)(REC->dfd)), ((unsigned long)(REC->filename))
            """;
    static final String DATA_LOC_ARRAY = "name: xen_mmu_thing\nID: 1\nformat:\n" + COMMON + """
            \tfield:u32 count;\toffset:8;\tsize:4;\tsigned:0;
            \tfield:__data_loc u64[] phys_addrs;\toffset:12;\tsize:4;\tsigned:0;

            print fmt: "%u", REC->count
            """;

    @Test
    void parsesFixedArraysIntegersOfEverySizeAndCharArrays() throws Exception {
        TracepointFormat format = TracepointFormat.parse("sched", "sched_switch", SCHED_SWITCH);

        assertThat(format.id()).isEqualTo(372);
        assertThat(format.target()).isEqualTo("sched:sched_switch");
        assertThat(format.fields()).hasSize(11);
        assertThat(format.ownFields()).extracting(TracepointFormat.Field::name).containsExactly(
                "prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm", "next_pid", "next_prio");
        assertThat(format.field("prev_comm").orElseThrow().kind()).isEqualTo(TracepointFormat.Kind.CHAR_ARRAY);
        TracepointFormat.Field state = format.field("prev_state").orElseThrow();
        assertThat(state.kind()).isEqualTo(TracepointFormat.Kind.INTEGER);
        assertThat(state.size()).isEqualTo(8);
        assertThat(state.signed()).isTrue();
        assertThat(format.field("common_type").orElseThrow().common()).isTrue();
        assertThat(format.fixedSize()).isEqualTo(64);
        assertThat(format.text()).isEqualTo(SCHED_SWITCH);
    }

    @Test
    void syscallArgumentsAreReadAsTheirCTypeAndPathsBecomeUserStrings() throws Exception {
        TracepointFormat format = TracepointFormat.parse("syscalls", "sys_enter_openat", SYS_ENTER_OPENAT);

        TracepointFormat.Field dfd = format.field("dfd").orElseThrow();
        assertThat(dfd.elementSize()).as("an int in an 8-byte slot").isEqualTo(4);
        assertThat(dfd.signed()).isTrue();
        TracepointFormat.Field mode = format.field("mode").orElseThrow();
        assertThat(mode.elementSize()).isEqualTo(2);
        assertThat(mode.signed()).isFalse();
        assertThat(format.field("filename").orElseThrow().charPointer()).isTrue();
        assertThat(TracepointDecoder.userStringFields(format)).extracting(TracepointFormat.Field::name)
                .containsExactly("filename");
        // Only syscalls' enter tracepoints point into user memory.
        TracepointFormat elsewhere = TracepointFormat.parse("mine", "sys_enter_openat", SYS_ENTER_OPENAT);
        assertThat(TracepointDecoder.userStringFields(elsewhere)).isEmpty();
    }

    @Test
    void decodesAGoldenSchedSwitchRecord() throws Exception {
        TracepointDecoder decoder = new TracepointDecoder(TracepointFormat.parse("sched", "sched_switch", SCHED_SWITCH));
        ByteBuffer e = ByteBuffer.allocate(48 + 64).order(ByteOrder.LITTLE_ENDIAN);
        e.putShort(20, (short) EventKind.TRACEPOINT).putShort(40, (short) 64);
        e.put(48 + 8, "bash\0".getBytes(StandardCharsets.US_ASCII)).putInt(48 + 24, 812).putInt(48 + 28, 120)
                .putLong(48 + 32, -1L).put(48 + 40, "swapper/1".getBytes(StandardCharsets.US_ASCII))
                .putInt(48 + 56, 0).putInt(48 + 60, -20);

        TracepointEvent event = decoder.decode(e, 0, e.capacity());
        assertThat(event.values()).containsExactly(
                java.util.Map.entry("prev_comm", "bash"), java.util.Map.entry("prev_pid", 812L),
                java.util.Map.entry("prev_prio", 120L), java.util.Map.entry("prev_state", -1L),
                java.util.Map.entry("next_comm", "swapper/1"), java.util.Map.entry("next_pid", 0L),
                java.util.Map.entry("next_prio", -20L));
        assertThat(event.recordTruncated()).isFalse();
        assertThat(decoder.fieldNames()).contains("prev_comm", "next_prio", "tracepoint");
    }

    @Test
    void decodesADataLocArrayAndLeavesOutFieldsPastACutRecord() throws Exception {
        TracepointDecoder decoder = new TracepointDecoder(TracepointFormat.parse("xen", "xen_mmu_thing", DATA_LOC_ARRAY));
        assertThat(decoder.format().field("phys_addrs").orElseThrow().kind()).isEqualTo(TracepointFormat.Kind.DATA_LOC_ARRAY);
        ByteBuffer e = ByteBuffer.allocate(48 + 32).order(ByteOrder.LITTLE_ENDIAN);
        e.putShort(40, (short) 32);
        e.putInt(48 + 8, 2).putInt(48 + 12, 16 << 16 | 16).putLong(48 + 16, 0x1000).putLong(48 + 24, 0x2000);
        assertThat(decoder.decode(e, 0, e.capacity()).values()).containsEntry("count", 2L)
                .containsEntry("phys_addrs", List.of(0x1000L, 0x2000L));

        e.putShort(40, (short) 12).putShort(46, (short) 1); // only 12 bytes of the record came: truncated
        TracepointEvent cut = decoder.decode(e, 0, 48 + 12);
        assertThat(cut.values()).containsOnlyKeys("count");
        assertThat(cut.fields()).containsEntry("record_truncated", true);
    }

    @Test
    void aDamagedLineSaysWhichTracepointLineAndWhatWasExpected() {
        String damaged = SCHED_SWITCH.replace("offset:24;", "offset:x;");
        assertThatThrownBy(() -> TracepointFormat.parse("sched", "sched_switch", damaged))
                .isInstanceOf(TracepointFormatException.class)
                .hasMessage("format of tracepoint sched:sched_switch, line 10: expected offset: and a number up to 65535, "
                        + "found offset:x");
        assertThatThrownBy(() -> TracepointFormat.parse("sched", "sched_switch", SCHED_SWITCH.replace("field:pid_t prev_pid;", "field:;")))
                .hasMessageStartingWith("format of tracepoint sched:sched_switch, line 10: expected field:TYPE NAME;");
        assertThatThrownBy(() -> TracepointFormat.parse("a", "b", ""))
                .hasMessageContaining("expected field: lines, found an empty file");
        assertThatThrownBy(() -> decoderWithShortRecord()).hasMessageContaining("tracepoint_event");
    }

    /** Issue 9: {@code offset:99999999999} was a NumberFormatException that ended the command with exit 70. */
    @Test
    void anOffsetTooLargeForAnyRecordIsAFormatErrorNotACrash() {
        String hostile = SCHED_SWITCH.replace("offset:24;", "offset:99999999999;");
        assertThatThrownBy(() -> TracepointFormat.parse("sched", "sched_switch", hostile))
                .isInstanceOf(TracepointFormatException.class)
                .hasMessage("format of tracepoint sched:sched_switch, line 10: expected offset: and a number up to 65535, "
                        + "found offset:99999999999");
        String hugeSize = SCHED_SWITCH.replace("size:4;\tsigned:1;", "size:2147483647;\tsigned:1;");
        assertThatThrownBy(() -> TracepointFormat.parse("sched", "sched_switch", hugeSize))
                .isInstanceOf(TracepointFormatException.class).hasMessageContaining("size: and a number up to 65535");
    }

    /** Issue 9: a field name of 100,000 {@code [} took a backtracking regex more than 12 s. */
    @Test
    void aFieldNameOfAHundredThousandBracketsParsesInLinearTime() {
        String name = "[".repeat(100_000);
        String hostile = SCHED_SWITCH.replace("field:pid_t prev_pid;", "field:pid_t " + name + ";")
                .replace("field:int prev_prio;", "field:int x" + "[1".repeat(50_000) + "]" + ";");
        TracepointFormat format = assertTimeoutPreemptively(java.time.Duration.ofSeconds(2),
                () -> TracepointFormat.parse("sched", "sched_switch", hostile));
        assertThat(format.field(name)).isPresent();
    }

    @Test
    void aFormatWithMoreFieldsThanAnyKernelWritesIsRefused() {
        StringBuilder many = new StringBuilder("name: x\nID: 1\nformat:\n");
        for (int i = 0; i < 2000; i++) {
            many.append("\tfield:int f").append(i).append(";\toffset:8;\tsize:4;\tsigned:1;\n");
        }
        assertThatThrownBy(() -> TracepointFormat.parse("a", "b", many.toString()))
                .isInstanceOf(TracepointFormatException.class).hasMessageContaining("at most 1024 fields");
    }

    private static void decoderWithShortRecord() throws Exception {
        new TracepointDecoder(TracepointFormat.parse("sched", "sched_switch", SCHED_SWITCH))
                .decode(ByteBuffer.allocate(EventHeader.SIZE), 0, EventHeader.SIZE);
    }
}
