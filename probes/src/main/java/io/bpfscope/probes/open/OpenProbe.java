package io.bpfscope.probes.open;

import io.bpfscope.probes.EventKind;
import io.bpfscope.bridge.BpfException;
import io.bpfscope.bridge.BpfObject;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.ProbeOptions;
import io.bpfscope.probes.TracepointProbe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The open probe's spec. Besides the common filters it can keep only paths
 * that start with a prefix, compared in the kernel with the path as the
 * program passed it (a relative path does not match an absolute prefix).
 * Immutable and thread-safe.
 */
public final class OpenProbe extends TracepointProbe {
    /** The longest prefix in bytes (open.h's OPEN_FILTER_PATH_MAX, less the NUL). */
    public static final int MAX_PATH_PREFIX = 63;

    private static final List<Program> PROGRAMS = List.of(
            new Program("openat_enter", "syscalls", "sys_enter_openat", true),
            new Program("openat_exit", "syscalls", "sys_exit_openat", true),
            new Program("openat2_enter", "syscalls", "sys_enter_openat2", false),
            new Program("openat2_exit", "syscalls", "sys_exit_openat2", false),
            new Program("open_enter", "syscalls", "sys_enter_open", false),
            new Program("open_exit", "syscalls", "sys_exit_open", false),
            new Program("creat_enter", "syscalls", "sys_enter_creat", false),
            new Program("creat_exit", "syscalls", "sys_exit_creat", false));

    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.text("syscall", "open, openat, openat2 or creat"))
            .field(FieldSpec.text("path", "the path as the program passed it"))
            .field(FieldSpec.flag("path_truncated", "the path was longer than the probe reads"))
            .field(FieldSpec.number("flags", "the open flags, as a number"))
            .field(FieldSpec.text("flags_text", "the open flags by name: O_WRONLY|O_CREAT|O_CLOEXEC"))
            .field(FieldSpec.text("mode", "opens that may create a file: the mode in octal, 0640"))
            .field(FieldSpec.text("resolve", "openat2 with RESOLVE_* flags: their names"))
            .field(FieldSpec.number("dfd", "the directory fd a relative path starts from (-100: the cwd)"))
            .field(FieldSpec.number("fd", "the new file descriptor, or -1"))
            .field(FieldSpec.text("error", "a failed open only: ENOENT, EACCES..."))
            .color("#8e24aa", "#f6eff9", "#29222e")
            .statistic(ProbeDeclaration.StatisticTable.FILES,
                    event -> Optional.ofNullable(event.field("path")).map(String::valueOf))
            .build();

    /** Every open, no path filter: the catalog's entry. */
    public static final OpenProbe PROBE = new OpenProbe("");

    private final String pathPrefix;

    private OpenProbe(String pathPrefix) {
        super("open", "file opens: path, flags, mode, the fd or the errno (open, openat, openat2, creat)",
                EventKind.OPEN, new OpenDecoder(), DECLARATION, PROGRAMS);
        this.pathPrefix = pathPrefix;
    }

    /** This probe keeping only paths that start with {@code prefix} (empty: every path). */
    public OpenProbe withPathPrefix(String prefix) {
        if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_PREFIX) {
            throw new IllegalArgumentException("the path prefix may be at most " + MAX_PATH_PREFIX
                    + " bytes, not " + prefix.getBytes(StandardCharsets.UTF_8).length + ": " + prefix);
        }
        return new OpenProbe(prefix);
    }

    public String pathPrefix() {
        return pathPrefix;
    }

    @Override
    public void configure(BpfObject object, ProbeOptions options) throws BpfException {
        super.configure(object, options);
        object.setConstant("filter_path", pathPrefix);
    }
}
