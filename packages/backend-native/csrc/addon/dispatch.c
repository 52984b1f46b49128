/* kernels_run: reads one kernel call from the descriptor (layout written by src/descriptor.ts), checks
 * everything a kernel could trip over (live handles, dtypes, shapes, extents, parameters), then runs the
 * kernel, split over the thread pool when the work is large. One table row per kernel. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "call.h"

int scratch_for(const char *op, int parts, size_t bytes) {
  /* views with stride-0 dims can describe huge logical inputs over tiny storage: refuse scratch that
   * could only be backed by overcommitted memory (touching it would get the process killed) */
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  double limit = pages > 0 && page > 0 ? (double)pages * (double)page / 4 : (double)(1ull << 32);
  if ((double)bytes * parts > limit) return nb_fail(op, "needs %.4g bytes of scratch, more than this machine can spare", (double)bytes * parts);
  for (int p = 0; p < parts && p < NB_MAX_THREADS; p++)
    if (!pool_scratch(p, bytes)) return nb_fail(op, "out of memory for %zu bytes of scratch", bytes);
  return 0;
}

int status_at(const char *op, int st, int64_t bad, int64_t dim, int64_t size) {
  if (st == NB_OK) return 0;
  if (st == NB_EINDEX) return nb_fail(op, "index %lld out of range for dim %lld of size %lld", (long long)bad, (long long)dim, (long long)size);
  return nb_fail(op, "unsupported dtype for this kernel");
}
int status(const char *op, int st, int64_t bad, int64_t size) {
  if (st == NB_OK) return 0;
  if (st == NB_EINDEX) return status_at(op, st, bad, 1, size);
  return nb_fail(op, "unsupported dtype for this kernel");
}

/* ---- tasks ---- */

static int t_unary(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->unary((int)c->i[0], V(0), V(1), s, e); }
static int t_binary(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->binary((int)c->i[0], V(0), V(1), V(2), s, e); }
static int t_where(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->where(V(0), V(1), V(2), V(3), s, e); }
static int t_cast(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->cast(V(0), V(1), s, e); }
static int t_copy(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->copy(V(0), V(1), s, e); }
static int t_reduce(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->reduce((int)c->i[0], V(0), V(1), (uint32_t)c->i[1], s, e); }
static int t_argreduce(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->argReduce((int)c->i[0], V(0), V(1), (int)c->i[1], s, e); }
static int t_matmul(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; return c->t->matmul(V(0), V(1), V(2), pool_scratch(tid, c->ws), s, e); }
static int t_random(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->fillRandom(V(0), (int)c->i[0], (uint32_t)c->i[1], (uint32_t)c->i[2], s, e); }
static int t_softmax(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->softmax(V(0), V(1), s, e); }
static int t_logsoftmax(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->logSoftmax(V(0), V(1), s, e); }
static int t_sce(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->softmaxCrossEntropy(V(0), V(1), V(2), &c->bad, s, e); }
static int t_sce_dx(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->softmaxCrossEntropyBackward(V(0), V(1), V(2), V(3), &c->bad, s, e); }
static int t_linear(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; return c->t->linear(V(0), V(1), V(2), OPT(3), (int)c->i[0], pool_scratch(tid, c->ws), s, e); }
static int t_sgd(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->sgdUpdate(V(0), V(1), OPT(2), &c->sgd, s, e); }
static int t_adam(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->adamUpdate(V(0), V(1), V(2), V(3), &c->adam, s, e); }

/* ---- entries: parse + validate + run ---- */

static int e_unary(cur_t *r, call_t *c, int th) {
  if (rd_int(r, "op", 0, NB_NUNARY - 1, &c->i[0]) || rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) ||
      same_shape(r->op, V(1), "x", V(0), "out") || want_dtype(r->op, V(0), "out", V(1)->dtype))
    return -1;
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n), n, 64, t_unary, c), 0, 0);
}

static int e_binary(cur_t *r, call_t *c, int th) {
  if (rd_int(r, "op", 0, NB_NBINARY - 1, &c->i[0]) || rd_view(r, "out", V(0)) || rd_view(r, "a", V(1)) || rd_view(r, "b", V(2)) ||
      same_shape(r->op, V(1), "a", V(0), "out") || same_shape(r->op, V(2), "b", V(0), "out") ||
      want_dtype(r->op, V(2), "b", V(1)->dtype))
    return -1;
  int op = (int)c->i[0], boolish = op >= B_EQ;
  if (V(0)->dtype != V(1)->dtype && !(boolish && V(0)->dtype == NB_BOOL))
    return nb_fail(r->op, "out must be %s%s, got %s", DT[V(1)->dtype], boolish ? " or bool" : "", DT[V(0)->dtype]);
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n), n, 64, t_binary, c), 0, 0);
}

