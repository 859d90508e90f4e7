// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * uprobe: any user function, chosen at run time (one object per function).
 *
 * As a uprobe (emit_on_entry = 1) the entry program sends the argument
 * registers and, if asked, a buffer one of them points to. As a uretprobe
 * the entry program only stashes the arguments and the time, and the
 * return program sends them with the return value and the latency.
 *
 * A stash is keyed by thread and stack pointer at entry: at return the
 * stack pointer is back above the return address (x86_64 pops it, arm64
 * never pushed it), so recursive and nested calls each find their own.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "uprobe.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

_Static_assert(UPROBE_DATA_SIZE == PAYLOAD_MAX, "uprobe_event.data holds the largest payload");

#if defined(__TARGET_ARCH_x86)
#define RETURN_SP_SHIFT 8 /* the popped return address */
#else
#define RETURN_SP_SHIFT 0
#endif

/* libbpf 1.1 stops at PARM5. */
#ifndef PT_REGS_PARM6
#if defined(__TARGET_ARCH_x86)
#define PT_REGS_PARM6(x) (((const struct pt_regs *)(x))->r9)
#elif defined(__TARGET_ARCH_arm64)
#define PT_REGS_PARM6(x) (((const struct user_pt_regs *)(x))->regs[5])
#endif
#endif

/* Set before load. */
const volatile __u8 emit_on_entry = 1;   /* 1: uprobe, 0: uretprobe */
const volatile __u8 buffer_arg = 0;      /* 1..6: the argument that points to a buffer; 0: none */
const volatile __u8 length_arg = UPROBE_LENGTH_FIXED; /* 1..6: the argument with its length; or UPROBE_LENGTH_* */
const volatile __u32 buffer_len = 0;     /* the fixed length, for UPROBE_LENGTH_FIXED */

struct call_key {
	__u64 pid_tgid;
	__u64 sp;
};

struct call {
	__u64 args[UPROBE_ARGS];
	__u64 start_ns;
};

/* LRU: stashes of calls that never return (longjmp, a killed thread) age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct call_key);
	__type(value, struct call);
} calls SEC(".maps");

/* One event under construction per CPU; the loader sets max_entries to the CPU count. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uprobe_event);
} cpu_scratch SEC(".maps");

static __always_inline void read_args(struct pt_regs *ctx, __u64 *args)
{
	args[0] = PT_REGS_PARM1(ctx);
	args[1] = PT_REGS_PARM2(ctx);
	args[2] = PT_REGS_PARM3(ctx);
	args[3] = PT_REGS_PARM4(ctx);
	args[4] = PT_REGS_PARM5(ctx);
	args[5] = PT_REGS_PARM6(ctx);
}

static __always_inline __u64 arg(const __u64 *args, __u8 which)
{
	switch (which) {
	case 1: return args[0];
	case 2: return args[1];
	case 3: return args[2];
	case 4: return args[3];
	case 5: return args[4];
	case 6: return args[5];
	default: return 0;
	}
}

/* Reads the buffer the arguments point to into e->data, as the constants say; sets len and the sizes. */
static __always_inline void read_buffer(struct uprobe_event *e, __s64 retval)
{
	__u64 size, len;

	e->len = 0;
	e->buf_addr = 0;
	e->buf_size = 0;
	if (!buffer_arg)
		return;
	e->buf_addr = arg(e->args, buffer_arg);
	if (length_arg == UPROBE_LENGTH_FIXED)
		size = buffer_len;
	else if (length_arg == UPROBE_LENGTH_RETURN)
		size = retval > 0 ? retval : 0;
	else
		size = arg(e->args, length_arg);
	e->buf_size = size;
	len = size;
	if (len > max_payload)
		len = max_payload;
	/* Again against the constant: the verifier must see a bound that fits data[]. */
	if (len > UPROBE_DATA_SIZE)
		len = UPROBE_DATA_SIZE;
	if (len && bpf_probe_read_user(e->data, len, (void *)e->buf_addr)) {
		e->flags |= UPROBE_READ_FAILED;
		len = 0;
	}
	if (len < size)
		count(COUNTER_TRUNCATED);
	e->len = len;
}

SEC("uprobe")
int uprobe_entry(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 cpu;
	struct uprobe_event *e;

	if (!task_wanted(pid_tgid, (__u32)bpf_get_current_uid_gid()))
		return 0;
	if (!emit_on_entry) {
		struct call_key key = {.pid_tgid = pid_tgid, .sp = PT_REGS_SP(ctx)};
		struct call call = {};

		read_args(ctx, call.args);
		call.start_ns = bpf_ktime_get_ns();
		bpf_map_update_elem(&calls, &key, &call, BPF_ANY);
		return 0;
	}
	cpu = bpf_get_smp_processor_id();
	e = bpf_map_lookup_elem(&cpu_scratch, &cpu);
	if (!e || !fill_header(&e->hdr, EVENT_UPROBE))
		return 0;
	read_args(ctx, e->args);
	e->retval = 0;
	e->latency_ns = 0;
	e->phase = UPROBE_PHASE_ENTRY;
	e->flags = 0;
	e->reserved = 0;
	read_buffer(e, 0);
	emit(e, offsetof(struct uprobe_event, data) + e->len);
	return 0;
}

SEC("uretprobe")
int uprobe_return(struct pt_regs *ctx)
{
	struct call_key key = {.pid_tgid = bpf_get_current_pid_tgid(), .sp = PT_REGS_SP(ctx) - RETURN_SP_SHIFT};
	__u64 now = bpf_ktime_get_ns();
	__u32 cpu = bpf_get_smp_processor_id();
	struct uprobe_event *e;
	struct call *call;

	e = bpf_map_lookup_elem(&cpu_scratch, &cpu);
	if (!e || !fill_header(&e->hdr, EVENT_UPROBE))
		return 0;
	e->phase = UPROBE_PHASE_RETURN;
	e->flags = 0;
	e->reserved = 0;
	e->retval = PT_REGS_RC(ctx);
	call = bpf_map_lookup_elem(&calls, &key);
	if (call) {
		__builtin_memcpy(e->args, call->args, sizeof(e->args));
		e->latency_ns = now - call->start_ns;
		e->flags |= UPROBE_ENTRY_SEEN;
		bpf_map_delete_elem(&calls, &key);
		read_buffer(e, e->retval);
	} else {
		/* attached while the call was running: only the return value is known */
		__builtin_memset(e->args, 0, sizeof(e->args));
		e->latency_ns = 0;
		e->len = 0;
		e->buf_addr = 0;
		e->buf_size = 0;
	}
	emit(e, offsetof(struct uprobe_event, data) + e->len);
	return 0;
}
