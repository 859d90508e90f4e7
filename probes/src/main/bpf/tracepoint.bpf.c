// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tracepoint: any tracepoint, chosen at run time. The program copies the
 * raw trace record (what the tracepoint's format file describes, common
 * fields included) into the event; Java decodes it with that format.
 *
 * One object per tracepoint: the loader attaches it with
 * bpf_program__attach_tracepoint(group, name) and sets, before load, the
 * record's fixed size, where its __data_loc fields are (they say how long
 * the record really is) and which pointer fields to read as user strings
 * (the path of a syscalls:sys_enter_unlinkat, as perf trace shows it: user
 * memory can only be read while the syscall has not returned).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpfscope.bpf.h"
#include "tracepoint.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set before load from the format file. Offsets of 0 mean "none": offset 0 is common_type. */
const volatile __u32 record_fixed = 8;      /* end of the last fixed field */
const volatile __u16 loc_off0 = 0;          /* __data_loc / __rel_loc fields */
const volatile __u16 loc_off1 = 0;
const volatile __u16 loc_off2 = 0;
const volatile __u16 loc_off3 = 0;
const volatile __u8 loc_relative = 0;       /* bit i: loc_off<i> is a __rel_loc (offset from the field's end) */
const volatile __u16 str_off0 = 0;          /* pointer fields to read as user strings */
const volatile __u16 str_off1 = 0;
const volatile __u16 str_off2 = 0;
const volatile __u16 str_off3 = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tracepoint_event);
} scratch SEC(".maps");

static __always_inline __u16 loc_offset(int i)
{
	switch (i) {
	case 0: return loc_off0;
	case 1: return loc_off1;
	case 2: return loc_off2;
	default: return loc_off3;
	}
}

static __always_inline __u16 str_offset(int i)
{
	switch (i) {
	case 0: return str_off0;
	case 1: return str_off1;
	case 2: return str_off2;
	default: return str_off3;
	}
}

/* The record's length: its fixed part, or further where a dynamic field ends. */
static __always_inline __u32 record_length(void *ctx)
{
	__u32 end = record_fixed;

	for (int i = 0; i < TP_LOCS; i++) {
		__u16 off = loc_offset(i);
		__u32 loc = 0, start;

		if (!off)
			continue;
		if (bpf_probe_read_kernel(&loc, sizeof(loc), ctx + off))
			continue;
		/* low 16 bits: offset (from the record, or from the field's end for __rel_loc); high: length */
		start = (loc & 0xffff) + ((loc_relative >> i) & 1 ? off + 4 : 0);
		if (start + (loc >> 16) > end)
			end = start + (loc >> 16);
	}
	return end;
}

/* Appends user string i after what data holds; the running offset lives in the map value (see exec.bpf.c). */
static __always_inline void read_string(void *ctx, struct tracepoint_event *e, int i)
{
	__u16 field = str_offset(i);
	const char *ptr = NULL;
	__u32 off;
	long n;

	if (!field)
		return;
	off = e->record_len + e->strings_len;
	if (off > TP_DATA_SIZE - TP_STRING_MAX)
		return;
	e->string_count++;
	if (bpf_probe_read_kernel(&ptr, sizeof(ptr), ctx + field) || !ptr)
		n = -1;
	else
		n = bpf_probe_read_user_str(&e->data[off & (TP_DATA_SIZE - 1)], TP_STRING_MAX, ptr);
	if (n <= 0) {
		e->data[off & (TP_DATA_SIZE - 1)] = '\0';
		e->string_failed |= 1 << i;
		n = 1;
	} else if (n == TP_STRING_MAX) {
		e->flags |= TP_STRING_TRUNCATED;
	}
	e->strings_len += n;
}

SEC("tracepoint")
int tracepoint_record(void *ctx)
{
	__u32 zero = 0;
	__u64 len;
	struct tracepoint_event *e = bpf_map_lookup_elem(&scratch, &zero);

	if (!e || !fill_header(&e->hdr, EVENT_TRACEPOINT))
		return 0;
	e->flags = 0;
	e->string_count = 0;
	e->string_failed = 0;
	e->strings_len = 0;

	len = record_length(ctx);
	if (len > TP_RECORD_MAX) {
		len = TP_RECORD_MAX;
		e->flags |= TP_RECORD_TRUNCATED;
	}
	/* Hide len's history from clang, so the bound below is checked on the register the call gets. */
	asm volatile("" : "+r"(len));
	if (len > TP_RECORD_MAX)
		len = 0;
	if (bpf_probe_read_kernel(e->data, len, ctx))
		len = 0;
	e->record_len = len;

	read_string(ctx, e, 0);
	read_string(ctx, e, 1);
	read_string(ctx, e, 2);
	read_string(ctx, e, 3);

	if (e->flags)
		count(COUNTER_TRUNCATED);
	len = offsetof(struct tracepoint_event, data) + e->record_len + e->strings_len;
	if (len > sizeof(*e))
		return 0;
	emit(e, len);
	return 0;
}
