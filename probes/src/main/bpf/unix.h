/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.unix.UnixDecoder; ProbeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_UNIX_H
#define BPFSCOPE_UNIX_H

#include "event_header.h"

#define UNIX_PATH_MAX 108        /* sizeof(sockaddr_un.sun_path) */
#define UNIX_DATA_SIZE 65536     /* 2 * PAYLOAD_MAX: a copy at any offset below PAYLOAD_MAX stays inside */
#define UNIX_IOV_MAX 8           /* iovec segments walked per call */
#define UNIX_MMSG_MAX 8          /* messages reported per sendmmsg/recvmmsg */

#define UNIX_SEND 1              /* direction */
#define UNIX_RECV 2

/* syscall */
#define UNIX_SYS_WRITE 1
#define UNIX_SYS_READ 2
#define UNIX_SYS_SENDTO 3
#define UNIX_SYS_RECVFROM 4
#define UNIX_SYS_SENDMSG 5
#define UNIX_SYS_RECVMSG 6
#define UNIX_SYS_WRITEV 7
#define UNIX_SYS_READV 8
#define UNIX_SYS_SENDMMSG 9
#define UNIX_SYS_RECVMMSG 10

/* flags */
#define UNIX_TRUNCATED 1         /* data holds fewer bytes than the call moved */
#define UNIX_PATH_PEER 2         /* path is the peer's (or the message address), not this socket's */

struct unix_event {
	struct event_header hdr;
	__u64 sock;              /* this socket's struct sock address: a conversation id */
	__u64 peer_sock;         /* the connected peer's struct sock, 0 if none */
	__u64 inode;             /* this socket's inode, as in /proc/PID/fd: socket:[inode] */
	__u64 peer_inode;        /* the peer's inode, as ss -x shows it; 0 if none */
	__u32 peer_pid;          /* SO_PEERCRED pid of the other end, 0 if unknown */
	__s32 fd;
	__u32 buf_len;           /* bytes the caller offered or asked for (sum of the walked iovecs) */
	__u32 payload_len;       /* bytes the call moved: its return value */
	__u32 data_len;          /* bytes captured in data */
	__u16 syscall;           /* UNIX_SYS_* */
	__u8 direction;          /* UNIX_SEND or UNIX_RECV */
	__u8 sock_type;          /* SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5 */
	__u8 flags;              /* UNIX_TRUNCATED, UNIX_PATH_PEER */
	__u8 path_len;           /* bytes of path; an abstract name starts with NUL */
	__u8 pad[2];
	char path[UNIX_PATH_MAX];
	char data[UNIX_DATA_SIZE]; /* the payload; only data_len bytes are sent */
};

#endif
