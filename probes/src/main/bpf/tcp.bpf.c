// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcp: the life of each TCP connection, attributed to the process that owns it.
 *
 * sock:inet_sock_set_state reports every state change, but many run in
 * softirq context, where the current task is whoever the packet
 * interrupted. So the owner (pid, tid, uid, comm) is recorded per socket
 * where it is certain: at CLOSE -> SYN_SENT (inside connect() or a fast-open
 * sendmsg), at CLOSE -> LISTEN (inside listen()) and at accept()'s return;
 * later changes are reported for that owner, and the filters apply to it.
 *
 * The "connect" event waits for the source port: connect() picks it after
 * SYN_SENT, so the event is sent at connect()'s return, or at the next state
 * change if that comes first (on loopback the handshake completes inside
 * connect()). A connect() that fails sends connect_failed with its errno;
 * when the socket closes while connect() still runs, the close is handed to
 * that call instead of being reported twice.
 *
 * Sockets seen for the first time in softirq context (opened before the
 * probe) are reported with owner pid 0, and only when no filter is set. A
 * passive child socket is kept quiet until accept() returns it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "tcp.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

KEEP_EVENT_TYPE(struct tcp_event, tcp_event);

#define AF_INET 2
#define AF_INET6 10
#define EINTR 4
#define EISCONN 106
#define EALREADY 114
#define EINPROGRESS 115
#define ERESTARTSYS 512          /* and the other kernel-internal restart codes above it */
#define UNKNOWN_UID 0xffffffff

struct owner {
	__u64 first_ns;          /* boot time the socket was first seen */
	__u32 pid;
	__u32 tid;
	__u32 uid;
	char comm[TASK_COMM_LEN];
	__u8 known;              /* 0: a passive child not accepted yet */
	__u8 connect_pending;    /* SYN_SENT seen, "connect" not sent yet */
};

/* LRU: sockets that close while the probe is not looking must not fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u64);      /* struct sock * */
	__type(value, struct owner);
} owners SEC(".maps");

/* A connect() in progress, per thread. */
struct connect_attempt {
	__u64 sk;
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u16 family;
	__u8 closed;             /* the socket closed during the call: the tuple and error are saved */
	__s32 error;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);      /* thread id */
	__type(value, struct connect_attempt);
} connecting SEC(".maps");

static __always_inline void owner_from_current(struct owner *o)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	o->pid = pid_tgid >> 32;
	o->tid = (__u32)pid_tgid;
	o->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(o->comm, sizeof(o->comm));
	o->known = 1;
}

/* The filters, applied to the owner; an unknown owner (pid 0, uid UNKNOWN_UID) passes only when none is set. */
static __always_inline bool owner_wanted(const struct owner *o)
{
	return task_wanted((__u64)o->pid << 32 | o->tid, o->uid) && comm_matches(o->comm);
}

static __always_inline void fill_owner_header(struct tcp_event *e, const struct owner *o)
{
	e->hdr.ts_ns = bpf_ktime_get_boot_ns();
	e->hdr.pid = o->pid;
	e->hdr.tid = o->tid;
	e->hdr.uid = o->uid;
	e->hdr.kind = EVENT_TCP;
	e->hdr.source = source_id;
	__builtin_memcpy(e->hdr.comm, o->comm, sizeof(e->hdr.comm));
	if (o->known)
		e->flags |= TCP_OWNER_KNOWN;
}

static __always_inline void send(struct tcp_event *e, __u8 kind, const struct owner *o)
{
	e->event = kind;
	fill_owner_header(e, o);
	emit(e, sizeof(*e));
}

/* Host-order ports and the addresses the tracepoint recorded. */
static __always_inline void tuple_from_ctx(struct tcp_event *e, struct trace_event_raw_inet_sock_set_state *ctx)
{
	e->family = ctx->family;
	e->sport = ctx->sport;
	e->dport = ctx->dport;
	if (e->family == AF_INET) {
		bpf_probe_read_kernel(e->saddr, 4, ctx->saddr);
		bpf_probe_read_kernel(e->daddr, 4, ctx->daddr);
	} else {
		bpf_probe_read_kernel(e->saddr, 16, ctx->saddr_v6);
		bpf_probe_read_kernel(e->daddr, 16, ctx->daddr_v6);
	}
}

static __always_inline void tuple_from_sock(struct tcp_event *e, struct sock *sk)
{
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (e->family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)e->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)e->daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO((struct in6_addr *)e->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO((struct in6_addr *)e->daddr, sk, __sk_common.skc_v6_daddr);
	}
}

