// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dns: name lookups, from two sides.
 *
 * The resolver calls: uprobes and uretprobes on libc's getaddrinfo,
 * gethostbyname, gethostbyname2, gethostbyname_r and gethostbyname2_r. The
 * entry keeps the name asked (per thread); the return sends it with the
 * latency, the result code and the first addresses answered, read from the
 * caller's addrinfo list or hostent.
 *
 * The wire: DNS over UDP, whoever sends it (a libc resolver, a static Go
 * binary, dig, a local DNS server). The data syscalls' enter tracepoints
 * keep calls on AF_INET/AF_INET6 datagram sockets; their exits send the
 * datagram moved when either end of it is port 53. Userspace decodes it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "bpfscope.bpf.h"
#include "dns.h"

int dns_udp_emit(__u64 buf, __u64 buf_len, __u64 moved, __u64 name, __u64 namelen);
#define SOCKET_CALL_EMIT dns_udp_emit
#define SOCKET_CALL_MMSG_MAX DNS_MMSG_MAX
#include "socket_calls.bpf.h"

_Static_assert(DNS_SYS_WRITE == SOCKET_SYS_WRITE && DNS_SYS_RECVFROM == SOCKET_SYS_RECVFROM &&
	       DNS_SYS_SENDMSG == SOCKET_SYS_SENDMSG && DNS_SYS_RECVMSG == SOCKET_SYS_RECVMSG &&
	       DNS_SYS_SENDMMSG == SOCKET_SYS_SENDMMSG && DNS_SYS_RECVMMSG == SOCKET_SYS_RECVMMSG,
	       "dns.h numbers the syscalls as socket_calls.bpf.h does");

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10
#define SOCK_DGRAM 2
#define DNS_PORT 53

/* The sixth and seventh integer arguments at a function's entry (libbpf 1.1 maps only five). */
#if defined(__TARGET_ARCH_x86)
#define UPROBE_PARM6(ctx) ((ctx)->r9)
#define UPROBE_SP(ctx) ((ctx)->sp)
#else
#error "dns.bpf.c maps the 6th and 7th uprobe arguments for x86_64 only"
#endif

/* One event per CPU under construction; the loader sets max_entries to the CPU count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dns_event);
} cpu_scratch SEC(".maps");

/* ---- resolver calls ---------------------------------------------------- */

struct resolve_call {
	__u64 start_ns;
	__u64 result;            /* getaddrinfo: struct addrinfo **; *_r: struct hostent **; else 0 */
	__u64 herrno_ptr;        /* *_r: int *h_errnop (the innermost one seen) */
	__s32 herrno;            /* h_errno, read when a nested *_r call returned */
	__u32 depth;             /* resolver calls nested inside this one (gethostbyname -> gethostbyname_r) */
	__u16 origin;
	__u16 family;
	__u16 name_len;
	__u16 flags;
	char name[DNS_NAME_MAX];
};

/* LRU: a thread that dies inside a lookup never returns; its entry ages out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct resolve_call);
} resolving SEC(".maps");

/* Where a new resolve_call is built: 290 bytes do not belong on the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct resolve_call);
} resolve_scratch SEC(".maps");

/* The user-space structs the answers are read from (LP64 layouts). */
struct user_addrinfo {
	int ai_flags;
	int ai_family;
	int ai_socktype;
	int ai_protocol;
	__u32 ai_addrlen;
	__u64 ai_addr;           /* struct sockaddr * */
	__u64 ai_canonname;
	__u64 ai_next;
};

struct user_hostent {
	__u64 h_name;
	__u64 h_aliases;
	int h_addrtype;
	int h_length;
	__u64 h_addr_list;       /* char ** */
};

