/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.exec.ExecDecoder; ProbeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_EXEC_H
#define BPFSCOPE_EXEC_H

#include "event_header.h"

#define EXEC_FILENAME_MAX 512
#define EXEC_ARGS_MAX 4096       /* bytes of argv, each argument NUL-terminated */
#define EXEC_ARG_READ_MAX 1024   /* one argument is read at most this long */
#define EXEC_ARGC_MAX 64
#define EXEC_DATA_SIZE 8192      /* power of two >= filename + args + one read */

#define EXEC_ARGS_TRUNCATED 1    /* flags: argv did not fit */
#define EXEC_FILENAME_TRUNCATED 2

struct exec_event {
	struct event_header hdr;
	__u32 ppid;
	__s32 retval;            /* 0, or -errno of a failed exec */
	__u32 argc;              /* arguments captured in data */
	__u16 filename_len;      /* bytes of filename in data, with its NUL */
	__u16 args_len;          /* bytes of arguments after it */
	__u32 flags;             /* EXEC_*_TRUNCATED */
	char data[EXEC_DATA_SIZE]; /* filename, then the arguments; only the used part is sent */
};

#endif
