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
 *
 * The connection comes from the receiver, not from syscalls on the thread:
 * tls.Conn starts with conn net.Conn, an interface whose data word (at 8)
 * points to a *net.TCPConn, which starts with its *netFD, whose poll.FD has
 * Sysfd at 16 and is followed by family (56) and sotype (64) — the layout of
 * Go 1.9 to 1.22. family and sotype must say TCP, and the fd must be a TCP
 * socket of that family, or the event says the connection is unknown (a
 * net.Conn of another type: a proxy's, a test's pipe).
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

#define GO_NETFD_SYSFD 16
#define GO_NETFD_FAMILY 56
#define GO_NETFD_SOTYPE 64
#define SOCK_STREAM 1

/* The struct sock * of a *tls.Conn's TCP socket, or 0. */
static __always_inline __u64 go_conn_socket(__u64 conn)
{
	__u64 data = 0, netfd = 0;
	__s64 fd = -1, family = 0, sotype = 0;
	struct socket *sock;
	struct file *file;
	struct sock *sk;

	if (bpf_probe_read_user(&data, sizeof(data), (void *)(conn + 8)) || !data ||
	    bpf_probe_read_user(&netfd, sizeof(netfd), (void *)data) || !netfd ||
	    bpf_probe_read_user(&fd, sizeof(fd), (void *)(netfd + GO_NETFD_SYSFD)) ||
	    bpf_probe_read_user(&family, sizeof(family), (void *)(netfd + GO_NETFD_FAMILY)) ||
	    bpf_probe_read_user(&sotype, sizeof(sotype), (void *)(netfd + GO_NETFD_SOTYPE)))
		return 0;
	if (fd < 0 || fd > 0x7fffffff || (family != AF_INET && family != AF_INET6) || sotype != SOCK_STREAM)
		return 0;
	sock = socket_of_fd(fd, &file);
	if (!sock)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != family || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	return (__u64)sk;
}

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
	call.sk = go_conn_socket(call.conn);
	call.sk_from_fd = 1;
	call.function = TLS_FN_GO_READ;
	call.start_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&go_calls, &key, &call, BPF_ANY);
	return 0;
}

/* Write(b): reported at entry as writing all of b, which Write does unless the connection fails. */
SEC("uprobe")
int tls_go_write(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct tls_call call = {};
	__s64 len = (__s64)ctx->cx;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()) || len < 0)
		return 0;
	call.conn = ctx->ax;
	call.buf = ctx->bx;
	call.sk = go_conn_socket(call.conn);
	call.sk_from_fd = 1;
	call.function = TLS_FN_GO_WRITE;
	send_call(&call, pid_tgid >> 32, len, len); /* no start_ns: latency 0 */
	return 0;
}

/* On each RET of Read: n in RAX, err's type word in RBX (0: nil). */
SEC("uprobe")
int tls_go_return(struct pt_regs *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct go_call_key key = {.g = ctx->r14, .tgid = tgid};
	struct tls_call call, *stashed;
	__s64 n = (__s64)ctx->ax;
	__u64 moved = n > 0 ? n : 0;

	stashed = bpf_map_lookup_elem(&go_calls, &key);
	if (!stashed)
		return 0;
	call = *stashed;
	bpf_map_delete_elem(&go_calls, &key);
	/* retval: n, or -1 when the call failed (err != nil) having moved nothing. */
	send_call(&call, tgid, ctx->bx && n <= 0 ? -1 : n, moved);
	return 0;
}

#endif /* __TARGET_ARCH_x86 */
#endif
