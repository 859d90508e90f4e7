// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * open: every open, openat, openat2 and creat, with the fd or the errno.
 *
 * The enter tracepoints stash the arguments per thread; the exit ones read
 * the path (still in the caller's memory, and just read by the kernel, so
 * resident) and send one event with the result. Filtered threads stash
 * nothing.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "open.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AT_FDCWD -100
#define O_CREAT_TRUNC_WRONLY (00100 | 01000 | 01) /* what creat() means */

/* Only paths starting with this (as passed to the call, not resolved); empty = any. */
const volatile char filter_path[OPEN_FILTER_PATH_MAX] = {};

struct open_args {
	const char *path;
	__u64 open_flags;
	__u64 resolve;
	__s32 dfd;
	__u32 mode;
	__u8 syscall;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);      /* thread id */
	__type(value, struct open_args);
} pending SEC(".maps");

/* The event is built here: 4 KiB of path does not fit on the 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct open_event);
} scratch SEC(".maps");

static __always_inline int stash(struct open_args *args)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	bpf_map_update_elem(&pending, &tid, args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct open_args args = {
		.dfd = (__s32)ctx->args[0],
		.path = (const char *)ctx->args[1],
		.open_flags = (__u32)ctx->args[2],
		.mode = (__u32)ctx->args[3],
		.syscall = OPEN_SYSCALL_OPENAT,
	};

	return stash(&args);
}

SEC("tracepoint/syscalls/sys_enter_openat2")
int openat2_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};
	struct open_args args = {
		.dfd = (__s32)ctx->args[0],
		.path = (const char *)ctx->args[1],
		.syscall = OPEN_SYSCALL_OPENAT2,
	};

	/* A short or unreadable struct open_how leaves zeros; the call then fails with its errno. */
	if (ctx->args[3] >= sizeof(how))
		bpf_probe_read_user(&how, sizeof(how), (const void *)ctx->args[2]);
	args.open_flags = how.flags;
	args.mode = (__u32)how.mode;
	args.resolve = how.resolve;
	return stash(&args);
}

SEC("tracepoint/syscalls/sys_enter_open")
int open_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct open_args args = {
		.dfd = AT_FDCWD,
		.path = (const char *)ctx->args[0],
		.open_flags = (__u32)ctx->args[1],
		.mode = (__u32)ctx->args[2],
		.syscall = OPEN_SYSCALL_OPEN,
	};

	return stash(&args);
}

SEC("tracepoint/syscalls/sys_enter_creat")
int creat_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct open_args args = {
		.dfd = AT_FDCWD,
		.path = (const char *)ctx->args[0],
		.open_flags = O_CREAT_TRUNC_WRONLY,
		.mode = (__u32)ctx->args[1],
		.syscall = OPEN_SYSCALL_CREAT,
	};

	return stash(&args);
}

static __always_inline bool path_wanted(const char *path)
{
	for (int i = 0; i < OPEN_FILTER_PATH_MAX; i++) {
		if (filter_path[i] == '\0')
			return true;
		if (path[i] != filter_path[i])
			return false;
	}
	return true;
}

static __always_inline int send(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_args *args = bpf_map_lookup_elem(&pending, &tid);
	struct open_event *e;
	__u32 zero = 0;
	long n;
	__u64 len;

	if (!args)
		return 0;
	e = bpf_map_lookup_elem(&scratch, &zero);
	if (!e || !fill_header(&e->hdr, EVENT_OPEN))
		goto done;
	e->flags = 0;
	n = bpf_probe_read_user_str(e->path, sizeof(e->path), args->path);
	if (n <= 0) {
		/* Unreadable (a bad pointer fails with EFAULT): send it with an empty path. */
		e->path[0] = '\0';
		n = 1;
		e->flags |= OPEN_PATH_TRUNCATED;
	} else if (n == sizeof(e->path)) {
		e->flags |= OPEN_PATH_TRUNCATED;
	}
	if (!path_wanted(e->path))
		goto done;
	e->path_len = n;
	e->open_flags = args->open_flags;
	e->resolve = args->resolve;
	e->dfd = args->dfd;
	e->mode = args->mode;
	e->syscall = args->syscall;
	e->ret = ret;
	if (e->flags)
		count(COUNTER_TRUNCATED);
	len = offsetof(struct open_event, path) + (__u64)n;
	if (len <= sizeof(*e))
		emit(e, len);
done:
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return send(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int openat2_exit(struct trace_event_raw_sys_exit *ctx)
{
	return send(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_open")
int open_exit(struct trace_event_raw_sys_exit *ctx)
{
	return send(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_creat")
int creat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return send(ctx->ret);
}
