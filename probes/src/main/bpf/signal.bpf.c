// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * signal: who sent which signal to whom, and what became of it (killsnoop).
 *
 * signal:signal_generate fires in the sender's context (kill, tgkill, a timer,
 * the kernel itself: a fault's SIGSEGV, a child's SIGCHLD), so the header's
 * pid and comm are the sender; the tracepoint names the target and the result
 * (delivered, ignored, already pending...). A stable tracepoint since 3.x.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "signal.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

KEEP_EVENT_TYPE(struct signal_event, signal_event);
/* Puts the kind's enum in the BTF, where EventKindTest reads it. */
const volatile enum signal_event_kind signal_kind_in_btf = EVENT_SIGNAL;

SEC("tracepoint/signal/signal_generate")
int signal_generate(struct trace_event_raw_signal_generate *ctx)
{
	struct signal_event e = {};

	if (!fill_header(&e.hdr, (enum event_kind)EVENT_SIGNAL))
		return 0;
	e.signo = BPF_CORE_READ(ctx, sig);
	e.code = BPF_CORE_READ(ctx, code);
	e.result = BPF_CORE_READ(ctx, result);
	e.target_pid = BPF_CORE_READ(ctx, pid);
	e.group = BPF_CORE_READ(ctx, group);
	e.errno_value = BPF_CORE_READ(ctx, errno);
	bpf_core_read_str(e.target_comm, sizeof(e.target_comm), &ctx->comm);
	emit(&e, sizeof(e));
	return 0;
}
