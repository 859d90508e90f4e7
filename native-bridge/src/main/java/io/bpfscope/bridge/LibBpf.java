package io.bpfscope.bridge;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.NativeLongByReference;

/**
 * The system's libbpf.so.1, limited to the API of libbpf 1.1 (Debian 12,
 * Ubuntu 22.04). C names are kept; {@link BpfObject} and friends are the
 * Java face. Functions returning int return {@code -errno}; functions
 * returning a pointer return NULL and set errno.
 *
 * <p>Loading fails with {@link UnsatisfiedLinkError} when the library is
 * missing; {@link #load()} turns that into a sentence.
 */
public interface LibBpf extends Library {
    int BPF_MAP_TYPE_RINGBUF = 27;

    static LibBpf load() throws KernelFeatureMissingException {
        return Holder.get();
    }

    /** e.g. {@code v1.1}: the libbpf bound (libbpf 0.6 and later). */
    String libbpf_version_string();

    // Objects
    Pointer bpf_object__open_mem(Pointer buffer, NativeLong size, OpenOptions opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    Pointer bpf_object__next_map(Pointer obj, Pointer prev);

    // Programs
    String bpf_program__name(Pointer prog);

    String bpf_program__section_name(Pointer prog);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    int bpf_program__fd(Pointer prog);

    Pointer bpf_program__attach(Pointer prog);

    Pointer bpf_program__attach_tracepoint(Pointer prog, String category, String name);

    Pointer bpf_program__attach_raw_tracepoint(Pointer prog, String name);

    Pointer bpf_program__attach_trace(Pointer prog);

    Pointer bpf_program__attach_uprobe(Pointer prog, boolean retprobe, int pid, String binaryPath, NativeLong funcOffset);

    Pointer bpf_program__attach_uprobe_opts(Pointer prog, int pid, String binaryPath, NativeLong funcOffset,
                                            UprobeOptions opts);

    // Links
    int bpf_link__destroy(Pointer link);

    // Maps
    String bpf_map__name(Pointer map);

    int bpf_map__fd(Pointer map);

    int bpf_map__reuse_fd(Pointer map, int fd);

    int bpf_map__set_max_entries(Pointer map, int maxEntries);

    int bpf_map__max_entries(Pointer map);

    int bpf_map__key_size(Pointer map);

    int bpf_map__value_size(Pointer map);

    Pointer bpf_map__initial_value(Pointer map, NativeLongByReference size);

    int bpf_map_create(int mapType, String name, int keySize, int valueSize, int maxEntries, Pointer opts);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    /** flags: BPF_ANY (0), BPF_NOEXIST (1), BPF_EXIST (2). */
    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int libbpf_num_possible_cpus();

    /** 1 when programs of progType may call helper helperId on this kernel, 0 when not, -errno when it cannot tell. */
    int libbpf_probe_bpf_helper(int progType, int helperId, Pointer opts);

    // Logging
    PrintFunction libbpf_set_print(PrintFunction fn);

    /** libbpf_print_fn_t: (enum libbpf_print_level, const char *format, va_list args). */
    interface PrintFunction extends Callback {
        int invoke(int level, String format, Pointer vaList);
    }

    // libbpf's own ring buffer consumer: used only by the benchmark, to compare with ours.
    Pointer ring_buffer__new(int mapFd, SampleFunction sampleCb, Pointer ctx, Pointer opts);

    int ring_buffer__poll(Pointer rb, int timeoutMs);

    void ring_buffer__free(Pointer rb);

    /** ring_buffer_sample_fn: (void *ctx, void *data, size_t size). */
    interface SampleFunction extends Callback {
        int invoke(Pointer ctx, Pointer data, NativeLong size);
    }

    /** struct bpf_object_open_opts as of libbpf 1.1; {@code sz} tells libbpf which fields we know. */
    @Structure.FieldOrder({"sz", "object_name", "relaxed_maps", "pin_root_path", "attach_prog_fd_stub",
            "kconfig", "btf_custom_path", "kernel_log_buf", "kernel_log_size", "kernel_log_level"})
    class OpenOptions extends Structure {
        public NativeLong sz;
        public String object_name;
        public byte relaxed_maps;
        public String pin_root_path;
        public int attach_prog_fd_stub;
        public String kconfig;
        public String btf_custom_path;
        public Pointer kernel_log_buf;
        public NativeLong kernel_log_size;
        public int kernel_log_level;

        public OpenOptions(String objectName) {
            this.object_name = objectName;
            this.sz = new NativeLong(size());
        }
    }

    /** struct bpf_uprobe_opts as of libbpf 1.1; {@code sz} tells libbpf which fields we know. */
    @Structure.FieldOrder({"sz", "ref_ctr_offset", "bpf_cookie", "retprobe", "func_name"})
    class UprobeOptions extends Structure {
        public NativeLong sz;
        public NativeLong ref_ctr_offset;
        public long bpf_cookie;
        public byte retprobe;
        public String func_name;

        public UprobeOptions(long cookie, boolean retprobe) {
            this.bpf_cookie = cookie;
            this.retprobe = (byte) (retprobe ? 1 : 0);
            this.sz = new NativeLong(size());
        }
    }

    /** Loads the library once; remembers a failure so every caller gets the same sentence. */
    final class Holder {
        private static LibBpf instance;
        private static KernelFeatureMissingException failure;

        private Holder() {
        }

        static synchronized LibBpf get() throws KernelFeatureMissingException {
            if (instance == null && failure == null) {
                try {
                    // By its soname, found by the dynamic linker: for "bpf" JNA looked for libbpf.so (a
                    // -dev package's link) and ran ldconfig -p, a process, when it was missing.
                    instance = Native.load("libbpf.so.1", LibBpf.class);
                    LibbpfLog.install(instance);
                } catch (UnsatisfiedLinkError e) {
                    failure = new KernelFeatureMissingException("load library", "libbpf.so.1",
                            "install libbpf 1.1 or newer (Debian/Ubuntu: apt-get install libbpf1; Fedora: dnf install libbpf)",
                            String.valueOf(e.getMessage()));
                }
            }
            if (failure != null) {
                throw failure;
            }
            return instance;
        }
    }
}
