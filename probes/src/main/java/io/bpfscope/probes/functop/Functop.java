package io.bpfscope.probes.functop;

import com.sun.jna.Memory;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfMap;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.bridge.BpfProgram;
import io.bpfscope.bridge.KernelFeatureMissingException;
import io.bpfscope.bridge.LibBpf;
import io.bpfscope.bridge.sys.Errno;
import io.bpfscope.probes.Availability;
import io.bpfscope.probes.Probe;
import io.bpfscope.probes.SelfFilter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Function latency aggregated in the kernel (functop.bpf.o): a uprobe and a
 * uretprobe on each target, both carrying the target's id as attach cookie,
 * and per-CPU stats per function that {@link #read()} sums. No events go
 * through a ring buffer. Not thread-safe: one owner attaches, reads and
 * closes; closing detaches everything.
 */
public final class Functop implements AutoCloseable {
    /** The stats map holds this many functions (FUNCTOP_MAX_FUNCTIONS). */
    public static final int MAX_FUNCTIONS = 1024;
    /** Detaching a uprobe costs about a tenth of a second: this many functions by default. */
    public static final int DEFAULT_LIMIT = 500;
    private static final String OBJECT = "functop.bpf.o";
    /** BPF_PROG_TYPE_KPROBE (uprobes are kprobe programs) and BPF_FUNC_get_attach_cookie. */
    private static final int PROG_TYPE_KPROBE = 2;
    private static final int HELPER_GET_ATTACH_COOKIE = 174;
    static final String NO_ATTACH_COOKIE = "this kernel has no bpf_get_attach_cookie() (Linux 5.15+),"
            + " by which functop's programs tell the functions apart";

    private final BpfObject object;
    private final List<FunctionTargets.Target> targets;
    private final List<BpfLink> links;
    private final BpfMap stats;
    private final LibBpf lib;
    private final int cpus;

    private Functop(BpfObject object, List<FunctionTargets.Target> targets, List<BpfLink> links) throws BpfException {
        this.object = object;
        this.targets = List.copyOf(targets);
        this.links = links;
        this.stats = object.map("stats");
        this.lib = LibBpf.load();
        this.cpus = object.possibleCpus();
    }

    /**
     * Whether functop can load on this kernel: it needs bpf_get_attach_cookie() (5.15+), which the
     * 5.10 verifier refuses as an unknown function. When the probe cannot tell (not root), yes:
     * loading then says what is wrong.
     */
    public static Availability availability() {
        try {
            int supported = LibBpf.load().libbpf_probe_bpf_helper(PROG_TYPE_KPROBE, HELPER_GET_ATTACH_COOKIE, null);
            return supported == 0 ? Availability.no(NO_ATTACH_COOKIE) : Availability.yes();
        } catch (KernelFeatureMissingException | UnsatisfiedLinkError e) {
            return Availability.yes();
        }
    }

    /**
     * Loads functop.bpf.o and attaches it to every target, in processes {@code pid}
     * only when it is positive. A function that cannot be attached goes to
     * {@code warnings}; it fails only when none could.
     */
    public static Functop attach(List<FunctionTargets.Target> targets, int pid, Consumer<String> warnings)
            throws BpfException {
        return attach(targets, pid, null, warnings);
    }

    /** As {@link #attach(List, int, Consumer)}; calls by the processes of {@code self}, when not null, are not counted. */
    public static Functop attach(List<FunctionTargets.Target> targets, int pid, SelfFilter self, Consumer<String> warnings)
            throws BpfException {
        if (targets.size() > MAX_FUNCTIONS) {
            throw new IllegalArgumentException(targets.size() + " functions; functop holds at most " + MAX_FUNCTIONS);
        }
        Availability availability = availability();
        if (!availability.available()) {
            throw new KernelFeatureMissingException("load", "functop", availability.reason(), "");
        }
        BpfObject object = BpfObject.open("functop", Probe.objectBytes(OBJECT));
        List<BpfLink> links = new ArrayList<>();
        try {
            if (self != null) {
                self.applyTo(object);
            }
            object.load();
            BpfProgram entry = object.program("functop_entry");
            BpfProgram exit = object.program("functop_return");
            List<FunctionTargets.Target> attached = new ArrayList<>();
            BpfException first = null;
            for (FunctionTargets.Target target : targets) {
                String path = target.file().toString();
                String where = path + ":" + target.symbol();
                BpfLink in = null;
                try {
                    in = entry.attachUprobe(path, target.offset(), pid > 0 ? pid : -1, false, target.id(), where);
                    links.add(exit.attachUprobe(path, target.offset(), pid > 0 ? pid : -1, true, target.id(), where));
                    links.add(in);
                    attached.add(target);
                } catch (BpfException e) {
                    if (in != null) {
                        in.close();
                    }
                    warnings.accept("functop: skipped " + where + ": " + e.getMessage());
                    first = first == null ? e : first;
                }
            }
            if (attached.isEmpty()) {
                throw first != null ? first
                        : BpfException.of("attach uprobe", "functop", Errno.ENOENT, "no function to attach to");
            }
            return new Functop(object, attached, links);
        } catch (BpfException | RuntimeException e) {
            closeAll(links);
            object.close();
            throw e;
        }
    }

    /** The functions attached, in id order. */
    public List<FunctionTargets.Target> targets() {
        return targets;
    }

    /** Every attached function's stats so far, summed over CPUs; functions not yet called have {@link FunctionStats#NONE}. */
    public Map<FunctionTargets.Target, FunctionStats> read() throws BpfException {
        Map<FunctionTargets.Target, FunctionStats> all = new LinkedHashMap<>();
        // The kernel rounds each CPU's value up to 8 bytes.
        int slot = (FunctionStats.SIZE + 7) & ~7;
        try (Memory key = new Memory(4); Memory values = new Memory((long) slot * cpus)) {
            for (FunctionTargets.Target target : targets) {
                key.setInt(0, target.id());
                int rc = lib.bpf_map_lookup_elem(stats.fd(), key, values);
                if (rc < 0) {
                    if (-rc != Errno.ENOENT) {
                        throw BpfException.of("read map", "functop:stats", -rc, "");
                    }
                    all.put(target, FunctionStats.NONE);
                    continue;
                }
                ByteBuffer bytes = values.getByteBuffer(0, (long) slot * cpus).order(ByteOrder.LITTLE_ENDIAN);
                FunctionStats sum = FunctionStats.NONE;
                for (int cpu = 0; cpu < cpus; cpu++) {
                    sum = sum.plus(decode(bytes, cpu * slot));
                }
                all.put(target, sum);
            }
        }
        return all;
    }

    /** One CPU's {@code struct functop_stats}. */
    static FunctionStats decode(ByteBuffer le, int at) {
        long[] slots = new long[FunctionStats.SLOTS];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = le.getLong(at + 32 + 8 * i);
        }
        return new FunctionStats(le.getLong(at), le.getLong(at + 8), le.getLong(at + 16), le.getLong(at + 24), slots);
    }

    /** Detaches every probe (several at a time: each waits for the kernel) and unloads. Idempotent. */
    @Override
    public void close() {
        closeAll(links);
        links.clear();
        object.close();
    }

    /**
     * Closes links on a few threads: a uprobe's detach waits for an RCU grace
     * period, and waiting for hundreds of them one after the other takes minutes.
     */
    private static void closeAll(List<BpfLink> links) {
        if (links.size() < 16) {
            links.forEach(BpfLink::close);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "functop-detach");
            t.setDaemon(true);
            return t;
        });
        for (BpfLink link : links) {
            pool.execute(link::close);
        }
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