static int e_where(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "cond", V(1)) || rd_view(r, "a", V(2)) || rd_view(r, "b", V(3)) ||
      same_shape(r->op, V(1), "cond", V(0), "out") || same_shape(r->op, V(2), "a", V(0), "out") ||
      same_shape(r->op, V(3), "b", V(0), "out") || want_dtype(r->op, V(1), "cond", NB_BOOL) ||
      want_dtype(r->op, V(2), "a", V(0)->dtype) || want_dtype(r->op, V(3), "b", V(0)->dtype))
    return -1;
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n), n, 64, t_where, c), 0, 0);
}

static int e_cast(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || same_shape(r->op, V(1), "x", V(0), "out")) return -1;
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n), n, 64, t_cast, c), 0, 0);
}

static int e_copy(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || same_shape(r->op, V(1), "x", V(0), "out") ||
      want_dtype(r->op, V(1), "x", V(0)->dtype))
    return -1;
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n), n, 64, t_copy, c), 0, 0);
}

/* A reduction to one value, split along x's outermost non-trivial dim: each part reduces its slab into
 * a partial (double for float x, int32 otherwise, as the kernel accumulates), then the partials combine
 * in part order, so the result depends only on the thread count. */
typedef struct {
  call_t *c;
  int dim;
  int64_t per;
  double pf[NB_MAX_THREADS];
  int32_t pi[NB_MAX_THREADS];
} split_t;

static int t_reduce_part(void *p, int64_t s, int64_t e, int tid) {
  (void)tid;
  split_t *sp = p;
  call_t *c = sp->c;
  int64_t k = s / sp->per;
  nb_view x = *V(1), o = *V(1);
  x.shape[sp->dim] = e - s;
  x.offset += s * x.strides[sp->dim];
  int isfloat = x.dtype <= NB_F64;
  o.data = isfloat ? (void *)&sp->pf[k] : (void *)&sp->pi[k];
  o.dtype = isfloat ? NB_F64 : NB_I32;
  o.offset = 0;
  for (int d = 0; d < o.ndim; d++) {
    o.shape[d] = 1;
    o.strides[d] = 0;
  }
  return c->t->reduce((int)c->i[0], &o, &x, (uint32_t)c->i[1], 0, 1);
}

static int reduce_split(cur_t *r, call_t *c, int th) {
  split_t sp;
  memset(&sp, 0, sizeof sp);
  sp.c = c;
  const nb_view *x = V(1);
  sp.dim = 0;
  while (sp.dim < x->ndim && x->shape[sp.dim] == 1) sp.dim++;
  int64_t len = x->shape[sp.dim];
  int parts = th < NB_MAX_THREADS ? th : NB_MAX_THREADS;
  /* identities, so a slot the pool leaves unused (fewer workers than asked) changes nothing */
  static const double FI[NB_NREDUCE] = {0.0, 1.0, -__builtin_inf(), __builtin_inf()};
  static const int32_t II[NB_NREDUCE] = {0, 1, INT32_MIN, INT32_MAX};
  for (int k = 0; k < NB_MAX_THREADS; k++) {
    sp.pf[k] = FI[c->i[0]];
    sp.pi[k] = II[c->i[0]];
  }
  sp.per = (len + parts - 1) / parts;
  int st = pool_run(parts, len, sp.per, t_reduce_part, &sp);
  if (st) return status(r->op, st, 0, 0);
  int nparts = (int)((len + sp.per - 1) / sp.per < NB_MAX_THREADS ? (len + sp.per - 1) / sp.per : NB_MAX_THREADS), op = (int)c->i[0], isfloat = x->dtype <= NB_F64;
  double f = sp.pf[0];
  uint32_t u = (uint32_t)sp.pi[0];
  for (int k = 1; k < nparts; k++) {
    double g = sp.pf[k];
    int32_t a = (int32_t)u, b = sp.pi[k];
    switch (op) {
      case R_SUM: f += g; u += (uint32_t)b; break;
      case R_PROD: f *= g; u *= (uint32_t)b; break;
      case R_MAX: f = (g > f || g != g || f != f) ? (f != f ? f : g) : f; u = (uint32_t)(b > a ? b : a); break;
      default: f = (g < f || g != g || f != f) ? (f != f ? f : g) : f; u = (uint32_t)(b < a ? b : a); break;
    }
  }
  const nb_view *o = V(0);
  char *dst = (char *)o->data + o->offset * nb_dtype_size(o->dtype);
  int32_t iv = (int32_t)u;
  switch (o->dtype) {
    case NB_F32: *(float *)dst = isfloat ? (float)f : (float)iv; break;
    case NB_F64: *(double *)dst = isfloat ? f : (double)iv; break;
    case NB_I32: *(int32_t *)dst = iv; break;
    default: *(uint8_t *)dst = isfloat ? f != 0 : iv != 0; break;
  }
  return 0;
}

