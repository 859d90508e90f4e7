/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every bpfscope probe shares: the ring buffer, the loss counters, the
 * filters set before load, and the header filler. Include once per probe,
 * after vmlinux.h and the libbpf helpers.
 */
#ifndef BPFSCOPE_BPF_H
#define BPFSCOPE_BPF_H

#include "event_header.h"
#include "self_filter.bpf.h"

/*
 * One ring buffer for all probes: the loader creates it and hands its fd to
 * every object (bpf_map__reuse_fd), so events arrive in one stream, in the
 * order they were reserved. The size here is only a placeholder.
 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096 * 64);
} events SEC(".maps");

/* Per-probe counters, summed over CPUs by the reader. */
enum counter {
	COUNTER_LOST = 0,        /* ring buffer full: the event was dropped */
	COUNTER_TRUNCATED = 1,   /* the event was sent, but its data was cut */
	COUNTER_MAX = 2,
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Filters, written into .rodata before load; the verifier prunes what they rule out. */
const volatile __u32 filter_pid = 0;          /* tgid; 0 = any */
const volatile __u32 filter_tid = 0;          /* 0 = any */
const volatile __u32 filter_uid = 0xffffffff; /* 0xffffffff = any */
const volatile char filter_comm[TASK_COMM_LEN] = {};
const volatile __u16 source_id = 0;

/*
 * Never read: it keeps enum event_kind in every object's BTF (the header's kind
 * field is a __u16), so a test checks io.bpfscope.probes.EventKind against it.
 */
const volatile enum event_kind event_kinds_in_btf = EVENT_EXEC;

/*
 * Payload-carrying probes: the user's limit per event (set before load; at
 * most PAYLOAD_MAX). Such events are built in a map named cpu_scratch, a
 * BPF_MAP_TYPE_ARRAY that the loader sizes to one entry per possible CPU
 * (key: bpf_get_smp_processor_id()); a per-CPU array would cap values at
 * 32 KiB, smaller than a full payload plus its header. Only the bytes used
 * are sent, with emit().
 */
#define PAYLOAD_MAX 32768
const volatile __u32 max_payload = PAYLOAD_MAX;

/*
 * Keeps an event struct in the object's BTF even when the code only builds it
 * on the stack, so the layout test (and readers of the object) can see it.
 */
#define KEEP_EVENT_TYPE(type, name) type *const volatile btf_keep_##name __attribute__((unused)) = 0

static __always_inline void count(enum counter which)
{
	__u32 key = which;
	__u64 *value = bpf_map_lookup_elem(&counters, &key);

	if (value)
		*value += 1; /* per-CPU slot: no other writer */
}

static __always_inline bool comm_matches(const char *comm)
{
	if (filter_comm[0] == '\0')
		return true;
	for (int i = 0; i < TASK_COMM_LEN; i++) {
		if (comm[i] != filter_comm[i])
			return false;
		if (comm[i] == '\0')
			return true;
	}
	return true;
}

/*
 * True when the task passes the pid, tid and uid filters and is not one of
 * bpfscope's own processes (comm is checked with the header).
 */
static __always_inline bool task_wanted(__u64 pid_tgid, __u32 uid)
{
	if (is_excluded(pid_tgid >> 32))
		return false;
	if (filter_pid && (__u32)(pid_tgid >> 32) != filter_pid)
		return false;
	if (filter_tid && (__u32)pid_tgid != filter_tid)
		return false;
	if (filter_uid != 0xffffffff && uid != filter_uid)
		return false;
	return true;
}

/*
 * Fill the header for the current task; false when a filter rules it out,
 * so the caller sends nothing.
 */
static __always_inline bool fill_header(struct event_header *hdr, enum event_kind kind)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 uid = (__u32)bpf_get_current_uid_gid();

	if (!task_wanted(pid_tgid, uid))
		return false;
	bpf_get_current_comm(hdr->comm, sizeof(hdr->comm));
	if (!comm_matches(hdr->comm))
		return false;
	hdr->ts_ns = bpf_ktime_get_boot_ns();
	hdr->pid = pid_tgid >> 32;
	hdr->tid = (__u32)pid_tgid;
	hdr->uid = uid;
	hdr->kind = kind;
	hdr->source = source_id;
	return true;
}

/* Copy len bytes of an event into the ring; a full ring is counted, never silent. */
static __always_inline int emit(void *event, __u64 len)
{
	int err = bpf_ringbuf_output(&events, event, len, 0);

	if (err)
		count(COUNTER_LOST);
	return err;
}

#endif
