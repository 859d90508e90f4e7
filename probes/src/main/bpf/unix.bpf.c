// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * unix: the bytes processes move over unix-domain sockets, both directions,
 * through every data syscall: write/read, sendto/recvfrom, sendmsg/recvmsg,
 * writev/readv, sendmmsg/recvmmsg.
 *
 * Without kprobes the payload comes from the user's buffers, seen at the
 * syscall tracepoints. sys_enter_* walks fd -> file -> socket from the
 * current task and keeps the call (per thread) only when the fd is an
 * AF_UNIX socket, so a write(2) to a file costs a few reads and nothing
 * more. sys_exit_* then copies the bytes the call actually moved (its return
 * value) out of the same buffers, in iovec order, up to max_payload.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "unix.h"

int unix_emit(__u64 buf, __u64 buf_len, __u64 moved, __u64 name, __u64 namelen);
#define SOCKET_CALL_EMIT unix_emit
#define SOCKET_CALL_MMSG_MAX UNIX_MMSG_MAX
#include "socket_calls.bpf.h"

_Static_assert(UNIX_SYS_WRITE == SOCKET_SYS_WRITE && UNIX_SYS_RECVFROM == SOCKET_SYS_RECVFROM &&
	       UNIX_SYS_SENDMSG == SOCKET_SYS_SENDMSG && UNIX_SYS_RECVMSG == SOCKET_SYS_RECVMSG &&
	       UNIX_SYS_SENDMMSG == SOCKET_SYS_SENDMMSG && UNIX_SYS_RECVMMSG == SOCKET_SYS_RECVMMSG,
	       "unix.h numbers the syscalls as socket_calls.bpf.h does");

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_UNIX 1

/* A call in progress on a unix socket, from sys_enter to sys_exit. */
struct unix_call {
	struct socket_call socket;
	__u64 inode;
	__s32 fd;
	__u16 sock_type;
};

/* LRU: a thread killed inside a blocking read never reaches sys_exit; its entry ages out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct unix_call);
} calls SEC(".maps");

/* One event per CPU under construction; the loader sets max_entries to the CPU count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct unix_event);
} cpu_scratch SEC(".maps");

/* Keep the call when fd is an AF_UNIX socket; cheapest test (is it a socket at all) first. */
static __always_inline int enter(__s32 fd, __u16 syscall, __u64 buf, __u64 count, __u64 name, __u64 namelen)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct unix_call call = {};
	struct file *file = NULL;
	struct socket *sock;
	struct sock *sk;
	__u32 tid = (__u32)pid_tgid;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	sock = socket_of_fd(fd, &file);
	if (!sock)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_UNIX)
		return 0;

	call.socket.sk = (__u64)sk;
	call.socket.buf = buf;
	call.socket.count = count;
	call.socket.name = name;
	call.socket.namelen = namelen;
	call.socket.syscall = syscall;
	call.inode = BPF_CORE_READ(file, f_inode, i_ino);
	call.fd = fd;
	call.sock_type = BPF_CORE_READ(sock, type);
	bpf_map_update_elem(&calls, &tid, &call, BPF_ANY);
	return 0;
}

static __always_inline bool is_send(__u16 syscall)
{
	return syscall == UNIX_SYS_WRITE || syscall == UNIX_SYS_SENDTO || syscall == UNIX_SYS_SENDMSG ||
	       syscall == UNIX_SYS_WRITEV || syscall == UNIX_SYS_SENDMMSG;
}

static __always_inline bool uses_iovec(__u16 syscall)
{
	return syscall != UNIX_SYS_WRITE && syscall != UNIX_SYS_READ &&
	       syscall != UNIX_SYS_SENDTO && syscall != UNIX_SYS_RECVFROM;
}

/* Appends up to n bytes of user memory at src to data; the offset lives in map memory (see exec.bpf.c). */
static __always_inline void append(struct unix_event *e, __u64 src, __u64 n)
{
	__u32 off = e->data_len;

	if (off >= PAYLOAD_MAX)
		return;
	if (n > PAYLOAD_MAX)
		n = PAYLOAD_MAX;
	/* off < PAYLOAD_MAX and n <= PAYLOAD_MAX: inside data[2 * PAYLOAD_MAX]. */
	if (bpf_probe_read_user(&e->data[off & (PAYLOAD_MAX - 1)], n, (const void *)src))
		return; /* not readable now: stop short, the event says truncated */
	e->data_len = off + n;
}

/* The bound name of a unix socket into e->path; false when it has none. */
static __always_inline bool path_of(struct unix_event *e, struct sock *sk)
{
	struct unix_address *addr = BPF_CORE_READ((struct unix_sock *)sk, addr);
	int full;
	__u64 len;

	if (!addr)
		return false;
	full = BPF_CORE_READ(addr, len) - (int)sizeof(__u16);
	if (full <= 0)
		return false;
	len = full > UNIX_PATH_MAX ? UNIX_PATH_MAX : full;
	barrier_var(len); /* the verifier must see the bounded copy, not the signed original */
	if (len > UNIX_PATH_MAX)
		return false;
	/* exactly len bytes: the allocation ends with the name */
	if (bpf_probe_read_kernel(e->path, len, &addr->name[0].sun_path))
		return false;
	e->path_len = len;
	return true;
}

