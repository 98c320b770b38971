/* max-map-count.h - vm.max_map_count, for both bench programs */
#ifndef VMLAYOUT_BENCH_MAX_MAP_COUNT_H
#define VMLAYOUT_BENCH_MAX_MAP_COUNT_H

#include <stdio.h>

/* /proc/sys/vm/max_map_count: the most VMAs a process may have; -1 when unreadable. */
static inline long read_max_map_count(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

#endif
