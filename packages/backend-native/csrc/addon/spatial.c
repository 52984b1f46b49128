/* Entries for conv2d, its two backward kernels and the pools: the geometry relations the kernels rely on
 * (PyTorch's output sizes, groups, padding at most half the window) and their scratch. */
#include <stdio.h>

#include "call.h"

static int t_conv(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; return c->t->conv2d(V(0), V(1), V(2), &c->conv, pool_scratch(tid, c->ws), s, e); }
static int t_conv_dx(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; return c->t->conv2dBackwardInput(V(0), V(1), V(2), &c->conv, pool_scratch(tid, c->ws), s, e); }
static int t_maxpool(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->maxPool2d(V(0), V(1), V(2), &c->pool, s, e); }
static int t_avgpool(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; (void)tid; return c->t->avgPool2d(V(0), V(1), &c->pool, s, e); }
static int t_avgpool_dx(void *p, int64_t s, int64_t e, int tid) { call_t *c = p; return c->t->avgPool2dBackward(V(0), V(1), &c->pool, pool_scratch(tid, c->ws), s, e); }

static int rd_conv(cur_t *r, call_t *c) {
  int64_t v[7];
  const char *names[7] = {"stride", "stride", "padding", "padding", "dilation", "dilation", "groups"};
  for (int k = 0; k < 7; k++)
    if (rd_int(r, names[k], k < 2 || k >= 4 ? 1 : 0, 1 << 20, &v[k])) return -1;
  nb_conv_params p = {{v[0], v[1]}, {v[2], v[3]}, {v[4], v[5]}, v[6]};
  c->conv = p;
  return 0;
}

/* x-like [N,C,H,W], w [O,C/g,KH,KW], y-like [N,O,Ho,Wo]: every relation the kernels rely on */
/* 4-d operands of conv and pooling keep every dim below 2^31, so the geometry below cannot overflow */
static int small_dims(cur_t *r, const nb_view *v, const char *name) {
  for (int i = 0; i < v->ndim; i++)
    if (v->shape[i] >= (int64_t)1 << 31) return nb_fail(r->op, "%s dims must be below 2^31", name);
  return 0;
}

static int conv_geometry(cur_t *r, const nb_view *x, const nb_view *w, const nb_view *y, const nb_conv_params *p) {
  if (want_rank(r->op, x, "input", 4) || want_rank(r->op, w, "weight", 4) || want_rank(r->op, y, "output", 4) ||
      small_dims(r, x, "input") || small_dims(r, w, "weight") || small_dims(r, y, "output"))
    return -1;
  const int64_t g = p->groups, *xs = x->shape, *ws = w->shape, *ys = y->shape;
  int64_t ho = (xs[2] + 2 * p->padding[0] - p->dilation[0] * (ws[2] - 1) - 1);
  int64_t wo = (xs[3] + 2 * p->padding[1] - p->dilation[1] * (ws[3] - 1) - 1);
  ho = ho < 0 ? -1 : ho / p->stride[0] + 1;
  wo = wo < 0 ? -1 : wo / p->stride[1] + 1;
  if (xs[1] != ws[1] * g || ws[0] % g != 0 || ys[0] != xs[0] || ys[1] != ws[0] || ys[2] != ho || ys[3] != wo) {
    char a[256], b[256], d[256];
    return nb_fail(r->op, "inconsistent shapes: input %s, weight %s, output %s (groups %lld)", fmt_shape(x, a, sizeof a),
                   fmt_shape(w, b, sizeof b), fmt_shape(y, d, sizeof d), (long long)g);
  }
  return 0;
}

static int conv_common(cur_t *r, call_t *c, const nb_view *x, const nb_view *w, const nb_view *y, int float_split, int th,
                       int *parts) {
  if (want_dtype(r->op, V(1), "second operand", V(0)->dtype) || want_dtype(r->op, V(2), "third operand", V(0)->dtype) ||
      want_contig(r->op, V(0), "out") || conv_geometry(r, x, w, y, &c->conv))
    return -1;
  int isfloat = V(0)->dtype == NB_F32 || V(0)->dtype == NB_F64;
  /* the kernels' scratch, counted in double first: broadcast (stride-0) inputs can be huge */
  double P = (double)y->shape[2] * (double)y->shape[3], kd = (double)w->shape[1] * (double)w->shape[2] * (double)w->shape[3];
  double col = kd * P > (double)w->shape[0] * P ? kd * P : (double)w->shape[0] * P;
  double need = (col + (double)w->shape[0] * kd + (double)w->shape[0] * P) * 8;
  if (need > 1e15) return nb_fail(r->op, "needs %.4g bytes of scratch, more than this machine can spare", need);
  size_t extra = c->t->conv_workspace_bytes(x, w, y);
  size_t ints = (size_t)nb_numel(V(0)) * 4 + 64;
  c->ws = c->t->matmul_workspace_bytes() + 64 + (isfloat ? extra : ints);
  *parts = isfloat && float_split && x->shape[0] > 1 ? th : 1;
  return scratch_for(r->op, *parts, c->ws);
}

