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
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "tls.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

_Static_assert(TLS_DATA_SIZE == PAYLOAD_MAX, "tls_event.data holds the largest payload");

/* A call in flight, from its uprobe to its uretprobe. */
struct tls_call {
	__u64 buf;
	__u64 conn;
	__u64 out_len;       /* _ex: size_t *written or *readbytes */
	__u64 start_ns;
	__u64 sp;            /* stack pointer at entry */
	__u16 function;
	__u8 fd_type;
};

/* Keyed by pid_tgid; LRU so that stashes of calls that never returned age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct tls_call);
} calls SEC(".maps");

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

/* Sends the event of a call that returned: its plaintext, up to the payload limit. */
static __always_inline void send_call(struct tls_call *call, __s64 retval, __u64 moved)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct tls_event *e;
	__u64 len;

	e = bpf_map_lookup_elem(&cpu_scratch, &cpu);
	if (!e || !fill_header(&e->hdr, EVENT_TLS))
		return;
	e->retval = retval;
	e->conn = call->conn;
	e->latency_ns = call->start_ns ? bpf_ktime_get_ns() - call->start_ns : 0; /* 0: sent at entry */
	e->payload_len = moved;
	e->function = call->function;
	e->fd_type = call->fd_type;
	e->flags = 0;

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
	send_call(&call, ret, moved);
	return 0;
}

/* Go's crypto/tls: its own entry and return probes, and the same events. */
#include "tls_go.bpf.h"
