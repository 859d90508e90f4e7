package io.bpfscope.probes.bench;

import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.TracepointProbe;
import java.util.List;

/**
 * The ring-buffer benchmark's load generator: K records per {@code getpgid(K)}
 * of the benchmarking process. Not offered to users (the catalog registers it
 * as internal). Immutable and thread-safe.
 */
public final class BenchProbe extends TracepointProbe {
    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.number("index", "this record's number in its burst, from 0"))
            .field(FieldSpec.number("burst", "how many records the burst has"))
            .build();

    public static final BenchProbe PROBE = new BenchProbe();

    private BenchProbe() {
        super("bench", "benchmark load generator: K records per getpgid(K) of the benchmarking process",
                EventKind.BENCH, new BenchDecoder(), DECLARATION, List.of(
                        new Program("bench_burst", "syscalls", "sys_enter_getpgid", true)));
    }
}