static __always_inline void close_stats(struct tcp_event *e, struct sock *sk)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;

	e->bytes_acked = BPF_CORE_READ(tp, bytes_acked);
	e->bytes_received = BPF_CORE_READ(tp, bytes_received);
	e->retransmits = BPF_CORE_READ(tp, total_retrans);
	e->srtt_us = BPF_CORE_READ(tp, srtt_us) >> 3; /* kept times 8 by the kernel */
	e->error = BPF_CORE_READ(sk, sk_err);
	e->flags |= TCP_HAS_STATS;
}

static __always_inline bool is_tcp(struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	return (family == AF_INET || family == AF_INET6) && BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP &&
	       BPF_CORE_READ(sk, sk_type) == SOCK_STREAM;
}

/* The socket behind one of the current task's fds, or NULL. */
static __always_inline struct sock *sock_from_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	struct socket *sock;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file)
		return NULL;
	sock = BPF_CORE_READ(file, private_data);
	/* private_data is a struct socket only for sockets, whose file points back at the file. */
	if (!sock || BPF_CORE_READ(sock, file) != file)
		return NULL;
	return BPF_CORE_READ(sock, sk);
}

SEC("tracepoint/sock/inet_sock_set_state")
int tcp_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	__u64 sk = (__u64)ctx->skaddr;
	int oldstate = ctx->oldstate;
	int newstate = ctx->newstate;
	struct tcp_event e = {};
	struct owner *o;
	__u8 kind;

	/* The kernel sometimes sets the state it is already in (FIN_WAIT1 twice on close): nothing happened. */
	if (ctx->protocol != IPPROTO_TCP || oldstate == newstate)
		return 0;
	e.sock = sk;
	e.oldstate = oldstate;
	e.newstate = newstate;

	if (newstate == TCP_SYN_SENT || newstate == TCP_LISTEN) {
		/* Process context: connect(), sendmsg() with fast open, listen(). */
		struct owner fresh = {};

		owner_from_current(&fresh);
		if (!owner_wanted(&fresh)) {
			bpf_map_delete_elem(&owners, &sk);
			return 0;
		}
		fresh.first_ns = bpf_ktime_get_boot_ns();
		fresh.connect_pending = newstate == TCP_SYN_SENT;
		bpf_map_update_elem(&owners, &sk, &fresh, BPF_ANY);
		if (newstate == TCP_LISTEN) {
			tuple_from_ctx(&e, ctx);
			send(&e, TCP_EVENT_LISTEN, &fresh);
		}
		return 0;
	}

	o = bpf_map_lookup_elem(&owners, &sk);
	if (!o) {
		struct owner unknown = { .uid = UNKNOWN_UID };

		if (newstate == TCP_SYN_RECV) {
			/* A passive child: accept() will name its owner; start the clock now. */
			unknown.first_ns = bpf_ktime_get_boot_ns();
			bpf_map_update_elem(&owners, &sk, &unknown, BPF_ANY);
			return 0;
		}
		/* A socket from before the probe started. */
		if (!owner_wanted(&unknown))
			return 0;
		tuple_from_ctx(&e, ctx);
		if (newstate == TCP_CLOSE && oldstate != TCP_LISTEN)
			close_stats(&e, (struct sock *)sk);
		send(&e, newstate == TCP_CLOSE ? TCP_EVENT_CLOSE : TCP_EVENT_STATE, &unknown);
		return 0;
	}
	if (!o->known) {
		/* Not accepted (yet): accept() reports it; a child closed before that is forgotten. */
		if (newstate == TCP_CLOSE)
			bpf_map_delete_elem(&owners, &sk);
		return 0;
	}

	tuple_from_ctx(&e, ctx);
	if (o->connect_pending) {
		if (newstate == TCP_CLOSE) {
			struct connect_attempt *c = bpf_map_lookup_elem(&connecting, &o->tid);

			if (c && c->sk == sk) {
				/* connect() is still running and will report the failure with this tuple. */
				__builtin_memcpy(c->saddr, e.saddr, sizeof(c->saddr));
				__builtin_memcpy(c->daddr, e.daddr, sizeof(c->daddr));
				c->sport = e.sport;
				c->dport = e.dport;
				c->family = e.family;
				c->error = BPF_CORE_READ((struct sock *)sk, sk_err);
				c->closed = 1;
				bpf_map_delete_elem(&owners, &sk);
				return 0;
			}
		}
		o->connect_pending = 0;
		e.oldstate = 0;
		e.newstate = 0;
		send(&e, TCP_EVENT_CONNECT, o);
		e.flags = 0;
		e.oldstate = oldstate;
		e.newstate = newstate;
	}

	if (newstate == TCP_CLOSE) {
		__u64 now = bpf_ktime_get_boot_ns();

		e.duration_ns = now > o->first_ns ? now - o->first_ns : 0;
		e.flags |= TCP_HAS_DURATION;
		if (oldstate != TCP_LISTEN) /* a listener moves no bytes */
			close_stats(&e, (struct sock *)sk);
		kind = TCP_EVENT_CLOSE;
	} else if (newstate == TCP_ESTABLISHED) {
		kind = TCP_EVENT_ESTABLISHED;
	} else {
		kind = TCP_EVENT_STATE;
	}
	send(&e, kind, o);
	if (newstate == TCP_CLOSE)
		bpf_map_delete_elem(&owners, &sk);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	const void *addr = (const void *)ctx->args[1];
	struct connect_attempt c = {};
	__be16 port = 0;
	struct sock *sk;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	if (bpf_probe_read_user(&c.family, sizeof(c.family), addr))
		return 0;
	if (c.family != AF_INET && c.family != AF_INET6)
		return 0;
	sk = sock_from_fd(ctx->args[0]);
	if (!sk || !is_tcp(sk))
		return 0;
	c.sk = (__u64)sk;
	/* sockaddr_in and sockaddr_in6 both keep the port at offset 2. */
	bpf_probe_read_user(&port, sizeof(port), addr + 2);
	c.dport = bpf_ntohs(port);
	if (c.family == AF_INET)
		bpf_probe_read_user(c.daddr, 4, addr + 4);
	else
		bpf_probe_read_user(c.daddr, 16, addr + 8);
	bpf_map_update_elem(&connecting, &tid, &c, BPF_ANY);
	return 0;
}

