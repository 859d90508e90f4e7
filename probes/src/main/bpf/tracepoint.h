/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.tracepoint.TracepointDecoder; TracepointLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_TRACEPOINT_H
#define BPFSCOPE_TRACEPOINT_H

#include "event_header.h"

#define TP_RECORD_MAX 4096       /* bytes of the raw trace record copied, common fields included */
#define TP_STRINGS 4             /* pointer fields read as user strings (syscalls:sys_enter_*) */
#define TP_STRING_MAX 1024       /* one user string is read at most this long, with its NUL */
#define TP_LOCS 4                /* __data_loc / __rel_loc fields that tell the record's length */
#define TP_DATA_SIZE 8192        /* power of two >= record + every string */

#define TP_RECORD_TRUNCATED 1    /* flags: the record was longer than TP_RECORD_MAX */
#define TP_STRING_TRUNCATED 2    /* a user string was cut at TP_STRING_MAX */

struct tracepoint_event {
	struct event_header hdr;
	__u16 record_len;        /* bytes of the trace record at the start of data */
	__u16 strings_len;       /* bytes of user strings after it, each NUL-terminated */
	__u8 string_count;       /* user strings in data, in the order of the fields asked for */
	__u8 string_failed;      /* bit i: string i could not be read (empty in data) */
	__u16 flags;             /* TP_*_TRUNCATED */
	char data[TP_DATA_SIZE]; /* the record, then the strings; only the used part is sent */
};

#endif
