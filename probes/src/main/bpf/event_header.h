/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The header every bpfscope event starts with. Mirrored by io.bpfscope.probes.EventHeader. */
#ifndef BPFSCOPE_EVENT_HEADER_H
#define BPFSCOPE_EVENT_HEADER_H

#define TASK_COMM_LEN 16

/* What follows the header; the Java catalog maps each kind to its decoder. */
enum event_kind {
	EVENT_EXEC = 1,
	EVENT_EXIT = 2,
	EVENT_OPEN = 3,
	EVENT_TCP = 4,
	EVENT_TLS = 5,
	EVENT_UNIX = 6,
	EVENT_DNS = 7,
	EVENT_TRACEPOINT = 8,
	EVENT_UPROBE = 9,
	EVENT_BENCH = 15,
};

struct event_header {
	__u64 ts_ns;             /* bpf_ktime_get_boot_ns(): CLOCK_BOOTTIME */
	__u32 pid;               /* process id (tgid) */
	__u32 tid;               /* thread id (the kernel's pid) */
	__u32 uid;
	__u16 kind;              /* enum event_kind */
	__u16 source;            /* which loaded instance sent it (set before load) */
	char comm[TASK_COMM_LEN];
};

#endif