/* op, out, x, naxes, axes... */
static int e_reduce(cur_t *r, call_t *c, int th) {
  int64_t naxes = 0;
  if (rd_int(r, "op", 0, NB_NREDUCE - 1, &c->i[0]) || rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) ||
      rd_int(r, "axis count", 0, V(1)->ndim, &naxes))
    return -1;
  uint32_t mask = 0;
  for (int64_t k = 0; k < naxes; k++) {
    int64_t a = 0;
    if (rd_int(r, "axis", 0, V(1)->ndim - 1, &a)) return -1;
    if (mask >> a & 1) return nb_fail(r->op, "axis %lld appears twice", (long long)a);
    mask |= 1u << a;
  }
  nb_view want = *V(1);
  for (int d = 0; d < want.ndim; d++)
    if (mask >> d & 1) want.shape[d] = 1;
  if (same_shape(r->op, V(0), "out", &want, "expected")) return -1;
  /* the kernel keeps float accumulators only for float x, so float x -> int32 out has no meaning here */
  if (V(1)->dtype <= NB_F64 && V(0)->dtype == NB_I32) return nb_fail(r->op, "out must not be int32 for %s x", DT[V(1)->dtype]);
  c->i[1] = mask;
  int64_t outs = nb_numel(V(0)), n = nb_numel(V(1));
  if (outs == 1 && th > 1 && n >= PAR_ELEMS) return reduce_split(r, c, th);
  return status(r->op, pool_run(outs > 1 ? parts_for(th, n) : 1, outs, 1, t_reduce, c), 0, 0);
}

/* op, out, x, axis */
static int e_argreduce(cur_t *r, call_t *c, int th) {
  if (rd_int(r, "op", 0, 1, &c->i[0]) || rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) ||
      rd_int(r, "axis", 0, V(1)->ndim > 0 ? V(1)->ndim - 1 : 0, &c->i[1]) || want_dtype(r->op, V(0), "out", NB_I32))
    return -1;
  nb_view want = *V(1);
  if (want.ndim) want.shape[c->i[1]] = 1;
  if (same_shape(r->op, V(0), "out", &want, "expected")) return -1;
  if (V(1)->ndim && V(1)->shape[c->i[1]] == 0 && nb_numel(V(0)) > 0) return nb_fail(r->op, "cannot take the index of an empty axis");
  int64_t outs = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, nb_numel(V(1))), outs, 1, t_argreduce, c), 0, 0);
}

static int e_matmul(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "a", V(1)) || rd_view(r, "b", V(2)) || want_rank(r->op, V(0), "out", 3) ||
      want_rank(r->op, V(1), "a", 3) || want_rank(r->op, V(2), "b", 3) || want_dtype(r->op, V(2), "b", V(1)->dtype) ||
      want_dtype(r->op, V(0), "out", V(1)->dtype))
    return -1;
  const int64_t *as = V(1)->shape, *bs = V(2)->shape, *os = V(0)->shape;
  if (as[0] != bs[0] || as[2] != bs[1] || os[0] != as[0] || os[1] != as[1] || os[2] != bs[2]) {
    char x[256], y[256], z[256];
    return nb_fail(r->op, "shapes do not fit [B,M,K] @ [B,K,N] -> [B,M,N]: a=%s b=%s out=%s", fmt_shape(V(1), x, sizeof x),
                   fmt_shape(V(2), y, sizeof y), fmt_shape(V(0), z, sizeof z));
  }
  double flops = (double)as[0] * (double)as[1] * (double)as[2] * (double)bs[2];
  int64_t rows = as[0] * as[1];
  int parts = flops >= PAR_FLOPS ? (int)(rows / PAR_ROWS < th ? rows / PAR_ROWS : th) : 1;
  if (parts < 1) parts = 1;
  c->ws = c->t->matmul_workspace_bytes();
  if (scratch_for(r->op, parts, c->ws)) return -1;
  return status(r->op, pool_run(parts, rows, 16, t_matmul, c), 0, 0);
}

