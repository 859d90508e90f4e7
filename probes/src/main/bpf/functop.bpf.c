// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * functop: latency of many user functions, aggregated in the kernel.
 *
 * One uprobe and one uretprobe per function, all on the same two programs;
 * the attach cookie (bpf_get_attach_cookie, kernel 5.15+) is the function's
 * id. The entry stashes its time per thread and stack pointer (so recursive
 * and nested calls each find their own, as in uprobe.bpf.c); the return adds
 * the latency to the function's per-CPU stats. No event is sent.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "functop.h"
#include "self_filter.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#if defined(__TARGET_ARCH_x86)
#define RETURN_SP_SHIFT 8 /* the popped return address */
#else
#define RETURN_SP_SHIFT 0
#endif

struct call_key {
	__u64 pid_tgid;
	__u64 sp;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct call_key);
	__type(value, __u64);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, FUNCTOP_MAX_FUNCTIONS);
	__type(key, __u32);
	__type(value, struct functop_stats);
} stats SEC(".maps");

/* Never written: the zeroed first value of a function's stats (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct functop_stats);
} zero SEC(".maps");

static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

SEC("uprobe")
int functop_entry(struct pt_regs *ctx)
{
	struct call_key key = {.pid_tgid = bpf_get_current_pid_tgid(), .sp = PT_REGS_SP(ctx)};
	__u64 now = bpf_ktime_get_ns();

	if (is_excluded(key.pid_tgid >> 32))
		return 0; /* bpfscope's own calls; the return then finds no start */
	bpf_map_update_elem(&starts, &key, &now, BPF_ANY);
	return 0;
}

SEC("uretprobe")
int functop_return(struct pt_regs *ctx)
{
	struct call_key key = {.pid_tgid = bpf_get_current_pid_tgid(), .sp = PT_REGS_SP(ctx) - RETURN_SP_SHIFT};
	__u32 id = (__u32)bpf_get_attach_cookie(ctx);
	__u32 first = 0;
	struct functop_stats *s;
	__u64 *start, delta;

	start = bpf_map_lookup_elem(&starts, &key);
	if (!start)
		return 0; /* the entry ran before we attached */
	delta = bpf_ktime_get_ns() - *start;
	bpf_map_delete_elem(&starts, &key);

	s = bpf_map_lookup_elem(&stats, &id);
	if (!s) {
		struct functop_stats *z = bpf_map_lookup_elem(&zero, &first);

		if (!z)
			return 0;
		bpf_map_update_elem(&stats, &id, z, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&stats, &id);
		if (!s)
			return 0;
	}
	/* Per-CPU values: no other writer, no atomics needed. */
	if (s->count == 0 || delta < s->min_ns)
		s->min_ns = delta;
	if (delta > s->max_ns)
		s->max_ns = delta;
	s->count++;
	s->total_ns += delta;
	s->slots[log2_u64(delta) & (FUNCTOP_SLOTS - 1)]++;
	return 0;
}
