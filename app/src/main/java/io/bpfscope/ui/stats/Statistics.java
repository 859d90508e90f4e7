package io.bpfscope.ui.stats;

import io.bpfscope.capture.store.DecodedRecord;
import io.bpfscope.probes.MalformedEventException;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.catalog.ProbeCatalog;
import io.bpfscope.ui.common.ShownCapture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Counts over a capture (or the rows shown): events per probe, the busiest
 * processes, the files opened most, the hosts talked to (TCP peers and DNS
 * names). Built off the FX thread; immutable once built.
 *
 * @param events               the events counted (every event, or the rows shown)
 * @param undecodable          of those, the records that could not be decoded: counted apart, as no probe's
 * @param undecodableInCapture the records of the whole capture that could not be decoded; more than
 *                             {@code undecodable} when a filter hides them (no filter matches them)
 */
public record Statistics(long events, long undecodable, long undecodableInCapture, List<Count> probes,
                         List<Count> processes, List<Count> files, List<Count> hosts) {
    static final int TOP = 25;

    /** A name and how many events had it. */
    public record Count(String name, long count) {
    }

    /** Counts the events {@code seqs} (null: every event of the capture). */
    static Statistics of(ShownCapture capture, long[] seqs, BooleanSupplier cancelled) {
        Map<String, Long> probes = new HashMap<>();
        Map<String, Long> processes = new HashMap<>();
        Map<String, Long> files = new HashMap<>();
        Map<String, Long> hosts = new HashMap<>();
        long size = seqs == null ? capture.store().size() : seqs.length;
        long undecodable = 0;
        for (long i = 0; i < size; i++) {
            if ((i & 4095) == 0 && cancelled.getAsBoolean()) {
                break;
            }
            long seq = seqs == null ? i + 1 : seqs[(int) i];
            DecodedRecord record;
            try {
                record = capture.decode(seq);
            } catch (MalformedEventException | RuntimeException e) {
                undecodable++;
                continue;
            }
            probes.merge(record.probe(), 1L, Long::sum);
            processes.merge(io.bpfscope.probes.CStrings.replaced(record.event().header().comm()) + " (" + record.event().header().pid() + ")", 1L, Long::sum);
            for (ProbeDeclaration.Statistic statistic : ProbeCatalog.declaration(record.probe()).statistics()) {
                Map<String, Long> table = statistic.table() == ProbeDeclaration.StatisticTable.FILES ? files : hosts;
                statistic.entry().apply(record.event()).ifPresent(entry -> table.merge(entry, 1L, Long::sum));
            }
        }
        long inCapture = seqs == null ? undecodable : undecodable(capture, cancelled);
        return new Statistics(size, undecodable, inCapture, top(probes, Integer.MAX_VALUE), top(processes, TOP),
                top(files, TOP), top(hosts, TOP));
    }

    /** The records of the whole capture that do not decode. */
    private static long undecodable(ShownCapture capture, BooleanSupplier cancelled) {
        long undecodable = 0;
        long size = capture.store().size();
        for (long seq = 1; seq <= size; seq++) {
            if ((seq & 4095) == 0 && cancelled.getAsBoolean()) {
                break;
            }
            try {
                capture.decode(seq);
            } catch (MalformedEventException | RuntimeException e) {
                undecodable++;
            }
        }
        return undecodable;
    }

    private static List<Count> top(Map<String, Long> counts, int limit) {
        List<Count> list = new ArrayList<>();
        counts.forEach((name, count) -> list.add(new Count(name, count)));
        list.sort(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::name));
        return list.size() > limit ? List.copyOf(list.subList(0, limit)) : List.copyOf(list);
    }
}