static int dim_check(cur_t *r, const nb_view *big, const char *bn, const nb_view *idx, int64_t dim) {
  int ok = big->ndim == idx->ndim;
  for (int d = 0; ok && d < idx->ndim; d++) ok = d == dim || big->shape[d] == idx->shape[d];
  if (ok) return 0;
  char x[256], y[256];
  return nb_fail(r->op, "index shape %s must match %s shape %s except at dim %lld", fmt_shape(idx, x, sizeof x), bn,
                 fmt_shape(big, y, sizeof y), (long long)dim);
}

/* out, x, dim, index */
static int e_gather(cur_t *r, call_t *c, int th) {
  (void)th;
  int64_t dim = 0;
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || rd_int(r, "dim", 0, V(1)->ndim > 0 ? V(1)->ndim - 1 : 0, &dim) ||
      rd_view(r, "index", V(2)) || want_dtype(r->op, V(2), "index", NB_I32) || want_dtype(r->op, V(0), "out", V(1)->dtype) ||
      same_shape(r->op, V(2), "index", V(0), "out") || dim_check(r, V(1), "x", V(2), dim))
    return -1;
  int64_t bad = 0;
  int st = c->t->gather(V(0), V(1), (int)dim, V(2), &bad);
  return status_at(r->op, st, bad, dim, V(1)->ndim ? V(1)->shape[dim] : 1);
}

/* out, dim, index, src */
static int e_scatter(cur_t *r, call_t *c, int th) {
  (void)th;
  int64_t dim = 0;
  if (rd_view(r, "out", V(0)) || rd_int(r, "dim", 0, V(0)->ndim > 0 ? V(0)->ndim - 1 : 0, &dim) || rd_view(r, "index", V(1)) ||
      rd_view(r, "src", V(2)) || want_dtype(r->op, V(1), "index", NB_I32) || want_dtype(r->op, V(2), "src", V(0)->dtype) ||
      same_shape(r->op, V(2), "src", V(1), "index") || dim_check(r, V(0), "out", V(1), dim))
    return -1;
  int64_t bad = 0;
  int st = c->t->scatterAdd(V(0), (int)dim, V(1), V(2), &bad);
  return status_at(r->op, st, bad, dim, V(0)->ndim ? V(0)->shape[dim] : 1);
}

/* out, dist, seed, counter */
static int e_random(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_int(r, "distribution", 0, 1, &c->i[0]) || rd_int(r, "seed", -MAX_INT, MAX_INT, &c->i[1]) ||
      rd_int(r, "counter", -MAX_INT, MAX_INT, &c->i[2]))
    return -1;
  /* JS reduces seed and positions modulo 2^32 */
  c->i[1] = (int64_t)(uint32_t)c->i[1];
  c->i[2] = (int64_t)(uint32_t)c->i[2];
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n * 8), n, 64, t_random, c), 0, 0);
}

/* rows of the last axis of a contiguous float x */
static int64_t rows_of(const nb_view *x) {
  int64_t C = x->ndim ? x->shape[x->ndim - 1] : 1;
  return C ? nb_numel(x) / C : 0;
}

static int e_softmax_like(cur_t *r, call_t *c, int th, nb_task fn) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || want_float(r->op, V(1), "x") || want_dtype(r->op, V(0), "out", V(1)->dtype) ||
      same_shape(r->op, V(1), "x", V(0), "out") || want_contig(r->op, V(1), "x") || want_contig(r->op, V(0), "out"))
    return -1;
  return status(r->op, pool_run(parts_for(th, nb_numel(V(1)) * 4), rows_of(V(1)), 1, fn, c), 0, 0);
}
static int e_softmax(cur_t *r, call_t *c, int th) { return e_softmax_like(r, c, th, t_softmax); }
static int e_logsoftmax(cur_t *r, call_t *c, int th) { return e_softmax_like(r, c, th, t_logsoftmax); }

