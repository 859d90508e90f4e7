/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.tcp.TcpDecoder; ProbeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_TCP_H
#define BPFSCOPE_TCP_H

#include "event_header.h"

/* What happened (field event). */
#define TCP_EVENT_CONNECT 1        /* connect() started a connection; the ports are known */
#define TCP_EVENT_ACCEPT 2         /* accept() returned a connection */
#define TCP_EVENT_ESTABLISHED 3    /* the handshake completed */
#define TCP_EVENT_CLOSE 4          /* the socket reached TCP_CLOSE; stats and duration set */
#define TCP_EVENT_STATE 5          /* any other state change */
#define TCP_EVENT_CONNECT_FAILED 6 /* connect() failed; error says why */
#define TCP_EVENT_LISTEN 7         /* listen() */

/* flags */
#define TCP_OWNER_KNOWN 1    /* the header names the socket's owner, seen in process context */
#define TCP_HAS_STATS 2      /* bytes_acked, bytes_received, retransmits, srtt_us are set */
#define TCP_HAS_DURATION 4   /* duration_ns is set */

struct tcp_event {
	struct event_header hdr; /* the owner (pid 0 when unknown), not the task the kernel ran in */
	__u64 sock;              /* the struct sock address: follows one connection (reused after close) */
	__u64 duration_ns;       /* close: since the socket was first seen */
	__u64 bytes_acked;       /* close: bytes sent that the peer acknowledged */
	__u64 bytes_received;    /* close: bytes received */
	__u32 retransmits;       /* close: segments retransmitted */
	__u32 srtt_us;           /* close: smoothed round-trip time */
	__u8 saddr[16];          /* AF_INET: the first 4 bytes */
	__u8 daddr[16];
	__s32 error;             /* positive errno: connect_failed's, or the socket's error at close */
	__u16 sport;             /* host order */
	__u16 dport;
	__u16 family;            /* AF_INET or AF_INET6 */
	__u8 event;              /* TCP_EVENT_* */
	__u8 oldstate;           /* TCP_ESTABLISHED...; 0 when not a state change */
	__u8 newstate;
	__u8 flags;              /* TCP_OWNER_KNOWN, TCP_HAS_* */
};

#endif
