package io.bpfscope.bridge;

import com.sun.jna.Pointer;

/** An attached program. Closing the link detaches it; idempotent. Not thread-safe. */
public final class BpfLink implements AutoCloseable {
    private final LibBpf lib;
    private final String description;
    private Pointer handle;

    BpfLink(LibBpf lib, Pointer handle, String description) {
        this.lib = lib;
        this.handle = handle;
        this.description = description;
    }

    /** What it is attached to, e.g. {@code tracepoint syscalls:sys_enter_execve}. */
    public String description() {
        return description;
    }

    public boolean isAttached() {
        return handle != null;
    }

    @Override
    public void close() {
        if (handle != null) {
            lib.bpf_link__destroy(handle);
            handle = null;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
