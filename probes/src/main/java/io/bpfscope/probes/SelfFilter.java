package io.bpfscope.probes;

import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfLink;
import io.bpfscope.bridge.BpfMap;
import io.bpfscope.bridge.BpfObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * bpfscope's own processes, kept out of a capture in the kernel: the map {@code excluded_tgids}
 * (self_filter.bpf.h), which every probe loaded with it looks up first, and {@code self.bpf.o},
 * which adds a process one of them forks (ldconfig, jspawnhelper) and removes one once it is gone. One per
 * capture; closing it detaches the tracker and frees the map once no probe holds it. Nothing is pinned.
 *
 * <p>Not thread-safe for {@link #close()}; {@link #mapFd()} may be read from any thread while open.
 */
public final class SelfFilter implements AutoCloseable {
    static final String OBJECT = "self.bpf.o";
    /** The map's name in every probe object, and the constant that turns the look-up on. */
    static final String MAP = "excluded_tgids";
    static final String SWITCH = "exclude_self";

    private final BpfObject object;
    private final List<BpfLink> links;
    private final Set<Long> roots;

    private SelfFilter(BpfObject object, List<BpfLink> links, Set<Long> roots) {
        this.object = object;
        this.links = links;
        this.roots = roots;
    }

    /**
     * Loads the tracker, then puts {@code ownProcesses} (tgids) and every process they have started
     * so far in the map: a fork after the attach is caught by the tracker, one before it by the walk.
     */
    public static SelfFilter start(Collection<Long> ownProcesses) throws BpfException {
        BpfObject object = BpfObject.open("self", Probe.objectBytes(OBJECT));
        List<BpfLink> links = new ArrayList<>();
        try {
            object.load();
            for (String program : List.of("self_fork", "self_free")) {
                links.add(object.program(program).attach());
            }
            BpfMap map = object.map(MAP);
            Set<Long> roots = new LinkedHashSet<>(ownProcesses);
            for (long root : roots) {
                exclude(map, root, root);
                ProcessHandle.of(root).ifPresent(process -> process.descendants()
                        .forEach(child -> exclude(map, child.pid(), root)));
            }
            return new SelfFilter(object, links, Set.copyOf(roots));
        } catch (BpfException | RuntimeException e) {
            links.forEach(BpfLink::close);
            object.close();
            throw e;
        }
    }

    /**
     * As {@link #start}, but a capture goes on without the filter when the kernel refuses it: null
     * then, and {@code warnings} hears why.
     */
    public static SelfFilter startOrWarn(Collection<Long> ownProcesses, java.util.function.Consumer<String> warnings) {
        try {
            return start(ownProcesses);
        } catch (BpfException | RuntimeException e) {
            warnings.accept("bpfscope's own processes will show in the capture: " + e.getMessage());
            return null;
        }
    }

    private static void exclude(BpfMap map, long tgid, long root) {
        try {
            map.put(u32(tgid), u32(root));
        } catch (BpfException e) {
            throw new IllegalStateException(e.getMessage(), e); // the map is ours and sized for this: a bug
        }
    }

    private static byte[] u32(long value) {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt((int) value).array();
    }

    /** The processes it was started with (their children are excluded too). */
    public Set<Long> roots() {
        return roots;
    }

    /** True when the kernel filters leave process {@code tgid} out now. */
    public boolean excludes(long tgid) throws BpfException {
        return object.map(MAP).lookup(u32(tgid)) != null;
    }

    /** The map's fd, for {@code bpf_map__reuse_fd} in each probe object before load. */
    public int mapFd() throws BpfException {
        return object.map(MAP).fd();
    }

    /** Points {@code probe}'s map at this one and turns its look-up on; before load. */
    public void applyTo(BpfObject probe) throws BpfException {
        probe.setConstant(SWITCH, 1);
        probe.map(MAP).reuseFd(mapFd());
    }

    @Override
    public void close() {
        links.forEach(BpfLink::close);
        object.close();
    }
}
