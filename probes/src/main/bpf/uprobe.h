/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.uprobe.UprobeDecoder; UprobeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_UPROBE_H
#define BPFSCOPE_UPROBE_H

#include "event_header.h"

#define UPROBE_ARGS 6                 /* the x86_64 / arm64 integer argument registers */
#define UPROBE_DATA_SIZE 32768        /* PAYLOAD_MAX: the most one event carries */

#define UPROBE_PHASE_ENTRY 0          /* phase: sent by the uprobe, at the function's entry */
#define UPROBE_PHASE_RETURN 1         /* sent by the uretprobe, when it returned */

#define UPROBE_ENTRY_SEEN 1           /* flags (return): the entry was seen, so args and latency_ns are known */
#define UPROBE_READ_FAILED 2          /* the buffer could not be read from the process */

/* length_arg: where the buffer's length comes from. */
#define UPROBE_LENGTH_FIXED 0         /* buffer_len bytes */
#define UPROBE_LENGTH_RETURN 7        /* the return value, when positive (a read()-like function) */

struct uprobe_event {
	struct event_header hdr;
	__u64 args[UPROBE_ARGS];  /* the argument registers at entry (PT_REGS_PARM1..6) */
	__s64 retval;             /* return: the return register (PT_REGS_RC) */
	__u64 latency_ns;         /* return: from entry to return */
	__u64 buf_addr;           /* the buffer's address, when one is captured */
	__u64 buf_size;           /* its length before the max_payload cut */
	__u32 len;                /* bytes of it in data */
	__u8 phase;               /* UPROBE_PHASE_* */
	__u8 flags;               /* UPROBE_ENTRY_SEEN, UPROBE_READ_FAILED */
	__u16 reserved;
	char data[UPROBE_DATA_SIZE]; /* only the first len bytes are sent */
};

#endif
