// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench: a load generator for the ring-buffer reader. Each getpgid(K) from
 * the benchmarking process (filter_pid) emits K small records in a tight
 * loop, so the producer side costs one syscall per K records.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpfscope.bpf.h"
#include "bench.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

KEEP_EVENT_TYPE(struct bench_event, bench_event);

SEC("tracepoint/syscalls/sys_enter_getpgid")
int bench_burst(struct trace_event_raw_sys_enter *ctx)
{
	struct bench_event e = {};
	__u64 burst = ctx->args[0];

	if (!filter_pid || !fill_header(&e.hdr, EVENT_BENCH))
		return 0; /* never fire for the rest of the system */
	e.burst = burst;
	for (__u32 i = 0; i < BENCH_BURST_MAX && i < burst; i++) {
		e.index = i;
		emit(&e, sizeof(e));
	}
	return 0;
}
