/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.dns.DnsDecoder; ProbeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_DNS_H
#define BPFSCOPE_DNS_H

#include "event_header.h"

#define DNS_NAME_MAX 256         /* the name a resolver call was asked for, with its NUL */
#define DNS_MSG_MAX 4096         /* bytes of a DNS datagram captured (EDNS0 sizes, not just 512) */
#define DNS_DATA_SIZE 8192       /* 2 * DNS_MSG_MAX: a copy at any offset below DNS_MSG_MAX stays inside */
#define DNS_ADDRS_MAX 4          /* answers taken from an addrinfo list or a hostent */
#define DNS_IOV_MAX 4            /* iovec segments walked per datagram */
#define DNS_MMSG_MAX 4           /* datagrams reported per sendmmsg/recvmmsg */

/* origin: which call produced the event */
#define DNS_GETADDRINFO 1
#define DNS_GETHOSTBYNAME 2
#define DNS_GETHOSTBYNAME2 3
#define DNS_GETHOSTBYNAME_R 4
#define DNS_GETHOSTBYNAME2_R 5
#define DNS_UDP 6

#define DNS_SEND 1               /* direction, UDP only */
#define DNS_RECV 2

/* syscall, UDP only; the same numbers as the unix probe's */
#define DNS_SYS_WRITE 1
#define DNS_SYS_READ 2
#define DNS_SYS_SENDTO 3
#define DNS_SYS_RECVFROM 4
#define DNS_SYS_SENDMSG 5
#define DNS_SYS_RECVMSG 6
#define DNS_SYS_SENDMMSG 9
#define DNS_SYS_RECVMMSG 10

#define DNS_TRUNCATED 1          /* data holds fewer bytes than the call moved, or the name was cut */
#define DNS_MORE_ADDRS 2         /* the answer list had more than DNS_ADDRS_MAX addresses */

/* An IPv4 or IPv6 address (IPv4 in the first 4 bytes) and a port, in network order. */
struct dns_addr {
	__u16 family;            /* AF_INET 2, AF_INET6 10; 0 = none */
	__u16 port;              /* network byte order */
	__u8 addr[16];
};

struct dns_event {
	struct event_header hdr;
	__u64 latency_ns;        /* resolver calls: entry to return */
	__u32 ppid;
	__s32 rc;                /* getaddrinfo: EAI_* (0 ok); gethostbyname*_r: errno; gethostbyname: 0 or -1 (NULL) */
	__s32 herrno;            /* gethostbyname*: h_errno (HOST_NOT_FOUND 1...), 0 if none */
	__u32 msg_len;           /* UDP: bytes the call moved */
	__u16 origin;            /* DNS_GETADDRINFO ... DNS_UDP */
	__u16 family;            /* resolver calls: the address family asked for (0 = any) */
	__u16 data_len;          /* bytes in data: the name asked (with its NUL) or the DNS message */
	__u8 direction;          /* UDP: DNS_SEND or DNS_RECV */
	__u8 syscall;            /* UDP: DNS_SYS_* */
	__u8 addr_count;         /* resolver calls: entries in addrs */
	__u8 flags;              /* DNS_TRUNCATED, DNS_MORE_ADDRS */
	__u8 pad[6];
	char parent_comm[TASK_COMM_LEN];
	struct dns_addr local;   /* UDP: this socket's address */
	struct dns_addr remote;  /* UDP: the other end's */
	struct dns_addr addrs[DNS_ADDRS_MAX]; /* resolver calls: the addresses answered, in order, duplicates dropped */
	char data[DNS_DATA_SIZE];
};

#endif
