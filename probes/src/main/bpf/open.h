/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.open.OpenDecoder; ProbeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_OPEN_H
#define BPFSCOPE_OPEN_H

#include "event_header.h"

#define OPEN_PATH_MAX 4096       /* PATH_MAX: longer paths fail with ENAMETOOLONG anyway */
#define OPEN_FILTER_PATH_MAX 64

/* Which system call (field syscall). */
#define OPEN_SYSCALL_OPENAT 1
#define OPEN_SYSCALL_OPENAT2 2
#define OPEN_SYSCALL_OPEN 3
#define OPEN_SYSCALL_CREAT 4

#define OPEN_PATH_TRUNCATED 1    /* flags: the path did not fit, or could not be read */

struct open_event {
	struct event_header hdr;
	__u64 open_flags;        /* O_* as passed (openat2: how->flags) */
	__u64 resolve;           /* openat2's how->resolve (RESOLVE_*); 0 for the others */
	__s32 dfd;               /* directory fd a relative path starts from; AT_FDCWD = -100 */
	__s32 ret;               /* the new fd, or -errno */
	__u32 mode;              /* permission bits; meaningful with O_CREAT or O_TMPFILE */
	__u16 path_len;          /* bytes of path, with its NUL */
	__u8 syscall;            /* OPEN_SYSCALL_* */
	__u8 flags;              /* OPEN_PATH_TRUNCATED */
	char path[OPEN_PATH_MAX]; /* only the used part is sent */
};

#endif
