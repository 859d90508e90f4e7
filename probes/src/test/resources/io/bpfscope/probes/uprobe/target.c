/*
 * A process for the uprobe and functop tests: it waits for a line on stdin
 * (the test attaches first), then calls its functions a known number of
 * times with known arguments, prints what bpfscope_target returned, and
 * waits for another line before it exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void pause_ns(long ns)
{
	struct timespec t = {0, ns};

	nanosleep(&t, NULL);
}

__attribute__((noinline)) long bpfscope_target(long a, long b, const char *buf, unsigned long len, long e, long f)
{
	pause_ns(2000000); /* 2 ms: a latency the test can see */
	return a + b + (long)len + e + f + (buf[0] == 'h');
}

__attribute__((noinline)) int bpfscope_fast(int i)
{
	__asm__ volatile("" ::: "memory");
	return i + 1;
}

__attribute__((noinline)) int bpfscope_slow(int i)
{
	pause_ns(1000000);
	return i - 1;
}

int main(int argc, char **argv)
{
	char line[64];
	char message[32];
	int fast = argc > 1 ? atoi(argv[1]) : 1;
	int slow = argc > 2 ? atoi(argv[2]) : 1;
	long result = 0;

	if (!fgets(line, sizeof(line), stdin))
		return 1;
	/* On the stack, so its page is present: a probe cannot fault in a page that was never touched. */
	snprintf(message, sizeof(message), "hello %s", "uprobe");
	result = bpfscope_target(7, -3, message, strlen(message), 5, 6);
	for (int i = 0; i < fast; i++)
		result += bpfscope_fast(i);
	for (int i = 0; i < slow; i++)
		result += bpfscope_slow(i);
	printf("%ld\n", result);
	fflush(stdout);
	fgets(line, sizeof(line), stdin);
	return 0;
}
