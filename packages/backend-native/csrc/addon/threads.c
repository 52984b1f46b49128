/* The persistent thread pool behind pool_run (see threads.h). Workers sleep on a condition variable
 * between jobs; a job is (fn, ctx, chunking) plus an atomic chunk counter. */
#include "threads.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  nb_task fn;
  void *ctx;
  int64_t n, align;
  int parts;
} job_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, finished = PTHREAD_COND_INITIALIZER;
static job_t job;
static uint64_t generation;
/* generation, readable without the lock: workers and the caller spin on it briefly before sleeping,
 * which saves a futex wake-up (tens of microseconds) between back-to-back kernels */
static _Atomic uint64_t generation_seen;
#define SPIN 2000 /* about 50 us of pause instructions */

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
/* (job generation << 32) | next chunk: a worker late from an old job can never claim a chunk of a newer one */
static _Atomic uint64_t next_chunk;
static atomic_int pending, status;
static int nworkers;
static void *scratch[NB_MAX_THREADS];
static size_t scratch_size[NB_MAX_THREADS];

static void chunk_range(const job_t *j, int c, int64_t *s, int64_t *e) {
  int64_t per = (j->n + j->parts - 1) / j->parts;
  per = (per + j->align - 1) / j->align * j->align;
  *s = per * c < j->n ? per * c : j->n;
  *e = per * (c + 1) < j->n ? per * (c + 1) : j->n;
}

static void run_chunks(const job_t *j, uint64_t gen, int tid) {
  for (;;) {
    uint64_t cur = atomic_load(&next_chunk);
    if ((cur >> 32) != (gen & 0xffffffffu) || (int)(cur & 0xffffffffu) >= j->parts) break;
    if (!atomic_compare_exchange_weak(&next_chunk, &cur, cur + 1)) continue;
    int c = (int)(cur & 0xffffffffu);
    int64_t s, e;
    chunk_range(j, c, &s, &e);
    int st = s < e ? j->fn(j->ctx, s, e, tid) : 0;
    if (st) {
      int zero = 0;
      atomic_compare_exchange_strong(&status, &zero, st);
    }
    if (atomic_fetch_sub(&pending, 1) == 1) {
      pthread_mutex_lock(&mu);
      pthread_cond_broadcast(&finished);
      pthread_mutex_unlock(&mu);
    }
  }
}

static void *worker(void *arg) {
  int tid = (int)(intptr_t)arg;
  uint64_t seen = 0;
  pthread_mutex_lock(&mu);
  for (;;) {
    if (generation == seen) {
      pthread_mutex_unlock(&mu);
      for (int i = 0; i < SPIN && atomic_load_explicit(&generation_seen, memory_order_acquire) == seen; i++) relax();
      pthread_mutex_lock(&mu);
    }
    while (generation == seen) pthread_cond_wait(&wake, &mu);
    seen = generation;
    job_t j = job;
    pthread_mutex_unlock(&mu);
    run_chunks(&j, seen, tid);
    pthread_mutex_lock(&mu);
  }
  return 0;
}

static void ensure_workers(int want) {
  while (nworkers < want && nworkers < NB_MAX_THREADS - 1) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, worker, (void *)(intptr_t)(nworkers + 1)) != 0) break;
    pthread_attr_destroy(&attr);
    nworkers++;
  }
}

int pool_run(int parts, int64_t n, int64_t align, nb_task fn, void *ctx) {
  if (align < 1) align = 1;
  if (parts > NB_MAX_THREADS) parts = NB_MAX_THREADS;
  if (parts > 1) ensure_workers(parts - 1);
  if (parts > nworkers + 1) parts = nworkers + 1;
  if (parts <= 1 || n <= align) return n > 0 ? fn(ctx, 0, n, 0) : 0;
  job_t j = {fn, ctx, n, align, parts};
  atomic_store(&pending, parts);
  atomic_store(&status, 0);
  pthread_mutex_lock(&mu);
  job = j;
  generation++;
  uint64_t gen = generation;
  atomic_store(&next_chunk, (gen & 0xffffffffu) << 32);
  atomic_store_explicit(&generation_seen, gen, memory_order_release);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&mu);
  run_chunks(&j, gen, 0);
  for (int i = 0; i < SPIN && atomic_load(&pending) > 0; i++) relax();
  pthread_mutex_lock(&mu);
  while (atomic_load(&pending) > 0) pthread_cond_wait(&finished, &mu);
  pthread_mutex_unlock(&mu);
  return atomic_load(&status);
}

void *pool_scratch(int tid, size_t bytes) {
  if (tid < 0 || tid >= NB_MAX_THREADS) return 0;
  if (scratch_size[tid] >= bytes && scratch[tid]) return scratch[tid];
  free(scratch[tid]);
  scratch[tid] = 0;
  scratch_size[tid] = 0;
  size_t sz = (bytes + 63) & ~(size_t)63;
  void *p = 0;
  if (posix_memalign(&p, 64, sz ? sz : 64) != 0) return 0;
  scratch[tid] = p;
  scratch_size[tid] = sz;
  return p;
}
