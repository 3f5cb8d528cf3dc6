/* Counts malloc calls, for LD_PRELOAD: prints "mallocs N" on stderr when the process exits.
 *
 * The sender's CPU per row moves by a fifth between hours on a shared machine, and callgrind cannot
 * run it (valgrind 3.19 stops at its first rt_sigsuspend); the number of allocations per row does not
 * move, so a change's effect on them is seen at once (Benchmarks/send-allocations.sh). */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);

static _Atomic unsigned long calls;

void *malloc(size_t size) {
    atomic_fetch_add_explicit(&calls, 1, memory_order_relaxed);
    return __libc_malloc(size);
}

__attribute__((destructor)) static void report(void) {
    char line[64];
    int length = snprintf(line, sizeof line, "mallocs %lu\n", (unsigned long)calls);
    if (length > 0) (void)!write(STDERR_FILENO, line, (size_t)length);
}
