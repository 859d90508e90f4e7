/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * bpfscope's own processes, kept out of every probe: the window, the capture
 * helper (or the recorder) and every process they start (ldconfig, jspawnhelper).
 * One map for a whole capture: self.bpf.o creates it, fills it as those
 * processes fork and exit, and the loader hands its fd to every probe object
 * (bpf_map__reuse_fd), which sets exclude_self. A probe loaded without it (the
 * user asked for bpfscope's own events) gets an empty map of its own, and the
 * verifier prunes the look-up.
 */
#ifndef BPFSCOPE_SELF_FILTER_BPF_H
#define BPFSCOPE_SELF_FILTER_BPF_H

#define SELF_FILTER_MAX 1024 /* a capture's own processes; a fork past it is traced */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SELF_FILTER_MAX);
	__type(key, __u32);   /* tgid */
	__type(value, __u32); /* the tgid it descends from, for the curious */
} excluded_tgids SEC(".maps");

/* Set before load when the map above is bpfscope's own processes. */
const volatile bool exclude_self = false;

static __always_inline bool is_excluded(__u32 tgid)
{
	return exclude_self && bpf_map_lookup_elem(&excluded_tgids, &tgid) != NULL;
}

#endif
