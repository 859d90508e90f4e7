// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exec: every execve/execveat, successful or not.
 *
 * sys_enter_execve(at) stashes the filename and argv per thread (user memory
 * is only readable there); sched_process_exec sends the event of an exec
 * that succeeded, sys_exit_execve(at) the one that failed, with its errno.
 * The stash is keyed by thread id, and sched_process_exec looks it up by
 * old_pid, because a non-leader thread that execs takes over the leader's id.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "exec.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct exec_event);
} pending SEC(".maps");

/* A zeroed template for the stash: an 8 KiB value does not fit on the 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_event);
} scratch SEC(".maps");

/* Cap the arguments at EXEC_ARGS_MAX (the last read may overshoot) and keep the stash. */
static __always_inline int finish_stash(struct exec_event *e, __u32 tid)
{
	if (e->args_len > EXEC_ARGS_MAX) {
		e->args_len = EXEC_ARGS_MAX;
		e->flags |= EXEC_ARGS_TRUNCATED;
	}
	bpf_map_update_elem(&pending, &tid, e, BPF_ANY);
	return 0;
}

static __always_inline int stash(const char *filename, const char *const *argv)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	__u32 zero = 0;
	struct exec_event *e;
	long n;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e)
		return 0;
	e->argc = 0;
	e->flags = 0;

	n = bpf_probe_read_user_str(e->data, EXEC_FILENAME_MAX, filename);
	if (n < 0)
		n = 0;
	if (n == EXEC_FILENAME_MAX)
		e->flags |= EXEC_FILENAME_TRUNCATED;
	e->filename_len = n;

	/*
	 * The running offset lives in the map value, not in a register: a value
	 * loaded from memory is not tracked precisely, so the verifier checks
	 * one loop body instead of one per offset it could have.
	 */
	e->args_len = 0;
	for (int i = 0; i < EXEC_ARGC_MAX; i++) {
		const char *arg = NULL;
		__u32 off = e->filename_len + e->args_len;

		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			return finish_stash(e, tid);
		if (off >= EXEC_FILENAME_MAX + EXEC_ARGS_MAX) {
			e->flags |= EXEC_ARGS_TRUNCATED;
			return finish_stash(e, tid);
		}
		/* off < 4608 and a read is at most 1024: always inside data[8192]. */
		n = bpf_probe_read_user_str(&e->data[off & (EXEC_DATA_SIZE - 1)], EXEC_ARG_READ_MAX, arg);
		if (n <= 0)
			return finish_stash(e, tid);
		if (n == EXEC_ARG_READ_MAX)
			e->flags |= EXEC_ARGS_TRUNCATED;
		e->args_len += n;
		e->argc++;
	}
	/* Still more arguments after EXEC_ARGC_MAX? */
	{
		const char *more = NULL;

		bpf_probe_read_user(&more, sizeof(more), &argv[EXEC_ARGC_MAX]);
		if (more)
			e->flags |= EXEC_ARGS_TRUNCATED;
	}
	return finish_stash(e, tid);
}

SEC("tracepoint/syscalls/sys_enter_execve")
int exec_enter(struct trace_event_raw_sys_enter *ctx)
{
	return stash((const char *)ctx->args[0], (const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int execat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return stash((const char *)ctx->args[1], (const char *const *)ctx->args[2]);
}

static __always_inline void send(struct exec_event *e, __s32 retval)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 len;

	if (!fill_header(&e->hdr, EVENT_EXEC))
		return;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->retval = retval;
	if (e->flags)
		count(COUNTER_TRUNCATED);
	len = offsetof(struct exec_event, data) + e->filename_len + e->args_len;
	if (len > sizeof(*e))
		return;
	emit(e, len);
}

SEC("tracepoint/sched/sched_process_exec")
int exec_done(struct trace_event_raw_sched_process_exec *ctx)
{
	__u32 old_tid = ctx->old_pid;
	struct exec_event *e = bpf_map_lookup_elem(&pending, &old_tid);

	if (!e)
		return 0;
	send(e, 0);
	bpf_map_delete_elem(&pending, &old_tid);
	return 0;
}

static __always_inline int exit_common(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct exec_event *e = bpf_map_lookup_elem(&pending, &tid);

	if (!e)
		return 0; /* sent by exec_done already, or filtered */
	if (ret < 0)
		send(e, ret);
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int exec_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_common(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int execat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return exit_common(ctx->ret);
}
