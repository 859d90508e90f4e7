/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.tls.TlsDecoder; ProbeLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_TLS_H
#define BPFSCOPE_TLS_H

#include "event_header.h"

/* function: which call moved the bytes; the Java side derives direction and library from it. */
#define TLS_FN_SSL_WRITE 1            /* OpenSSL; returns the bytes written */
#define TLS_FN_SSL_READ 2
#define TLS_FN_SSL_WRITE_EX 3         /* OpenSSL 1.1.1+; returns 1, the count is in *written */
#define TLS_FN_SSL_READ_EX 4
#define TLS_FN_GNUTLS_RECORD_SEND 5   /* GnuTLS; returns ssize_t */
#define TLS_FN_GNUTLS_RECORD_RECV 6
#define TLS_FN_PR_WRITE 7             /* NSPR (under NSS); returns PRInt32 */
#define TLS_FN_PR_READ 8
#define TLS_FN_PR_SEND 9
#define TLS_FN_PR_RECV 10
#define TLS_FN_GO_WRITE 11            /* Go crypto/tls.(*Conn).Write; returns n, err */
#define TLS_FN_GO_READ 12             /* Go crypto/tls.(*Conn).Read */

#define TLS_READ_FAILED 1             /* flags: the bytes could not be read from the process */

/* addr_source: how the connection's socket was learned (family 0: not at all). */
#define TLS_ADDR_CALL 1               /* a socket syscall the library made on this thread during the call */
#define TLS_ADDR_CONN 2               /* an earlier call on the same conn did one */
#define TLS_ADDR_THREAD 3             /* the last TCP socket this thread used before the call (memory BIOs: node) */
#define TLS_ADDR_FD 4                 /* the library's own fd for the conn (Go: the *tls.Conn's netFD) */

#define TLS_DATA_SIZE 32768           /* PAYLOAD_MAX: the most one event carries */

struct tls_event {
	struct event_header hdr;
	__u64 conn;              /* SSL *, gnutls_session_t, PRFileDesc * or Go *tls.Conn: the conversation id */
	__u64 latency_ns;        /* from the call's entry to its return */
	__s64 retval;            /* what the function returned */
	__u64 payload_len;       /* bytes the call moved (0 when it failed) */
	__u32 len;               /* bytes of them in data: at most max_payload */
	__u16 function;          /* TLS_FN_* */
	__u8 fd_type;            /* NSPR only: the PRDescType of conn (4 = layered, e.g. SSL); else 0 */
	__u8 flags;              /* TLS_READ_FAILED */
	__u8 saddr[16];          /* the connection's local address; AF_INET: the first 4 bytes */
	__u8 daddr[16];          /* its remote address */
	__u16 sport;             /* host order, as the tcp probe's */
	__u16 dport;
	__u16 family;            /* AF_INET or AF_INET6; 0 when the connection is unknown */
	__u8 addr_source;        /* TLS_ADDR_* */
	__u8 pad;
	char data[TLS_DATA_SIZE]; /* only the first len bytes are sent */
};

#endif
