package io.bpfscope.probes.exec;

import io.bpfscope.probes.EventKind;
import io.bpfscope.probes.FieldSpec;
import io.bpfscope.probes.ProbeDeclaration;
import io.bpfscope.probes.TracepointProbe;
import java.util.List;

/**
 * The exec probe's spec: process starts, and execs that failed. The smallest
 * complete probe: copy this package (and exec.bpf.c, exec.h) to start a new one.
 * Immutable and thread-safe.
 */
public final class ExecProbe extends TracepointProbe {
    static final ProbeDeclaration DECLARATION = ProbeDeclaration.builder()
            .field(FieldSpec.number("ppid", "the parent's pid (task->real_parent->tgid)"))
            .field(FieldSpec.number("uid", "the real uid (as in the header)"))
            .field(FieldSpec.text("filename", "the path given to exec, as given"))
            .field(FieldSpec.list("argv", "the arguments, argv[0] first"))
            .field(FieldSpec.flag("args_truncated", "argv did not fit: too many or too long arguments"))
            .field(FieldSpec.flag("filename_truncated", "the path was longer than 512 bytes"))
            .field(FieldSpec.number("retval", "0, or the negative errno of a failed exec"))
            .field(FieldSpec.text("error", "a failed exec only: ENOENT, EACCES, ENOEXEC..."))
            .color("#2e7d32", "#eef7ee", "#1f2b21")
            .build();

    /** The catalog's entry. */
    public static final ExecProbe PROBE = new ExecProbe();

    private ExecProbe() {
        super("exec", "process starts: filename, argv, parent; failed execs with their errno",
                EventKind.EXEC, new ExecDecoder(), DECLARATION, List.of(
                        new Program("exec_enter", "syscalls", "sys_enter_execve", true),
                        new Program("execat_enter", "syscalls", "sys_enter_execveat", false),
                        new Program("exec_done", "sched", "sched_process_exec", true),
                        new Program("exec_exit", "syscalls", "sys_exit_execve", true),
                        new Program("execat_exit", "syscalls", "sys_exit_execveat", false)));
    }
}
