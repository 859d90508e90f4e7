/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Mirrored by io.bpfscope.probes.bench.BenchDecoder. */
#ifndef BPFSCOPE_BENCH_H
#define BPFSCOPE_BENCH_H

#include "event_header.h"

#define BENCH_BURST_MAX 4096

struct bench_event {
	struct event_header hdr;
	__u64 index;             /* position in its burst */
	__u64 burst;             /* the burst size asked for */
};

#endif