/* The user's struct sockaddr_un a sendto/recvfrom/msghdr carried, when it is AF_UNIX. */
static __always_inline bool path_of_name(struct unix_event *e, __u64 name, __u64 namelen)
{
	__u16 family = 0;
	__u64 len;

	if (!name || namelen <= sizeof(__u16))
		return false;
	if (bpf_probe_read_user(&family, sizeof(family), (const void *)name) || family != AF_UNIX)
		return false;
	len = namelen - sizeof(__u16) > UNIX_PATH_MAX ? UNIX_PATH_MAX : namelen - sizeof(__u16);
	barrier_var(len);
	if (len > UNIX_PATH_MAX)
		return false;
	if (bpf_probe_read_user(e->path, len, (const void *)(name + sizeof(__u16))))
		return false;
	e->path_len = len;
	return true;
}

/*
 * Sends one event for the call of this thread: buf/buf_len are the buffer
 * and its length, or an iovec array and its length; moved is what the kernel
 * transferred. A global function, so the verifier checks it once however
 * many call sites (and sendmmsg messages) there are.
 */
__noinline int unix_emit(__u64 buf, __u64 buf_len, __u64 moved, __u64 name, __u64 namelen)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u32 cpu = bpf_get_smp_processor_id();
	struct unix_call *call = bpf_map_lookup_elem(&calls, &tid);
	struct unix_event *e;
	struct sock *sk, *peer;
	__u64 want, total = 0;
	__u32 size;

	if (!call)
		return 0;
	e = bpf_map_lookup_elem(&cpu_scratch, &cpu);
	if (!e)
		return 0;
	if (!fill_header(&e->hdr, EVENT_UNIX))
		return 0;

	sk = (struct sock *)call->socket.sk;
	peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
	e->sock = call->socket.sk;
	e->peer_sock = (__u64)peer;
	e->inode = call->inode;
	e->peer_inode = peer ? BPF_CORE_READ(peer, sk_socket, file, f_inode, i_ino) : 0;
	e->peer_pid = BPF_CORE_READ(sk, sk_peer_pid, numbers[0].nr);
	e->fd = call->fd;
	e->syscall = call->socket.syscall;
	e->direction = is_send(call->socket.syscall) ? UNIX_SEND : UNIX_RECV;
	e->sock_type = call->sock_type;
	e->flags = 0;
	e->path_len = 0;
	e->pad[0] = 0;
	e->pad[1] = 0;
	__builtin_memset(e->path, 0, sizeof(e->path)); /* no bytes of an earlier event's path */
	if (!path_of(e, sk)) {
		if ((peer && path_of(e, peer)) || path_of_name(e, name, namelen))
			e->flags |= UNIX_PATH_PEER;
	}

	e->payload_len = moved;
	e->data_len = 0;
	want = moved;
	if (want > max_payload)
		want = max_payload;
	if (!uses_iovec(call->socket.syscall)) {
		total = buf_len;
		append(e, buf, want < buf_len ? want : buf_len);
	} else {
		for (int i = 0; i < UNIX_IOV_MAX; i++) {
			struct iovec iov = {};
			__u64 take;

			if (i >= buf_len)
				break;
			if (bpf_probe_read_user(&iov, sizeof(iov), (const void *)(buf + i * sizeof(iov))))
				break;
			total += iov.iov_len;
			if (e->data_len >= want)
				continue;
			take = want - e->data_len;
			append(e, (__u64)iov.iov_base, take < iov.iov_len ? take : iov.iov_len);
		}
	}
	e->buf_len = total > 0xffffffff ? 0xffffffff : total;
	if (e->data_len < moved) {
		e->flags |= UNIX_TRUNCATED;
		count(COUNTER_TRUNCATED);
	}
	size = e->data_len;
	if (size > PAYLOAD_MAX)
		size = PAYLOAD_MAX;
	emit(e, offsetof(struct unix_event, data) + size);
	return 0;
}

static __always_inline int leave(__u16 syscall, long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct unix_call *call = bpf_map_lookup_elem(&calls, &tid);

	if (!call)
		return 0;
	if (socket_call_finish(&call->socket, syscall, ret) > 0)
		count(COUNTER_TRUNCATED); /* the messages after the first UNIX_MMSG_MAX are not shown */
	bpf_map_delete_elem(&calls, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_write")
int unix_write_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_WRITE, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_read")
int unix_read_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_READ, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int unix_sendto_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_SENDTO, ctx->args[1], ctx->args[2], ctx->args[4], ctx->args[5]);
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int unix_recvfrom_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_RECVFROM, ctx->args[1], ctx->args[2], ctx->args[4], ctx->args[5]);
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int unix_sendmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_SENDMSG, ctx->args[1], 1, 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int unix_recvmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_RECVMSG, ctx->args[1], 1, 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_writev")
int unix_writev_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_WRITEV, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_readv")
int unix_readv_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_READV, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int unix_sendmmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_SENDMMSG, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_recvmmsg")
int unix_recvmmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	return enter(ctx->args[0], UNIX_SYS_RECVMMSG, ctx->args[1], ctx->args[2], 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_write")
int unix_write_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_WRITE, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_read")
int unix_read_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_READ, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int unix_sendto_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_SENDTO, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int unix_recvfrom_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_RECVFROM, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int unix_sendmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_SENDMSG, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int unix_recvmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_RECVMSG, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_writev")
int unix_writev_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_WRITEV, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_readv")
int unix_readv_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_READV, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int unix_sendmmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_SENDMMSG, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int unix_recvmmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(UNIX_SYS_RECVMMSG, ctx->ret);
}
