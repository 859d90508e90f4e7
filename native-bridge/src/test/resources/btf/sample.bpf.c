// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for the BTF reader tests (BtfTest): a struct with a nested struct, a bitfield and a
 * flexible array member, and two .rodata filter constants. Self-contained, no kernel headers,
 * so it builds the same everywhere. Rebuild after editing, from this directory:
 *
 *   clang -g -O2 -target bpf -c sample.bpf.c -o sample.bpf.o && llvm-strip -g sample.bpf.o
 *
 * (-g makes clang emit .BTF; llvm-strip -g then drops the DWARF sections, which the tests do not need.)
 */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;

#define SEC(name) __attribute__((section(name), used))

enum event_kind { EVENT_EXEC = 1, EVENT_EXIT = 2 };

struct event_header {
	__u64 ts_ns;
	__u32 pid;
	enum event_kind kind;
};

struct exec_event {
	struct event_header hdr;
	char comm[16];
	__u32 is_thread : 1;
	__u32 exit_code : 8;
	__u16 payload_len;
	__u8 payload[];
};

/* Set by user space before load; a zero means "no filter". */
const volatile __u32 filter_pid = 0;
const volatile char filter_comm[16];

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct exec_event *e)
{
	if (filter_pid && e->hdr.pid != filter_pid)
		return 0;
	if (filter_comm[0] && e->comm[0] != filter_comm[0])
		return 0;
	return e->payload_len + e->is_thread + e->hdr.kind;
}

char LICENSE[] SEC("license") = "GPL";
