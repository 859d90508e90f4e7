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

struct burst_ctx {
	struct bench_event e;
};

static long emit_one(__u32 index, struct burst_ctx *ctx)
{
	ctx->e.index = index;
	emit(&ctx->e, sizeof(ctx->e));
	return 0;
}

/* bpf_loop (Linux 5.17+) keeps the verifier to one pass over the body, however large the burst. */
SEC("tracepoint/syscalls/sys_enter_getpgid")
int bench_burst(struct trace_event_raw_sys_enter *ctx)
{
	struct burst_ctx burst = {};
	__u64 n = ctx->args[0];

	if (!filter_pid || !fill_header(&burst.e.hdr, EVENT_BENCH))
		return 0; /* never fire for the rest of the system */
	if (n > BENCH_BURST_MAX)
		n = BENCH_BURST_MAX;
	burst.e.burst = n;
	bpf_loop(n, emit_one, &burst, 0);
	return 0;
}
