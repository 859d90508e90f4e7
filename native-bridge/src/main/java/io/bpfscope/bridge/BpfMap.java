package io.bpfscope.bridge;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.bpfscope.bridge.sys.Errno;

/**
 * A map inside a {@link BpfObject}; valid while the object is open.
 * Reads are safe from any thread once the object is loaded.
 */
public final class BpfMap {
    private final LibBpf lib;
    private final String name;
    private final Pointer handle;

    BpfMap(LibBpf lib, String name, Pointer handle) {
        this.lib = lib;
        this.name = name;
        this.handle = handle;
    }

    public String name() {
        return name;
    }

    public int fd() {
        return lib.bpf_map__fd(handle);
    }

    /** Makes this map share an existing map (e.g. one ring buffer for all probes). Before load only. */
    public void reuseFd(int fd) throws BpfException {
        int rc = lib.bpf_map__reuse_fd(handle, fd);
        if (rc < 0) {
            throw BpfException.of("reuse map", name, -rc, "");
        }
    }

    /** Before load only. */
    public void setMaxEntries(int maxEntries) throws BpfException {
        int rc = lib.bpf_map__set_max_entries(handle, maxEntries);
        if (rc < 0) {
            throw BpfException.of("resize map", name, -rc, "");
        }
    }

    public int maxEntries() {
        return lib.bpf_map__max_entries(handle);
    }

    /** Sums a per-CPU array's u64 slot over every possible CPU (how probes keep counters). */
    public long sumPerCpu(int key) throws BpfException {
        int cpus = lib.libbpf_num_possible_cpus();
        if (cpus <= 0) {
            throw BpfException.of("count CPUs", name, -cpus, "");
        }
        int slot = (lib.bpf_map__value_size(handle) + 7) & ~7; // the kernel rounds each CPU's value to 8 bytes
        try (Memory keyBuf = new Memory(4); Memory values = new Memory((long) slot * cpus)) {
            keyBuf.setInt(0, key);
            int rc = lib.bpf_map_lookup_elem(fd(), keyBuf, values);
            if (rc < 0) {
                if (-rc == Errno.ENOENT) {
                    return 0;
                }
                throw BpfException.of("read map", name, -rc, "");
            }
            long sum = 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                sum += values.getLong((long) cpu * slot);
            }
            return sum;
        }
    }

    /** Looks up one key; null when absent. Sizes come from the map's definition. */
    public byte[] lookup(byte[] key) throws BpfException {
        int valueSize = lib.bpf_map__value_size(handle);
        try (Memory keyBuf = new Memory(Math.max(1, key.length)); Memory value = new Memory(Math.max(1, valueSize))) {
            keyBuf.write(0, key, 0, key.length);
            int rc = lib.bpf_map_lookup_elem(fd(), keyBuf, value);
            if (rc < 0) {
                if (-rc == Errno.ENOENT) {
                    return null;
                }
                throw BpfException.of("read map", name, -rc, "");
            }
            return value.getByteArray(0, valueSize);
        }
    }

    /** Sets {@code key} to {@code value} (sized as the map's definition says), adding it if absent. */
    public void put(byte[] key, byte[] value) throws BpfException {
        try (Memory keyBuf = new Memory(Math.max(1, key.length)); Memory valueBuf = new Memory(Math.max(1, value.length))) {
            keyBuf.write(0, key, 0, key.length);
            valueBuf.write(0, value, 0, value.length);
            int rc = lib.bpf_map_update_elem(fd(), keyBuf, valueBuf, 0); // BPF_ANY
            if (rc < 0) {
                throw BpfException.of("update map", name, -rc, "");
            }
        }
    }

    /** Every key, in the kernel's order; a snapshot that may miss keys added meanwhile. */
    public java.util.List<byte[]> keys() throws BpfException {
        int keySize = lib.bpf_map__key_size(handle);
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        try (Memory current = new Memory(keySize); Memory next = new Memory(keySize)) {
            Pointer previous = null;
            while (true) {
                int rc = lib.bpf_map_get_next_key(fd(), previous, next);
                if (rc < 0) {
                    if (-rc == Errno.ENOENT) {
                        return keys;
                    }
                    throw BpfException.of("list map keys", name, -rc, "");
                }
                byte[] key = next.getByteArray(0, keySize);
                keys.add(key);
                current.write(0, key, 0, keySize);
                previous = current;
            }
        }
    }
}
