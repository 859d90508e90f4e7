package io.bpfscope.bridge;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * A program inside a {@link BpfObject}; valid while the object is open.
 * Each attach returns a {@link BpfLink}: closing the link detaches.
 */
public final class BpfProgram {
    private final LibBpf lib;
    private final String objectName;
    private final Pointer handle;

    BpfProgram(LibBpf lib, String objectName, Pointer handle) {
        this.lib = lib;
        this.objectName = objectName;
        this.handle = handle;
    }

    public String name() {
        return lib.bpf_program__name(handle);
    }

    /** The ELF section, e.g. {@code tracepoint/syscalls/sys_enter_execve}: says where it attaches. */
    public String sectionName() {
        return lib.bpf_program__section_name(handle);
    }

    /** Whether load() loads it; turn off programs whose attach point this host lacks. Before load only. */
    public void setAutoload(boolean autoload) throws BpfException {
        int rc = lib.bpf_program__set_autoload(handle, autoload);
        if (rc < 0) {
            throw BpfException.of("set autoload", objectName + ":" + name(), -rc, "");
        }
    }

    /** Attaches where its section says (tracepoint/, raw_tracepoint/, tp_btf/...). */
    public BpfLink attach() throws BpfException {
        String section = sectionName();
        return link(lib.bpf_program__attach(handle), "attach " + kindOf(section), section);
    }

    public BpfLink attachTracepoint(String category, String event) throws BpfException {
        return link(lib.bpf_program__attach_tracepoint(handle, category, event), "attach tracepoint", category + ":" + event);
    }

    public BpfLink attachRawTracepoint(String event) throws BpfException {
        return link(lib.bpf_program__attach_raw_tracepoint(handle, event), "attach raw tracepoint", event);
    }

    /**
     * Attaches a uprobe (or uretprobe) at a file offset, found with
     * {@code ElfFile.uprobeOffset}; {@code pid} -1 means every process.
     * {@code target} names it in errors, e.g. {@code /usr/lib/.../libssl.so.3:SSL_write}.
     */
    public BpfLink attachUprobe(String binaryPath, long fileOffset, int pid, boolean retprobe, String target)
            throws BpfException {
        Pointer link = lib.bpf_program__attach_uprobe(handle, retprobe, pid, binaryPath, new NativeLong(fileOffset));
        return link(link, retprobe ? "attach uretprobe" : "attach uprobe", target);
    }

    /**
     * Like {@link #attachUprobe}, with a cookie the program reads with
     * {@code bpf_get_attach_cookie()} (kernel 5.15+): one program, many
     * functions, each telling which it is.
     */
    public BpfLink attachUprobe(String binaryPath, long fileOffset, int pid, boolean retprobe, long cookie, String target)
            throws BpfException {
        LibBpf.UprobeOptions opts = new LibBpf.UprobeOptions(cookie, retprobe);
        Pointer link = lib.bpf_program__attach_uprobe_opts(handle, pid, binaryPath, new NativeLong(fileOffset), opts);
        return link(link, retprobe ? "attach uretprobe" : "attach uprobe", target);
    }

    private BpfLink link(Pointer link, String operation, String target) throws BpfException {
        if (link == null) {
            throw BpfException.of(operation, target, Native.getLastError(), "");
        }
        return new BpfLink(lib, link, operation.substring("attach ".length()) + " " + target);
    }

    private static String kindOf(String section) {
        int slash = section.indexOf('/');
        String kind = slash < 0 ? section : section.substring(0, slash);
        return kind.equals("tp") ? "tracepoint" : kind.replace('_', ' ');
    }
}
