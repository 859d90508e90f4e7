/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The socket-syscall tracker shared by the probes that copy what a data
 * syscall moved on a socket (dns, unix). A syscall's enter tracepoint finds
 * the socket behind the fd (socket_of_fd) and, when the probe wants it, keeps
 * a struct socket_call per thread; its exit tracepoint hands what the call
 * moved to the probe's emit function, one message at a time
 * (socket_call_finish).
 *
 * Include after bpfscope.bpf.h, having defined:
 *   SOCKET_CALL_EMIT      the probe's emit function:
 *                         int emit(__u64 buf, __u64 buf_len, __u64 moved, __u64 name, __u64 namelen),
 *                         buf/buf_len being a buffer and its length, or an iovec array and its count
 *   SOCKET_CALL_MMSG_MAX  messages reported per sendmmsg/recvmmsg
 */
#ifndef BPFSCOPE_SOCKET_CALLS_BPF_H
#define BPFSCOPE_SOCKET_CALLS_BPF_H

#if !defined(SOCKET_CALL_EMIT) || !defined(SOCKET_CALL_MMSG_MAX)
#error "define SOCKET_CALL_EMIT and SOCKET_CALL_MMSG_MAX before including socket_calls.bpf.h"
#endif

#define S_IFMT 0170000
#define S_IFSOCK 0140000

/* The data syscalls, as the dns and unix events number them (dns.h, unix.h). */
#define SOCKET_SYS_WRITE 1
#define SOCKET_SYS_READ 2
#define SOCKET_SYS_SENDTO 3
#define SOCKET_SYS_RECVFROM 4
#define SOCKET_SYS_SENDMSG 5
#define SOCKET_SYS_RECVMSG 6
#define SOCKET_SYS_WRITEV 7
#define SOCKET_SYS_READV 8
#define SOCKET_SYS_SENDMMSG 9
#define SOCKET_SYS_RECVMMSG 10

/* A call in progress on a socket, from sys_enter to sys_exit. */
struct socket_call {
	__u64 sk;                /* struct sock * */
	__u64 buf;               /* the buffer, iovec array, msghdr or mmsghdr array */
	__u64 count;             /* its length, iovec count or message count */
	__u64 name;              /* sendto/recvfrom: the address argument */
	__u64 namelen;           /* sendto: the address length; recvfrom: a pointer to it */
	__u16 syscall;           /* SOCKET_SYS_* */
	__u16 pad[3];
};

/* The struct file behind fd in the current task, or NULL. */
static __always_inline struct file *file_of(int fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

/* The socket behind fd, or NULL when fd is not one; cheapest test (the inode's type) first. */
static __always_inline struct socket *socket_of_fd(int fd, struct file **file_out)
{
	struct file *file = file_of(fd);

	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	*file_out = file;
	return BPF_CORE_READ(file, private_data);
}

/*
 * At sys_exit: hands what the call moved (ret bytes, or ret messages for
 * sendmmsg/recvmmsg) to SOCKET_CALL_EMIT, reading the iovecs and addresses
 * from the user's msghdr or mmsghdr array. A call kept by another syscall's
 * entry (the probe attached between an enter and its exit) sends nothing.
 * Returns how many messages of a sendmmsg/recvmmsg were past
 * SOCKET_CALL_MMSG_MAX and not shown.
 */
static __always_inline long socket_call_finish(struct socket_call *call, __u16 syscall, long ret)
{
	__u32 namelen = 0;

	if (ret <= 0 || call->syscall != syscall)
		return 0;
	switch (syscall) {
	case SOCKET_SYS_SENDMSG:
	case SOCKET_SYS_RECVMSG: {
		struct user_msghdr hdr = {};

		if (!bpf_probe_read_user(&hdr, sizeof(hdr), (const void *)call->buf))
			SOCKET_CALL_EMIT((__u64)hdr.msg_iov, hdr.msg_iovlen, ret, (__u64)hdr.msg_name, hdr.msg_namelen);
		return 0;
	}
	case SOCKET_SYS_SENDMMSG:
	case SOCKET_SYS_RECVMMSG:
		for (int i = 0; i < SOCKET_CALL_MMSG_MAX; i++) {
			struct mmsghdr m = {};

			if (i >= ret)
				return 0;
			if (bpf_probe_read_user(&m, sizeof(m), (const void *)(call->buf + i * sizeof(m))))
				return 0;
			SOCKET_CALL_EMIT((__u64)m.msg_hdr.msg_iov, m.msg_hdr.msg_iovlen, m.msg_len,
					 (__u64)m.msg_hdr.msg_name, m.msg_hdr.msg_namelen);
		}
		return ret > SOCKET_CALL_MMSG_MAX ? ret - SOCKET_CALL_MMSG_MAX : 0;
	case SOCKET_SYS_RECVFROM:
		/* the kernel wrote the sender's address length through this pointer */
		if (call->namelen)
			bpf_probe_read_user(&namelen, sizeof(namelen), (const void *)call->namelen);
		SOCKET_CALL_EMIT(call->buf, call->count, ret, call->name, namelen);
		return 0;
	default:
		SOCKET_CALL_EMIT(call->buf, call->count, ret, call->name, call->namelen);
		return 0;
	}
}

#endif