static int sce_common(cur_t *r, call_t *c) {
  if (want_float(r->op, V(1), "x") || want_rank(r->op, V(1), "x", 2) || want_contig(r->op, V(1), "x") ||
      want_dtype(r->op, V(2), "target", NB_I32) || want_rank(r->op, V(2), "target", 1) || want_dtype(r->op, V(0), "out", V(1)->dtype) ||
      want_contig(r->op, V(0), "out"))
    return -1;
  if (V(2)->shape[0] != V(1)->shape[0]) return nb_fail(r->op, "target has %lld rows, logits %lld", (long long)V(2)->shape[0], (long long)V(1)->shape[0]);
  return 0;
}

static int e_sce(cur_t *r, call_t *c, int th) {
  (void)th;
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || rd_view(r, "target", V(2)) || sce_common(r, c) ||
      want_rank(r->op, V(0), "out", 1) || (V(0)->shape[0] != V(1)->shape[0] && nb_fail(r->op, "out must have one entry per row")))
    return -1;
  return status(r->op, t_sce(c, 0, V(1)->shape[0], 0), c->bad, V(1)->shape[1]);
}

static int e_sce_dx(cur_t *r, call_t *c, int th) {
  (void)th;
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || rd_view(r, "target", V(2)) || rd_view(r, "gradLoss", V(3)) ||
      sce_common(r, c) || same_shape(r->op, V(0), "out", V(1), "x") || want_dtype(r->op, V(3), "gradLoss", V(1)->dtype) ||
      same_shape(r->op, V(3), "gradLoss", V(2), "target"))
    return -1;
  return status(r->op, t_sce_dx(c, 0, V(1)->shape[0], 0), c->bad, V(1)->shape[1]);
}

/* out, x, w, hasBias, [bias], relu */
static int e_linear(cur_t *r, call_t *c, int th) {
  int64_t hb = 0;
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || rd_view(r, "w", V(2)) || rd_int(r, "hasBias", 0, 1, &hb)) return -1;
  c->has[3] = (int)hb;
  if ((hb && rd_view(r, "bias", V(3))) || rd_int(r, "relu", 0, 1, &c->i[0])) return -1;
  if (want_float(r->op, V(1), "x") || want_rank(r->op, V(1), "x", 2) || want_rank(r->op, V(2), "w", 2) ||
      want_rank(r->op, V(0), "out", 2) || want_dtype(r->op, V(2), "w", V(1)->dtype) || want_dtype(r->op, V(0), "out", V(1)->dtype) ||
      want_contig(r->op, V(0), "out"))
    return -1;
  if (V(1)->shape[1] != V(2)->shape[1] || V(0)->shape[0] != V(1)->shape[0] || V(0)->shape[1] != V(2)->shape[0]) {
    char a[256], b[256], d[256];
    return nb_fail(r->op, "shapes do not fit x [M,K], w [N,K] -> out [M,N]: x=%s w=%s out=%s", fmt_shape(V(1), a, sizeof a),
                   fmt_shape(V(2), b, sizeof b), fmt_shape(V(0), d, sizeof d));
  }
  if (hb && (want_dtype(r->op, V(3), "bias", V(1)->dtype) || want_rank(r->op, V(3), "bias", 1) ||
             (V(3)->shape[0] != V(2)->shape[0] && nb_fail(r->op, "bias must have %lld entries", (long long)V(2)->shape[0]))))
    return -1;
  int64_t M = V(1)->shape[0];
  double flops = (double)M * (double)V(1)->shape[1] * (double)V(2)->shape[0];
  int parts = flops >= PAR_FLOPS ? (int)(M / PAR_ROWS < th ? M / PAR_ROWS : th) : 1;
  if (parts < 1) parts = 1;
  c->ws = c->t->matmul_workspace_bytes();
  if (scratch_for(r->op, parts, c->ws)) return -1;
  return status(r->op, pool_run(parts, M, 16, t_linear, c), 0, 0);
}

static int opt_views(cur_t *r, int n, const nb_view *const *vs, const char *const *names) {
  for (int k = 0; k < n; k++)
    if (!vs[k]) continue;
    else if (want_float(r->op, vs[k], names[k]) || want_contig(r->op, vs[k], names[k]) || want_dtype(r->op, vs[k], names[k], vs[0]->dtype) ||
             same_shape(r->op, vs[k], names[k], vs[0], names[0]))
      return -1;
  return 0;
}

