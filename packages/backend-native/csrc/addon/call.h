/* One kernel call's parsed state and the helpers its entries share (dispatch.c, spatial.c). */
#ifndef NABLA_CALL_H
#define NABLA_CALL_H
#include "storage.h"
#include "threads.h"
#include "validate.h"

/* Work below these sizes runs on the calling thread: waking a worker costs microseconds (milliseconds on a
 * busy machine), while one core streams ~4M floats per millisecond. */
#define PAR_ELEMS 262144
/* GEMM splits rows; each part packs all of B, so a part needs enough rows to amortise that. */
#define PAR_ROWS 128
#define PAR_FLOPS 16777216.0

typedef struct {
  const nb_table *t;
  nb_view v[5];
  int has[5];
  int64_t i[4];
  double f[8];
  nb_conv_params conv;
  nb_pool_params pool;
  nb_sgd_params sgd;
  nb_adam_params adam;
  size_t ws;
  int64_t bad;
} call_t;

#define V(k) (&c->v[k])
#define OPT(k) (c->has[k] ? &c->v[k] : NULL)

static inline int parts_for(int threads, int64_t work) { return work >= PAR_ELEMS ? threads : 1; }

/* Allocates each part's scratch up front so a failure is an error, not a crash in a worker. */
int scratch_for(const char *op, int parts, size_t bytes);
/* Turns a kernel status into an `[op] ...` error (index errors name the dim and its size). */
int status_at(const char *op, int st, int64_t bad, int64_t dim, int64_t size);
int status(const char *op, int st, int64_t bad, int64_t size);

/* Entries of spatial.c: parse, validate and run conv2d, its backward kernels and the pools. */
int e_conv(cur_t *r, call_t *c, int th);
int e_conv_dx(cur_t *r, call_t *c, int th);
int e_conv_dw(cur_t *r, call_t *c, int th);
int e_maxpool(cur_t *r, call_t *c, int th);
int e_avgpool(cur_t *r, call_t *c, int th);
int e_avgpool_dx(cur_t *r, call_t *c, int th);
#endif
