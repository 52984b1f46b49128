/* A persistent pthread pool: pool_run splits [0, n) into `parts` contiguous chunks, runs chunk 0 on the
 * calling thread and the rest on sleeping workers, and returns when all are done. */
#ifndef NABLA_THREADS_H
#define NABLA_THREADS_H
#include <stddef.h>
#include <stdint.h>

#define NB_MAX_THREADS 64

/* tid is 0 for the caller, 1.. for workers; returns a kernel status (0 = ok). */
typedef int (*nb_task)(void *ctx, int64_t start, int64_t end, int tid);

/* Runs fn over [0, n) in `parts` chunks whose sizes are multiples of `align` (except the last).
 * Returns the first non-zero status. */
int pool_run(int parts, int64_t n, int64_t align, nb_task fn, void *ctx);
/* Per-thread scratch of at least `bytes`, 64-byte aligned (NULL when allocation fails). */
void *pool_scratch(int tid, size_t bytes);
#endif
