// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * execwatch: the pid of every process that has just executed a file, for
 * io.bpfscope.probes.ExecutableDiscovery, which attaches uprobes to new
 * executables while a capture runs. Not a probe: it has its own small ring
 * buffer, read by the discovery's thread, and sends no events to the capture.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 4096);
} execs SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int exec_seen(void *ctx)
{
	__u32 *pid = bpf_ringbuf_reserve(&execs, sizeof(*pid), 0);

	if (!pid)
		return 0; /* the ring is full: the reader's periodic look through /proc finds it */
	*pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(pid, 0);
	return 0;
}
