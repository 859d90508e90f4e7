/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Go's crypto/tls, included by tls.bpf.c: (*Conn).Write and (*Conn).Read.
 *
 * Go code gets no uretprobe: a uretprobe replaces the return address on the
 * stack, and Go moves a goroutine's stack when it grows, so the process would
 * return into garbage (golang/go#22008). User space finds every RET of Read
 * instead (io.bpfscope.probes.golang.GoTls) and puts tls_go_return on each:
 * a read's bytes are known only at return. A write's are known at entry, so
 * Write is reported there, from one uprobe instead of two: a uprobe hit costs
 * microseconds, and a busy program makes thousands of calls a second.
 *
 * Go 1.17+ register ABI on x86-64: the receiver in RAX, b's pointer, length
 * and capacity in RBX, RCX, RDI; the results n in RAX, err (an interface:
 * type word, data word) in RBX, RCX; the running goroutine's g in R14 all
 * along. A goroutine blocked in Read may resume on another thread, so a call
 * is matched to its return by g, not by thread.
 */
#ifndef BPFSCOPE_TLS_GO_BPF_H
#define BPFSCOPE_TLS_GO_BPF_H

#if defined(__TARGET_ARCH_x86)

struct go_call_key {
	__u64 g;                 /* the goroutine (R14) */
	__u32 tgid;              /* g addresses are per process */
	__u32 pad;
};

/* LRU: a goroutine that never returns (the process exits inside Read) ages out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct go_call_key);
	__type(value, struct tls_call);
} go_calls SEC(".maps");

/* Read's entry: stash the receiver and the buffer for the RET. */
SEC("uprobe")
int tls_go_read(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct go_call_key key = {.g = ctx->r14, .tgid = pid_tgid >> 32};
	struct tls_call call = {};

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	/* A stack growth runs the prologue twice; the second entry replaces the first. */
	call.conn = ctx->ax;
	call.buf = ctx->bx;
	call.sp = ctx->sp;
	call.function = TLS_FN_GO_READ;
	call.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&go_calls, &key, &call, BPF_ANY);
	return 0;
}

/* Write(b): reported at entry as writing all of b, which Write does unless the connection fails. */
SEC("uprobe")
int tls_go_write(struct pt_regs *ctx)
{
	struct tls_call call = {};
	__s64 len = (__s64)ctx->cx;

	if (!task_wanted(bpf_get_current_pid_tgid(), (__u32)bpf_get_current_uid_gid()) || len < 0)
		return 0;
	call.conn = ctx->ax;
	call.buf = ctx->bx;
	call.function = TLS_FN_GO_WRITE;
	send_call(&call, len, len); /* no start_ns: latency 0 */
	return 0;
}

/* On each RET of Read: n in RAX, err's type word in RBX (0: nil). */
SEC("uprobe")
int tls_go_return(struct pt_regs *ctx)
{
	struct go_call_key key = {.g = ctx->r14, .tgid = bpf_get_current_pid_tgid() >> 32};
	struct tls_call call, *stashed;
	__s64 n = (__s64)ctx->ax;
	__u64 moved = n > 0 ? n : 0;

	stashed = bpf_map_lookup_elem(&go_calls, &key);
	if (!stashed)
		return 0;
	call = *stashed;
	bpf_map_delete_elem(&go_calls, &key);
	/* retval: n, or -1 when the call failed (err != nil) having moved nothing. */
	send_call(&call, ctx->bx && n <= 0 ? -1 : n, moved);
	return 0;
}

#endif /* __TARGET_ARCH_x86 */
#endif
