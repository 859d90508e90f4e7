/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.exit.ExitDecoder; ProbeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_EXIT_H
#define BPFSCOPE_EXIT_H

#include "event_header.h"

struct exit_event {
	struct event_header hdr; /* pid, comm: the process; tid: its last thread to exit */
	__u64 lifetime_ns;       /* from the process start to its exit */
	__u32 ppid;
	__s32 status;            /* task->exit_code: code << 8 | core dumped 0x80 | signal */
};

#endif
