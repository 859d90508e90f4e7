package io.bpfscope.probes;

import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.probes.bench.BenchProbe;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.bridge.btf.Btf;
import io.bpfscope.bridge.btf.StructLayout;
import io.bpfscope.bridge.elf.ElfFile;
import io.bpfscope.probes.tracepoint.GenericTracepointProbe;
import io.bpfscope.probes.tracepoint.TracepointFormat;
import io.bpfscope.probes.uprobe.BufferCapture;
import io.bpfscope.probes.uprobe.UprobeProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java decoders read fixed offsets; the C structs are the truth. This
 * reads the BTF of each committed object and checks every offset and size
 * the decoder uses, so C and Java cannot drift apart silently.
 */
class ProbeLayoutTest {
    static Stream<Probe> probes() throws Exception {
        // jsse has no compiled object (its records are made in user space): JsseDecoderTest checks its layout.
        List<Probe> all = new ArrayList<>(ProbeCatalog.all().stream().filter(probe -> !probe.userSpace()).toList());
        all.add(BenchProbe.PROBE);
        // The parameterised probes, for a target that needs nothing from this host.
        all.add(GenericTracepointProbe.of(TracepointFormat.parse("sched", "sched_switch",
                "format:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n")));
        all.add(new UprobeProbe(Path.of("/bin/true"), "main", true, BufferCapture.NONE));
        return all.stream();
    }

    @org.junit.jupiter.api.Test
    void functopStatsMatchTheCompiledStruct() throws Exception {
        byte[] object;
        try (var in = Probe.class.getResourceAsStream("/io/bpfscope/probes/functop.bpf.o")) {
            object = in.readAllBytes();
        }
        StructLayout stats = Btf.fromElf(ElfFile.parse(object, "functop.bpf.o")).struct("functop_stats").orElseThrow();
        assertThat(stats.size()).isEqualTo(io.bpfscope.probes.functop.FunctionStats.SIZE);
        assertThat(stats.members()).extracting(StructLayout.Member::name)
                .containsExactly("count", "total_ns", "min_ns", "max_ns", "slots");
        // Functop.decode reads count, total, min, max as u64 at 0, 8, 16, 24 and the slots from 32.
        assertThat(stats.members()).extracting(StructLayout.Member::byteOffset).containsExactly(0L, 8L, 16L, 24L, 32L);
        assertThat(stats.member("slots").orElseThrow().byteSize())
                .isEqualTo(8L * io.bpfscope.probes.functop.FunctionStats.SLOTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void decoderOffsetsMatchTheCompiledStruct(Probe probe) throws Exception {
        Btf btf = Btf.fromElf(ElfFile.parse(probe.objectBytes(), probe.objectName()));
        EventLayout layout = probe.decoder().layout();
        StructLayout struct = btf.struct(layout.struct()).orElseThrow(() ->
                new AssertionError(probe.objectName() + " has no struct " + layout.struct() + " in its BTF"));

        for (EventLayout.Field field : layout.fields()) {
            StructLayout.Member member = struct.member(field.name()).orElseThrow(() -> new AssertionError(layout.struct() + " has no member " + field.name()));
            assertThat(member.byteOffset()).as("%s.%s offset", layout.struct(), field.name()).isEqualTo(field.offset());
            assertThat(member.byteSize()).as("%s.%s size", layout.struct(), field.name()).isEqualTo(field.size());
        }
        // Every member of the struct is read by the decoder: a field added in C must be added in Java too.
        assertThat(layout.fields()).extracting(EventLayout.Field::name)
                .containsExactlyElementsOf(struct.members().stream().map(StructLayout.Member::name).toList());
        // The fixed part ends where the variable data starts (or is the whole struct).
        StructLayout.Member last = struct.members().get(struct.members().size() - 1);
        int variableStart = (int) last.byteOffset();
        assertThat(layout.fixedSize()).isIn(variableStart, struct.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void headerMatchesEventHeaderH(Probe probe) throws Exception {
        Btf btf = Btf.fromElf(ElfFile.parse(probe.objectBytes(), probe.objectName()));
        StructLayout header = btf.struct("event_header").orElseThrow();
        assertThat(header.size()).isEqualTo(EventHeader.SIZE);
        for (EventLayout.Field field : EventHeader.LAYOUT.fields()) {
            assertThat(header.member(field.name()).orElseThrow().byteOffset()).as("event_header.%s", field.name()).isEqualTo(field.offset());
            assertThat(header.member(field.name()).orElseThrow().byteSize()).as("event_header.%s size", field.name()).isEqualTo(field.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void declaresTheSharedFiltersAndMaps(Probe probe) throws Exception {
        Btf btf = Btf.fromElf(ElfFile.parse(probe.objectBytes(), probe.objectName()));
        assertThat(btf.dataSection(".rodata").orElseThrow().variables())
                .extracting(v -> v.name())
                .contains("filter_pid", "filter_tid", "filter_uid", "filter_comm", "source_id");
        assertThat(btf.dataSection(".maps").orElseThrow().variables())
                .extracting(v -> v.name())
                .contains("events", "counters");
    }
}