/* Not failures: the connection goes on (in progress, interrupted, already connected). */
static __always_inline bool connect_failed(long ret)
{
	return ret < 0 && ret > -ERESTARTSYS && ret != -EINPROGRESS && ret != -EALREADY && ret != -EISCONN &&
	       ret != -EINTR;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct connect_attempt *c = bpf_map_lookup_elem(&connecting, &tid);
	struct tcp_event e = {};
	struct owner self = {};
	long ret = ctx->ret;

	if (!c)
		return 0;
	owner_from_current(&self);
	e.sock = c->sk;
	if (c->closed || connect_failed(ret)) {
		if (c->closed) {
			/* The whole tuple, as it was when the socket closed. */
			__builtin_memcpy(e.saddr, c->saddr, sizeof(e.saddr));
			e.sport = c->sport;
		}
		__builtin_memcpy(e.daddr, c->daddr, sizeof(e.daddr));
		e.dport = c->dport;
		e.family = c->family;
		e.error = connect_failed(ret) ? -ret : c->error;
		if (owner_wanted(&self))
			send(&e, TCP_EVENT_CONNECT_FAILED, &self);
	} else {
		struct owner *o = bpf_map_lookup_elem(&owners, &c->sk);

		if (o && o->known && o->connect_pending) {
			o->connect_pending = 0;
			tuple_from_sock(&e, (struct sock *)c->sk);
			send(&e, TCP_EVENT_CONNECT, o);
		}
	}
	bpf_map_delete_elem(&connecting, &tid);
	return 0;
}

static __always_inline int report_accept(long ret)
{
	struct tcp_event e = {};
	struct owner fresh = {};
	struct owner *child;
	struct sock *sk;
	__u64 key;

	if (ret < 0)
		return 0;
	sk = sock_from_fd(ret);
	if (!sk || !is_tcp(sk))
		return 0;
	key = (__u64)sk;
	owner_from_current(&fresh);
	if (!owner_wanted(&fresh)) {
		bpf_map_delete_elem(&owners, &key);
		return 0;
	}
	child = bpf_map_lookup_elem(&owners, &key);
	fresh.first_ns = child ? child->first_ns : bpf_ktime_get_boot_ns();
	bpf_map_update_elem(&owners, &key, &fresh, BPF_ANY);
	e.sock = key;
	e.newstate = BPF_CORE_READ(sk, __sk_common.skc_state);
	tuple_from_sock(&e, sk);
	send(&e, TCP_EVENT_ACCEPT, &fresh);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int accept4_exit(struct trace_event_raw_sys_exit *ctx)
{
	return report_accept(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int accept_exit(struct trace_event_raw_sys_exit *ctx)
{
	return report_accept(ctx->ret);
}