static __always_inline int resolve_enter(__u16 origin, __u64 name, __u16 family, __u64 result, __u64 herrno_ptr)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	__u32 zero = 0;
	struct resolve_call *call = bpf_map_lookup_elem(&resolving, &tid);
	long n;

	if (call) {
		/* A lookup inside a lookup: report the outer one, but learn the inner one's h_errno. */
		call->depth++;
		if (herrno_ptr)
			call->herrno_ptr = herrno_ptr;
		return 0;
	}
	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	call = bpf_map_lookup_elem(&resolve_scratch, &zero);
	if (!call)
		return 0;
	call->start_ns = bpf_ktime_get_ns();
	call->result = result;
	call->herrno_ptr = herrno_ptr;
	call->herrno = 0;
	call->depth = 0;
	call->origin = origin;
	call->family = family;
	call->flags = 0;
	call->name[0] = '\0';
	n = name ? bpf_probe_read_user_str(call->name, DNS_NAME_MAX, (const void *)name) : 0;
	if (n < 0)
		n = 0;
	if (n == DNS_NAME_MAX)
		call->flags |= DNS_TRUNCATED;
	call->name_len = n;
	bpf_map_update_elem(&resolving, &tid, call, BPF_ANY);
	return 0;
}

static __always_inline void read_herrno(struct resolve_call *call)
{
	int value = 0;

	if (call->herrno_ptr && !bpf_probe_read_user(&value, sizeof(value), (const void *)call->herrno_ptr))
		call->herrno = value;
}

static __always_inline bool same_addr(const struct dns_addr *x, const struct dns_addr *y)
{
	__u64 x0, x1, y0, y1;

	__builtin_memcpy(&x0, x->addr, 8);
	__builtin_memcpy(&x1, x->addr + 8, 8);
	__builtin_memcpy(&y0, y->addr, 8);
	__builtin_memcpy(&y1, y->addr + 8, 8);
	return x->family == y->family && x0 == y0 && x1 == y1;
}

/* Appends an address unless it repeats the previous one (getaddrinfo lists each once per socket type). */
static __always_inline void add_addr(struct dns_event *e, __u16 family, __u16 port, const void *addr, __u32 size)
{
	__u32 i = e->addr_count;
	struct dns_addr a = {};

	a.family = family;
	a.port = port;
	if (bpf_probe_read_user(a.addr, size == 4 ? 4 : 16, addr))
		return;
	/* The masks restate the bounds for the verifier (DNS_ADDRS_MAX is a power of two). */
	if (i > 0 && i <= DNS_ADDRS_MAX && same_addr(&e->addrs[(i - 1) & (DNS_ADDRS_MAX - 1)], &a))
		return;
	if (i >= DNS_ADDRS_MAX) {
		e->flags |= DNS_MORE_ADDRS;
		return;
	}
	e->addrs[i & (DNS_ADDRS_MAX - 1)] = a;
	e->addr_count = i + 1;
}

static __always_inline void addrinfo_answers(struct dns_event *e, __u64 list)
{
	for (int i = 0; i < 2 * DNS_ADDRS_MAX + 4 && list; i++) {
		struct user_addrinfo ai = {};

		if (bpf_probe_read_user(&ai, sizeof(ai), (const void *)list))
			return;
		if (ai.ai_addr && ai.ai_family == AF_INET) {
			__u16 port = 0;

			bpf_probe_read_user(&port, sizeof(port), (const void *)(ai.ai_addr + 2));
			add_addr(e, AF_INET, port, (const void *)(ai.ai_addr + 4), 4);
		} else if (ai.ai_addr && ai.ai_family == AF_INET6) {
			__u16 port = 0;

			bpf_probe_read_user(&port, sizeof(port), (const void *)(ai.ai_addr + 2));
			add_addr(e, AF_INET6, port, (const void *)(ai.ai_addr + 8), 16);
		}
		list = ai.ai_next;
	}
	if (list)
		e->flags |= DNS_MORE_ADDRS;
}

static __always_inline void hostent_answers(struct dns_event *e, __u64 hostent)
{
	struct user_hostent h = {};

	if (!hostent || bpf_probe_read_user(&h, sizeof(h), (const void *)hostent) || !h.h_addr_list)
		return;
	if (h.h_addrtype != AF_INET && h.h_addrtype != AF_INET6)
		return;
	for (int i = 0; i <= DNS_ADDRS_MAX; i++) {
		__u64 addr = 0;

		if (bpf_probe_read_user(&addr, sizeof(addr), (const void *)(h.h_addr_list + i * sizeof(addr))) || !addr)
			return;
		add_addr(e, h.h_addrtype, 0, (const void *)addr, h.h_addrtype == AF_INET ? 4 : 16);
	}
}

