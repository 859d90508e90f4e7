// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tls: TLS plaintext in both directions, by uprobes on the libraries' read
 * and write calls (OpenSSL, GnuTLS, NSPR under NSS).
 *
 * Every traced function gets a uprobe that stashes its arguments per thread
 * (buffer, connection, out-parameter, entry time, stack pointer) and a
 * uretprobe, shared by all of them, that sends the event: only at return is
 * it known how many bytes the call moved, and a read's buffer holds data.
 *
 * One call reports once. A traced function that runs inside another on the
 * same thread (a BIO that writes through a second SSL, an SSL_read built on
 * a traced SSL_read_ex) is left to the outermost call: its stack pointer is
 * below the stashed one. The same comparison tells a stash left behind by a
 * call that never returned (a thread killed inside SSL_read) from an
 * enclosing call, so a stale stash is overwritten, never obeyed forever.
 *
 * Each event names its TCP connection. The socket comes, best first, from
 * a read/write/send/recv syscall the library makes on the same thread during
 * the call (its fd), from an earlier call on the same conn that made one,
 * or from the last TCP socket the thread used before the call: libraries
 * that read and write through memory BIOs (node) do their socket I/O just
 * before a read and just after a write. Only processes that have called a
 * TLS function are watched in the syscalls. Go programs need none of this:
 * their connection's fd is read from the *tls.Conn (tls_go.bpf.h).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "bpfscope.bpf.h"
#include "tls.h"

/* Only socket_of_fd is used here: the tls probe copies no syscall's bytes. */
#define SOCKET_CALL_EMIT(buf, buf_len, moved, name, namelen) 0
#define SOCKET_CALL_MMSG_MAX 1
#include "socket_calls.bpf.h"

#define AF_INET 2
#define AF_INET6 10

char LICENSE[] SEC("license") = "Dual BSD/GPL";

_Static_assert(TLS_DATA_SIZE == PAYLOAD_MAX, "tls_event.data holds the largest payload");

/* A call in flight, from its uprobe to its uretprobe. */
struct tls_call {
	__u64 buf;
	__u64 conn;
	__u64 out_len;       /* _ex: size_t *written or *readbytes */
	__u64 start_ns;
	__u64 sp;            /* stack pointer at entry */
	__u64 sk;            /* struct sock * of a TCP socket used during the call, or 0 */
	__u64 thread_sk;     /* the thread's last TCP socket at entry, or 0 */
	__u16 function;
	__u8 fd_type;
	__u8 sk_from_fd;     /* sk is the library's own fd's socket (Go), not one seen in a syscall */
};

/* A connection's ends, as the tcp probe reports them. */
struct tls_addr {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u16 family;
	__u16 pad;
};

struct conn_key {
	__u64 conn;
	__u32 tgid;
	__u32 pad;
};

/* Keyed by pid_tgid; LRU so that stashes of calls that never returned age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct tls_call);
} calls SEC(".maps");

/* Processes that have called a TLS function: only their socket syscalls are looked at. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} tls_processes SEC(".maps");

/* The last TCP socket (struct sock *) each thread of those processes read or wrote. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} thread_socket SEC(".maps");

/* The ends of a conn learned from a syscall during one of its calls, for its later calls that make none. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct conn_key);
	__type(value, struct tls_addr);
} conn_addrs SEC(".maps");

/* One event under construction per CPU; the loader sets max_entries to the CPU count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tls_event);
} cpu_scratch SEC(".maps");

static __always_inline int enter(struct pt_regs *ctx, __u16 function, __u64 conn, __u64 buf, __u64 out_len)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct tls_call call = {};
	struct tls_call *outer;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	call.sp = PT_REGS_SP(ctx);
	outer = bpf_map_lookup_elem(&calls, &pid_tgid);
	if (outer && call.sp < outer->sp)
		return 0; /* nested in a traced call, which reports the bytes */
	call.buf = buf;
	call.conn = conn;
	call.out_len = out_len;
	call.function = function;
	call.start_ns = bpf_ktime_get_ns();
	{
		__u32 tgid = pid_tgid >> 32;
		__u8 one = 1;
		__u64 *last = bpf_map_lookup_elem(&thread_socket, &pid_tgid);

		if (last)
			call.thread_sk = *last;
		if (!bpf_map_lookup_elem(&tls_processes, &tgid))
			bpf_map_update_elem(&tls_processes, &tgid, &one, BPF_ANY);
	}
	if (function >= TLS_FN_PR_WRITE) {
		/* PRFileDesc starts with its PRIOMethods *, which starts with the PRDescType. */
		__u64 methods = 0;
		__u32 type = 0;

		if (!bpf_probe_read_user(&methods, sizeof(methods), (void *)conn) && methods &&
		    !bpf_probe_read_user(&type, sizeof(type), (void *)methods))
			call.fd_type = type;
	}
	bpf_map_update_elem(&calls, &pid_tgid, &call, BPF_ANY);
	return 0;
}