int e_conv(cur_t *r, call_t *c, int th) {
  int parts;
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || rd_view(r, "w", V(2)) || rd_conv(r, c) ||
      conv_common(r, c, V(1), V(2), V(0), 1, th, &parts))
    return -1;
  int isfloat = V(0)->dtype <= NB_F64;
  return status(r->op, pool_run(parts, isfloat ? V(1)->shape[0] : 1, 1, t_conv, c), 0, 0);
}

int e_conv_dx(cur_t *r, call_t *c, int th) {
  int parts;
  if (rd_view(r, "out", V(0)) || rd_view(r, "dy", V(1)) || rd_view(r, "w", V(2)) || rd_conv(r, c) ||
      conv_common(r, c, V(0), V(2), V(1), 1, th, &parts))
    return -1;
  int isfloat = V(0)->dtype <= NB_F64;
  return status(r->op, pool_run(parts, isfloat ? V(0)->shape[0] : 1, 1, t_conv_dx, c), 0, 0);
}

int e_conv_dw(cur_t *r, call_t *c, int th) {
  int parts;
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || rd_view(r, "dy", V(2)) || rd_conv(r, c) ||
      conv_common(r, c, V(1), V(0), V(2), 0, th, &parts))
    return -1;
  return status(r->op, c->t->conv2dBackwardWeight(V(0), V(1), V(2), &c->conv, pool_scratch(0, c->ws)), 0, 0);
}

static int rd_pool(cur_t *r, call_t *c) {
  int64_t v[9];
  const char *names[9] = {"kernel", "kernel", "stride", "stride", "padding", "padding", "dilation", "dilation", "countIncludePad"};
  const double lo[9] = {1, 1, 1, 1, 0, 0, 1, 1, 0}, hi[9] = {1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1 << 20, 1};
  for (int k = 0; k < 9; k++)
    if (rd_int(r, names[k], lo[k], hi[k], &v[k])) return -1;
  nb_pool_params p = {{v[0], v[1]}, {v[2], v[3]}, {v[4], v[5]}, {v[6], v[7]}, (int32_t)v[8]};
  c->pool = p;
  return 0;
}

/* x-like [N,C,H,W] and y-like [N,C,Ho,Wo] */
static int pool_geometry(cur_t *r, call_t *c, const nb_view *x, const nb_view *y) {
  if (want_rank(r->op, x, "input", 4) || want_rank(r->op, y, "output", 4) || small_dims(r, x, "input") || small_dims(r, y, "output"))
    return -1;
  const nb_pool_params *p = &c->pool;
  /* floor-mode output size, as PyTorch: bounds every loop by the real input */
  int64_t ho = x->shape[2] + 2 * p->padding[0] - p->dilation[0] * (p->kernel[0] - 1) - 1;
  int64_t wo = x->shape[3] + 2 * p->padding[1] - p->dilation[1] * (p->kernel[1] - 1) - 1;
  ho = ho < 0 ? -1 : ho / p->stride[0] + 1;
  wo = wo < 0 ? -1 : wo / p->stride[1] + 1;
  if (x->shape[0] != y->shape[0] || x->shape[1] != y->shape[1] || p->padding[0] * 2 > p->kernel[0] || p->padding[1] * 2 > p->kernel[1] ||
      y->shape[2] != ho || y->shape[3] != wo) {
    char a[256], b[256];
    return nb_fail(r->op, "inconsistent shapes or padding: input %s, output %s", fmt_shape(x, a, sizeof a), fmt_shape(y, b, sizeof b));
  }
  return 0;
}

int e_maxpool(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "indices", V(1)) || rd_view(r, "x", V(2)) || rd_pool(r, c) ||
      want_dtype(r->op, V(1), "indices", NB_I32) || want_dtype(r->op, V(0), "out", V(2)->dtype) ||
      same_shape(r->op, V(1), "indices", V(0), "out") || pool_geometry(r, c, V(2), V(0)))
    return -1;
  int64_t planes = V(2)->shape[0] * V(2)->shape[1];
  return status(r->op, pool_run(parts_for(th, nb_numel(V(2))), planes, 1, t_maxpool, c), 0, 0);
}

int e_avgpool(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "x", V(1)) || rd_pool(r, c) || want_dtype(r->op, V(0), "out", V(1)->dtype) ||
      pool_geometry(r, c, V(1), V(0)))
    return -1;
  int64_t planes = V(1)->shape[0] * V(1)->shape[1];
  return status(r->op, pool_run(parts_for(th, nb_numel(V(1))), planes, 1, t_avgpool, c), 0, 0);
}

int e_avgpool_dx(cur_t *r, call_t *c, int th) {
  if (rd_view(r, "out", V(0)) || rd_view(r, "dy", V(1)) || rd_pool(r, c) || want_dtype(r->op, V(1), "dy", V(0)->dtype) ||
      pool_geometry(r, c, V(0), V(1)))
    return -1;
  int64_t planes = V(0)->shape[0] * V(0)->shape[1];
  int parts = parts_for(th, nb_numel(V(0)));
  c->ws = (size_t)(V(0)->shape[2] * V(0)->shape[3]) * 8 + 64;
  if (scratch_for(r->op, parts, c->ws)) return -1;
  return status(r->op, pool_run(parts, planes, 1, t_avgpool_dx, c), 0, 0);
}
