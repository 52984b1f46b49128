/* gather and scatterAdd along one dim. Every index is checked before anything is written;
 * a bad one returns NB_EINDEX with its value in *bad. */
#include "iter.h"

typedef struct {
  int64_t size, step;
  int64_t bad;
  int failed;
} gctx;

static void check_run(char *const *p, const int64_t *s, int64_t n, const void *aux) {
  gctx *c = (gctx *)aux;
  const int32_t *ix = (const int32_t *)p[0];
  for (int64_t i = 0; i < n && !c->failed; i++) {
    int32_t v = ix[i * s[0]];
    if (v < 0 || v >= c->size) {
      c->failed = 1;
      c->bad = v;
    }
  }
}

static int check_index(const nb_view *index, int64_t size, int64_t *bad) {
  gctx c = {size, 0, 0, 0};
  const nb_view *v[1] = {index};
  nb_each(1, v, 0, nb_numel(index), check_run, &c);
  if (c.failed) *bad = c.bad;
  return c.failed ? NB_EINDEX : NB_OK;
}

/* p = {out, index, x (stride 0 at dim)}; one loop per element size */
#define GATHER_RUN(NAME, T)                                                            \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    const gctx *c = (const gctx *)aux;                                                 \
    const int32_t *ix = (const int32_t *)p[1];                                         \
    T *o = (T *)p[0];                                                                  \
    const T *x = (const T *)p[2];                                                      \
    for (int64_t i = 0; i < n; i++) o[i * s[0]] = x[i * s[2] + (int64_t)ix[i * s[1]] * c->step]; \
  }
GATHER_RUN(gather_u8, uint8_t)
GATHER_RUN(gather_u32, uint32_t)
GATHER_RUN(gather_u64, uint64_t)
static const nb_inner GATHER_TABLE[NB_NDTYPES] = {gather_u32, gather_u64, gather_u32, gather_u8};

NB_API int gather(const nb_view *out, const nb_view *x, int dim, const nb_view *index, int64_t *bad) {
  int64_t size = x->ndim ? x->shape[dim] : 1;
  if (check_index(index, size, bad)) return NB_EINDEX;
  nb_view xs = *x, os = *out, is = *index;
  if (xs.ndim) xs.strides[dim] = 0;
  /* iterate over index's shape (== out's) */
  os.ndim = is.ndim;
  gctx c = {size, x->ndim ? x->strides[dim] : 0, 0, 0};
  const nb_view *v[3] = {&os, &is, &xs};
  nb_each(3, v, 0, nb_numel(index), GATHER_TABLE[x->dtype], &c);
  return NB_OK;
}

/* Sequential in src's row-major order, so float rounding matches a plain loop. p = {out (stride 0 at dim), index, src} */
#define SCATTER_RUN(NAME, T, ADD)                                                      \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    const gctx *c = (const gctx *)aux;                                                 \
    const int32_t *ix = (const int32_t *)p[1];                                         \
    const T *src = (const T *)p[2];                                                    \
    for (int64_t i = 0; i < n; i++) {                                                  \
      T *o = (T *)p[0] + i * s[0] + (int64_t)ix[i * s[1]] * c->step;                  \
      T b = src[i * s[2]];                                                             \
      *o = ADD;                                                                        \
    }                                                                                  \
  }
SCATTER_RUN(scatter_f32, float, *o + b)
SCATTER_RUN(scatter_f64, double, *o + b)
SCATTER_RUN(scatter_i32, int32_t, (int32_t)((uint32_t)*o + (uint32_t)b))
SCATTER_RUN(scatter_b, uint8_t, (uint8_t)((*o + b) != 0))
static const nb_inner SCATTER_TABLE[NB_NDTYPES] = {scatter_f32, scatter_f64, scatter_i32, scatter_b};

NB_API int scatterAdd(const nb_view *out, int dim, const nb_view *index, const nb_view *src, int64_t *bad) {
  int64_t size = out->ndim ? out->shape[dim] : 1;
  if (check_index(index, size, bad)) return NB_EINDEX;
  nb_view os = *out;
  /* walk index's shape with out's strides (stride 0 at dim; the index adds the offset) */
  for (int d = 0; d < os.ndim; d++) os.shape[d] = index->shape[d];
  if (os.ndim) os.strides[dim] = 0;
  gctx c = {size, out->ndim ? out->strides[dim] : 0, 0, 0};
  const nb_view *v[3] = {&os, index, src};
  nb_each(3, v, 0, nb_numel(index), SCATTER_TABLE[out->dtype], &c);
  return NB_OK;
}