/* Header, parent and parent's name: what every event carries. */
static __always_inline bool fill_common(struct dns_event *e)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent;

	if (!fill_header(&e->hdr, EVENT_DNS))
		return false;
	parent = BPF_CORE_READ(task, real_parent);
	e->ppid = BPF_CORE_READ(parent, tgid);
	BPF_CORE_READ_STR_INTO(&e->parent_comm, parent, comm);
	e->latency_ns = 0;
	e->rc = 0;
	e->herrno = 0;
	e->msg_len = 0;
	e->family = 0;
	e->data_len = 0;
	e->direction = 0;
	e->syscall = 0;
	e->addr_count = 0;
	e->flags = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	__builtin_memset(&e->local, 0, sizeof(e->local));
	__builtin_memset(&e->remote, 0, sizeof(e->remote));
	__builtin_memset(e->addrs, 0, sizeof(e->addrs));
	return true;
}

static __always_inline int resolve_return(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 cpu = bpf_get_smp_processor_id();
	struct resolve_call *call = bpf_map_lookup_elem(&resolving, &tid);
	struct dns_event *e;
	__u32 name_len;

	if (!call)
		return 0;
	if (call->depth > 0) {
		call->depth--;
		read_herrno(call);
		return 0;
	}
	read_herrno(call);
	e = bpf_map_lookup_elem(&cpu_scratch, &cpu);
	if (!e || !fill_common(e))
		goto done;
	e->latency_ns = bpf_ktime_get_ns() - call->start_ns;
	e->origin = call->origin;
	e->family = call->family;
	e->herrno = call->herrno;
	e->flags = call->flags;
	switch (call->origin) {
	case DNS_GETADDRINFO:
		e->rc = ret;
		if (ret == 0 && call->result) {
			__u64 list = 0;

			bpf_probe_read_user(&list, sizeof(list), (const void *)call->result);
			addrinfo_answers(e, list);
		}
		break;
	case DNS_GETHOSTBYNAME:
	case DNS_GETHOSTBYNAME2:
		/* returns a struct hostent *, NULL on failure (the reason is in h_errno) */
		e->rc = ret ? 0 : -1;
		hostent_answers(e, ret);
		break;
	default: {
		__u64 hostent = 0;

		e->rc = ret;
		if (ret == 0 && call->result)
			bpf_probe_read_user(&hostent, sizeof(hostent), (const void *)call->result);
		hostent_answers(e, hostent);
		break;
	}
	}
	name_len = call->name_len;
	if (name_len > DNS_NAME_MAX)
		name_len = DNS_NAME_MAX;
	bpf_probe_read_kernel(e->data, name_len, call->name);
	e->data_len = name_len;
	if (e->flags & DNS_TRUNCATED)
		count(COUNTER_TRUNCATED);
	emit(e, offsetof(struct dns_event, data) + name_len);
done:
	bpf_map_delete_elem(&resolving, &tid);
	return 0;
}

/* int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) */
SEC("uprobe")
int dns_getaddrinfo(struct pt_regs *ctx)
{
	__u64 hints = PT_REGS_PARM3(ctx);
	int family = 0;

	if (hints)
		bpf_probe_read_user(&family, sizeof(family), (const void *)(hints + offsetof(struct user_addrinfo, ai_family)));
	return resolve_enter(DNS_GETADDRINFO, PT_REGS_PARM1(ctx), family, PT_REGS_PARM4(ctx), 0);
}

/* struct hostent *gethostbyname(const char *name) */
SEC("uprobe")
int dns_gethostbyname(struct pt_regs *ctx)
{
	return resolve_enter(DNS_GETHOSTBYNAME, PT_REGS_PARM1(ctx), AF_INET, 0, 0);
}

/* struct hostent *gethostbyname2(const char *name, int af) */
SEC("uprobe")
int dns_gethostbyname2(struct pt_regs *ctx)
{
	return resolve_enter(DNS_GETHOSTBYNAME2, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), 0, 0);
}

/* int gethostbyname_r(name, struct hostent *ret, char *buf, size_t buflen, struct hostent **result, int *h_errnop) */
SEC("uprobe")
int dns_gethostbyname_r(struct pt_regs *ctx)
{
	return resolve_enter(DNS_GETHOSTBYNAME_R, PT_REGS_PARM1(ctx), AF_INET, PT_REGS_PARM5(ctx), UPROBE_PARM6(ctx));
}