/* param, grad, hasBuf, [buf], lr, momentum, dampening, nesterov, weightDecay, hasBuffer */
static int e_sgd(cur_t *r, call_t *c, int th) {
  int64_t hb = 0, nest = 0, hasb = 0;
  if (rd_view(r, "param", V(0)) || rd_view(r, "grad", V(1)) || rd_int(r, "hasBuf", 0, 1, &hb)) return -1;
  c->has[2] = (int)hb;
  if ((hb && rd_view(r, "momentumBuffer", V(2))) || rd(r, &c->sgd.lr) || rd(r, &c->sgd.momentum) || rd(r, &c->sgd.dampening) ||
      rd_int(r, "nesterov", 0, 1, &nest) || rd(r, &c->sgd.weight_decay) || rd_int(r, "hasBuffer", 0, 1, &hasb))
    return -1;
  c->sgd.nesterov = (int32_t)nest;
  c->sgd.has_buffer = (int32_t)hasb;
  const nb_view *vs[3] = {V(0), V(1), OPT(2)};
  const char *names[3] = {"param", "grad", "momentumBuffer"};
  if (opt_views(r, 3, vs, names)) return -1;
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n), n, 64, t_sgd, c), 0, 0);
}

/* param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step */
static int e_adam(cur_t *r, call_t *c, int th) {
  int64_t dec = 0;
  if (rd_view(r, "param", V(0)) || rd_view(r, "grad", V(1)) || rd_view(r, "m", V(2)) || rd_view(r, "v", V(3)) ||
      rd(r, &c->adam.lr) || rd(r, &c->adam.beta1) || rd(r, &c->adam.beta2) || rd(r, &c->adam.eps) || rd(r, &c->adam.weight_decay) ||
      rd_int(r, "decoupled", 0, 1, &dec) || rd_int(r, "step", 1, MAX_INT, &c->adam.step))
    return -1;
  c->adam.decoupled = (int32_t)dec;
  const nb_view *vs[4] = {V(0), V(1), V(2), V(3)};
  const char *names[4] = {"param", "grad", "m", "v"};
  if (opt_views(r, 4, vs, names)) return -1;
  int64_t n = nb_numel(V(0));
  return status(r->op, pool_run(parts_for(th, n), n, 64, t_adam, c), 0, 0);
}

/* The kernel table, in the order of src/codes.ts (core's KERNELS, then FUSED_KERNELS). */
static const struct {
  const char *name;
  int (*entry)(cur_t *, call_t *, int);
} ENTRIES[] = {
    {"unary", e_unary},
    {"binary", e_binary},
    {"where", e_where},
    {"reduce", e_reduce},
    {"argReduce", e_argreduce},
    {"cast", e_cast},
    {"copy", e_copy},
    {"matmul", e_matmul},
    {"gather", e_gather},
    {"scatterAdd", e_scatter},
    {"fillRandom", e_random},
    {"conv2d", e_conv},
    {"conv2dBackwardInput", e_conv_dx},
    {"conv2dBackwardWeight", e_conv_dw},
    {"maxPool2d", e_maxpool},
    {"avgPool2d", e_avgpool},
    {"avgPool2dBackward", e_avgpool_dx},
    {"softmax", e_softmax},
    {"logSoftmax", e_logsoftmax},
    {"softmaxCrossEntropy", e_sce},
    {"softmaxCrossEntropyBackward", e_sce_dx},
    {"linear", e_linear},
    {"sgdUpdate", e_sgd},
    {"adamUpdate", e_adam},
};

const char *kernel_name(int kernel) {
  return kernel >= 0 && kernel < (int)(sizeof ENTRIES / sizeof ENTRIES[0]) ? ENTRIES[kernel].name : NULL;
}

int kernels_run(int kernel, const nb_table *t, int threads, const double *desc, size_t len, const nb_buf *bufs, int nbufs) {
  if (kernel < 0 || kernel >= (int)(sizeof ENTRIES / sizeof ENTRIES[0])) return nb_fail("native", "unknown kernel code %d", kernel);
  cur_t r = {desc, len, 0, ENTRIES[kernel].name, bufs, nbufs};
  call_t c;
  memset(&c, 0, sizeof c);
  c.t = t;
  return ENTRIES[kernel].entry(&r, &c, threads);
}
