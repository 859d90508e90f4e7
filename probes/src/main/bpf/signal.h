/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.signal.SignalDecoder; the layout test checks the offsets against BTF. */
#ifndef BPFSCOPE_SIGNAL_H
#define BPFSCOPE_SIGNAL_H

#include "event_header.h"

/* This probe's event kind, kept with the probe (see docs/adding-a-probe.md): a number no other uses. */
enum signal_event_kind {
	EVENT_SIGNAL = 10,
};

struct signal_event {
	struct event_header hdr; /* the sender: the task that generated the signal */
	__s32 signo;
	__s32 code;              /* si_code: SI_USER 0, SI_KERNEL 0x80, SI_QUEUE -1, SI_TKILL -6... */
	__s32 result;            /* TRACE_SIGNAL_DELIVERED 0, IGNORED 1, ALREADY_PENDING 2, OVERFLOW_FAIL 3, LOSE_INFO 4 */
	__s32 target_pid;        /* the kernel's pid of the target task (a thread id; the process's for kill()) */
	__s32 group;             /* 1: to the whole thread group (kill), 0: to one thread (tgkill) */
	__s32 errno_value;       /* the si_errno the sender gave, usually 0 */
	char target_comm[TASK_COMM_LEN];
};

#endif