/* int gethostbyname2_r(name, int af, ret, buf, buflen, struct hostent **result, int *h_errnop): h_errnop is on the stack */
SEC("uprobe")
int dns_gethostbyname2_r(struct pt_regs *ctx)
{
	__u64 herrno_ptr = 0;

	bpf_probe_read_user(&herrno_ptr, sizeof(herrno_ptr), (const void *)(UPROBE_SP(ctx) + 8));
	return resolve_enter(DNS_GETHOSTBYNAME2_R, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), UPROBE_PARM6(ctx), herrno_ptr);
}

/* One return program for all of them: the entry says which call it was. */
SEC("uretprobe")
int dns_resolve_return(struct pt_regs *ctx)
{
	return resolve_return(PT_REGS_RC(ctx));
}

/* ---- DNS over UDP ------------------------------------------------------ */

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct socket_call);
} sending SEC(".maps");

/*
 * Keep a call on an IPv4/IPv6 datagram socket when port 53 may be involved:
 * the socket is bound or connected to it, or the call carries an address
 * (checked at exit). A read or write on any other socket is dropped here.
 */
static __always_inline int udp_enter(__s32 fd, __u16 syscall, __u64 buf, __u64 count, __u64 name, __u64 namelen)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct socket_call call = {};
	struct file *file = NULL;
	struct socket *sock;
	struct sock *sk;
	__u16 family;
	__u32 tid = (__u32)pid_tgid;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	sock = socket_of_fd(fd, &file);
	if (!sock || BPF_CORE_READ(sock, type) != SOCK_DGRAM)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (BPF_CORE_READ(sk, __sk_common.skc_num) != DNS_PORT &&
	    BPF_CORE_READ(sk, __sk_common.skc_dport) != bpf_htons(DNS_PORT) &&
	    !name && syscall != DNS_SYS_SENDMSG && syscall != DNS_SYS_RECVMSG &&
	    syscall != DNS_SYS_SENDMMSG && syscall != DNS_SYS_RECVMMSG)
		return 0;
	call.sk = (__u64)sk;
	call.buf = buf;
	call.count = count;
	call.name = name;
	call.namelen = namelen;
	call.syscall = syscall;
	bpf_map_update_elem(&sending, &tid, &call, BPF_ANY);
	return 0;
}

static __always_inline bool udp_is_send(__u16 syscall)
{
	return syscall == DNS_SYS_WRITE || syscall == DNS_SYS_SENDTO || syscall == DNS_SYS_SENDMSG ||
	       syscall == DNS_SYS_SENDMMSG;
}

static __always_inline bool udp_uses_iovec(__u16 syscall)
{
	return syscall == DNS_SYS_SENDMSG || syscall == DNS_SYS_RECVMSG ||
	       syscall == DNS_SYS_SENDMMSG || syscall == DNS_SYS_RECVMMSG;
}

/* The other end from a user sockaddr_in/in6; false when there is none. */
static __always_inline bool remote_from_name(struct dns_addr *a, __u64 name, __u64 namelen)
{
	__u16 family = 0;

	if (!name || namelen < 8 || bpf_probe_read_user(&family, sizeof(family), (const void *)name))
		return false;
	if (family == AF_INET) {
		a->family = AF_INET;
		bpf_probe_read_user(&a->port, sizeof(a->port), (const void *)(name + 2));
		bpf_probe_read_user(a->addr, 4, (const void *)(name + 4));
		return true;
	}
	if (family == AF_INET6 && namelen >= 24) {
		a->family = AF_INET6;
		bpf_probe_read_user(&a->port, sizeof(a->port), (const void *)(name + 2));
		bpf_probe_read_user(a->addr, 16, (const void *)(name + 8));
		return true;
	}
	return false;
}

static __always_inline void udp_append(struct dns_event *e, __u64 src, __u64 n)
{
	__u32 off = e->data_len;

	if (off >= DNS_MSG_MAX)
		return;
	if (n > DNS_MSG_MAX)
		n = DNS_MSG_MAX;
	/* off < DNS_MSG_MAX and n <= DNS_MSG_MAX: inside data[2 * DNS_MSG_MAX]. */
	if (bpf_probe_read_user(&e->data[off & (DNS_MSG_MAX - 1)], n, (const void *)src))
		return;
	e->data_len = off + n;
}