SEC("uprobe")
int tls_ssl_write(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_SSL_WRITE, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uprobe")
int tls_ssl_read(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_SSL_READ, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uprobe")
int tls_ssl_write_ex(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_SSL_WRITE_EX, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM4(ctx));
}

SEC("uprobe")
int tls_ssl_read_ex(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_SSL_READ_EX, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM4(ctx));
}

SEC("uprobe")
int tls_gnutls_send(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_GNUTLS_RECORD_SEND, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uprobe")
int tls_gnutls_recv(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_GNUTLS_RECORD_RECV, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uprobe")
int tls_pr_write(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_PR_WRITE, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uprobe")
int tls_pr_read(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_PR_READ, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uprobe")
int tls_pr_send(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_PR_SEND, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

SEC("uprobe")
int tls_pr_recv(struct pt_regs *ctx)
{
	return enter(ctx, TLS_FN_PR_RECV, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0);
}

/*
 * A socket syscall by a process that uses TLS: remember the thread's TCP
 * socket, and give it to the TLS call in flight on this thread, if any.
 */
static __always_inline int socket_used(long fd)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	struct tls_call *call;
	struct socket *sock;
	struct file *file;
	struct sock *sk;
	__u16 family;

	if (!bpf_map_lookup_elem(&tls_processes, &tgid))
		return 0;
	sock = socket_of_fd(fd, &file);
	if (!sock)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if ((family != AF_INET && family != AF_INET6) || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	bpf_map_update_elem(&thread_socket, &pid_tgid, (__u64 *)&sk, BPF_ANY);
	call = bpf_map_lookup_elem(&calls, &pid_tgid);
	if (call && !call->sk)
		call->sk = (__u64)sk;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int tls_sys_write(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_read")
int tls_sys_read(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_writev")
int tls_sys_writev(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_readv")
int tls_sys_readv(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int tls_sys_sendto(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int tls_sys_recvfrom(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int tls_sys_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int tls_sys_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	return socket_used(ctx->args[0]);
}

/* The socket's ends as the tcp probe reports them: host-order ports, AF_INET in the first 4 bytes. */
static __always_inline void ends_of(struct sock *sk, struct tls_addr *a)
{
	a->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	a->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	a->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (a->family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)a->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)a->daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO((struct in6_addr *)a->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)a->daddr, sk, __sk_common.skc_v6_daddr);
	}
}

/* Fills the event's ends: from the call's own socket (then kept for the conn), the conn's, or the thread's. */
static __always_inline void connection_of(struct tls_call *call, __u32 tgid, struct tls_event *e)
{
	struct conn_key key = {.conn = call->conn, .tgid = tgid};
	struct tls_addr a = {};
	struct tls_addr *known;

	e->addr_source = 0;
	if (call->sk) {
		ends_of((struct sock *)call->sk, &a);
		bpf_map_update_elem(&conn_addrs, &key, &a, BPF_ANY);
		e->addr_source = call->sk_from_fd ? TLS_ADDR_FD : TLS_ADDR_CALL;
	} else if ((known = bpf_map_lookup_elem(&conn_addrs, &key))) {
		a = *known;
		e->addr_source = TLS_ADDR_CONN;
	} else if (call->thread_sk) {
		ends_of((struct sock *)call->thread_sk, &a);
		e->addr_source = TLS_ADDR_THREAD;
	}
	__builtin_memcpy(e->saddr, a.saddr, sizeof(e->saddr));
	__builtin_memcpy(e->daddr, a.daddr, sizeof(e->daddr));
	e->sport = a.sport;
	e->dport = a.dport;
	e->family = e->addr_source ? a.family : 0;
	e->pad = 0;
}

/* The return value as the function's C type declares it, and the bytes it moved. */
static __always_inline __s64 returned(struct pt_regs *ctx, struct tls_call *call, __u64 *moved)
{
	__s64 ret;

	*moved = 0;
	switch (call->function) {
	case TLS_FN_SSL_WRITE_EX:
	case TLS_FN_SSL_READ_EX:
		ret = (int)PT_REGS_RC(ctx);
		if (ret == 1 && bpf_probe_read_user(moved, sizeof(*moved), (void *)call->out_len))
			*moved = 0;
		return ret;
	case TLS_FN_GNUTLS_RECORD_SEND:
	case TLS_FN_GNUTLS_RECORD_RECV:
		ret = (long)PT_REGS_RC(ctx); /* ssize_t */
		break;
	default:
		ret = (int)PT_REGS_RC(ctx); /* int, PRInt32: the upper half of rax is garbage */
		break;
	}
	if (ret > 0)
		*moved = ret;
	return ret;
}

/* Sends the event of a call that returned (or, start_ns 0, is reported at entry): its plaintext, up to the limit. */
static __always_inline void send_call(struct tls_call *call, __u32 tgid, __s64 retval, __u64 moved)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct tls_event *e;
	__u64 len;

	e = bpf_map_lookup_elem(&cpu_scratch, &cpu);
	if (!e || !fill_header(&e->hdr, EVENT_TLS))
		return;
	e->retval = retval;
	e->conn = call->conn;
	e->latency_ns = call->start_ns ? bpf_ktime_get_ns() - call->start_ns : 0;
	e->payload_len = moved;
	e->function = call->function;
	e->fd_type = call->fd_type;
	e->flags = 0;
	connection_of(call, tgid, e);

	len = moved;
	if (len > max_payload)
		len = max_payload;
	/* Again against the constant: the verifier must see a bound that fits data[]. */
	if (len > TLS_DATA_SIZE)
		len = TLS_DATA_SIZE;
	if (len && bpf_probe_read_user(e->data, len, (void *)call->buf)) {
		e->flags |= TLS_READ_FAILED;
		len = 0;
	}
	if (len < moved)
		count(COUNTER_TRUNCATED);
	e->len = len;
	emit(e, offsetof(struct tls_event, data) + len);
}

SEC("uretprobe")
int tls_return(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct tls_call call, *stashed;
	__u64 moved;
	__s64 ret;

	stashed = bpf_map_lookup_elem(&calls, &pid_tgid);
	if (!stashed)
		return 0;
	/*
	 * The stashed call's return leaves the stack pointer at or above its
	 * entry value (x86 pops the return address; arm64 leaves it as it was);
	 * a nested call returns further down.
	 */
	if (PT_REGS_SP(ctx) < stashed->sp)
		return 0;
	call = *stashed;
	bpf_map_delete_elem(&calls, &pid_tgid);
	ret = returned(ctx, &call, &moved);
	send_call(&call, pid_tgid >> 32, ret, moved);
	return 0;
}

/* Go's crypto/tls: its own entry and return probes, and the same events. */
#include "tls_go.bpf.h"
