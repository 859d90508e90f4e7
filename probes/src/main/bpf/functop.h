/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.functop.FunctionStats; FunctopLayoutTest checks the offsets against BTF. */
#ifndef BPFSCOPE_FUNCTOP_H
#define BPFSCOPE_FUNCTOP_H

#define FUNCTOP_SLOTS 64              /* log2 latency buckets */
#define FUNCTOP_MAX_FUNCTIONS 1024    /* entries of the stats map: function ids 0..1023 */

/* Per function (key: its id, the attach cookie) and per CPU; Java sums the CPUs. */
struct functop_stats {
	__u64 count;             /* calls that returned */
	__u64 total_ns;          /* their summed latency */
	__u64 min_ns;
	__u64 max_ns;
	__u64 slots[FUNCTOP_SLOTS]; /* slots[i]: calls of [2^i, 2^(i+1)) ns; slot 0 also holds 0 ns */
};

#endif