/*
 * Sends the datagram of this thread's call when either end is port 53.
 * A global function: verified once for every call site and mmsg message.
 */
__noinline int dns_udp_emit(__u64 buf, __u64 buf_len, __u64 moved, __u64 name, __u64 namelen)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 cpu = bpf_get_smp_processor_id();
	struct socket_call *call = bpf_map_lookup_elem(&sending, &tid);
	struct dns_event *e;
	struct sock *sk;
	__u64 want;
	__u16 family;
	__u32 size;

	if (!call)
		return 0;
	e = bpf_map_lookup_elem(&cpu_scratch, &cpu);
	if (!e || !fill_common(e))
		return 0;
	sk = (struct sock *)call->sk;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->local.family = family;
	e->local.port = bpf_htons(BPF_CORE_READ(sk, __sk_common.skc_num));
	if (family == AF_INET)
		bpf_core_read(e->local.addr, 4, &sk->__sk_common.skc_rcv_saddr);
	else
		bpf_core_read(e->local.addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
	if (!remote_from_name(&e->remote, name, namelen)) {
		e->remote.family = family;
		e->remote.port = BPF_CORE_READ(sk, __sk_common.skc_dport);
		if (family == AF_INET)
			bpf_core_read(e->remote.addr, 4, &sk->__sk_common.skc_daddr);
		else
			bpf_core_read(e->remote.addr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	if (e->local.port != bpf_htons(DNS_PORT) && e->remote.port != bpf_htons(DNS_PORT))
		return 0;

	e->origin = DNS_UDP;
	e->direction = udp_is_send(call->syscall) ? DNS_SEND : DNS_RECV;
	e->syscall = call->syscall;
	e->msg_len = moved;
	want = moved;
	if (want > max_payload)
		want = max_payload;
	if (want > DNS_MSG_MAX)
		want = DNS_MSG_MAX;
	if (!udp_uses_iovec(call->syscall)) {
		udp_append(e, buf, want < buf_len ? want : buf_len);
	} else {
		for (int i = 0; i < DNS_IOV_MAX; i++) {
			struct iovec iov = {};
			__u64 take;

			if (i >= buf_len || e->data_len >= want)
				break;
			if (bpf_probe_read_user(&iov, sizeof(iov), (const void *)(buf + i * sizeof(iov))))
				break;
			take = want - e->data_len;
			udp_append(e, (__u64)iov.iov_base, take < iov.iov_len ? take : iov.iov_len);
		}
	}
	if (e->data_len < moved) {
		e->flags |= DNS_TRUNCATED;
		count(COUNTER_TRUNCATED);
	}
	size = e->data_len;
	if (size > DNS_MSG_MAX)
		size = DNS_MSG_MAX;
	emit(e, offsetof(struct dns_event, data) + size);
	return 0;
}

static __always_inline int udp_leave(__u16 syscall, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct socket_call *call = bpf_map_lookup_elem(&sending, &tid);

	if (!call)
		return 0;
	socket_call_finish(call, syscall, ret);
	bpf_map_delete_elem(&sending, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int dns_write_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_WRITE, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_read")
int dns_read_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_READ, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int dns_sendto_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_SENDTO, ctx->args[1], ctx->args[2], ctx->args[4], ctx->args[5]);
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int dns_recvfrom_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_RECVFROM, ctx->args[1], ctx->args[2], ctx->args[4], ctx->args[5]);
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int dns_sendmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_SENDMSG, ctx->args[1], 1, 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int dns_recvmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_RECVMSG, ctx->args[1], 1, 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int dns_sendmmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_SENDMMSG, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_recvmmsg")
int dns_recvmmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return udp_enter(ctx->args[0], DNS_SYS_RECVMMSG, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_write")
int dns_write_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_WRITE, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_read")
int dns_read_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_READ, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int dns_sendto_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_SENDTO, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int dns_recvfrom_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_RECVFROM, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int dns_sendmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_SENDMSG, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int dns_recvmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_RECVMSG, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int dns_sendmmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_SENDMMSG, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int dns_recvmmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return udp_leave(DNS_SYS_RECVMMSG, ctx->ret);
}
