/* reduce (sum, prod, max, min over a set of axes) and argReduce (first argmax/argmin along one axis).
 * Split over output elements: each output walks its reduced sub-space. Floats accumulate in double and
 * round once; int32 wraps; bool is the int32 result != 0. max/min propagate NaN. */
#include "nabla.h"

typedef double v4d __attribute__((vector_size(32)));

/* Reduces a run of n elements at stride s into *acc (double for floats, int32 for ints). */
typedef void (*red_inner)(const char *p, int64_t s, int64_t n, void *acc);

#define RED_FLOAT(NAME, T, INIT_V, COMBINE)                                            \
  static void NAME(const char *p_, int64_t s, int64_t n, void *acc_) {                 \
    const T *p = (const T *)p_;                                                        \
    double acc = *(double *)acc_;                                                      \
    for (int64_t i = 0; i < n; i++) {                                                  \
      double x = p[i * s];                                                             \
      acc = COMBINE;                                                                   \
    }                                                                                  \
    *(double *)acc_ = acc;                                                             \
  }
#define RED_INT(NAME, T, COMBINE)                                                      \
  static void NAME(const char *p_, int64_t s, int64_t n, void *acc_) {                 \
    const T *p = (const T *)p_;                                                        \
    int32_t acc = *(int32_t *)acc_;                                                    \
    for (int64_t i = 0; i < n; i++) {                                                  \
      int32_t x = p[i * s];                                                            \
      acc = COMBINE;                                                                   \
    }                                                                                  \
    *(int32_t *)acc_ = acc;                                                            \
  }

/* Dense float sums use four independent vector accumulators (order differs from a serial loop only in rounding). */
#define SUM_FLOAT(NAME, T)                                                             \
  static void NAME(const char *p_, int64_t s, int64_t n, void *acc_) {                 \
    const T *p = (const T *)p_;                                                        \
    double acc = *(double *)acc_;                                                      \
    int64_t i = 0;                                                                     \
    if (s == 1 && n >= 16) {                                                           \
      v4d a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0;                                \
      for (; i + 16 <= n; i += 16) {                                                   \
        v4d x0 = {p[i], p[i + 1], p[i + 2], p[i + 3]};                                 \
        v4d x1 = {p[i + 4], p[i + 5], p[i + 6], p[i + 7]};                             \
        v4d x2 = {p[i + 8], p[i + 9], p[i + 10], p[i + 11]};                           \
        v4d x3 = {p[i + 12], p[i + 13], p[i + 14], p[i + 15]};                         \
        a0 += x0; a1 += x1; a2 += x2; a3 += x3;                                        \
      }                                                                                \
      v4d t = (a0 + a1) + (a2 + a3);                                                   \
      acc += (t[0] + t[1]) + (t[2] + t[3]);                                            \
    }                                                                                  \
    for (; i < n; i++) acc += p[i * s];                                                \
    *(double *)acc_ = acc;                                                             \
  }
SUM_FLOAT(r_sum_f32, float)
SUM_FLOAT(r_sum_f64, double)
RED_FLOAT(r_prod_f32, float, 1, acc * x)
RED_FLOAT(r_prod_f64, double, 1, acc * x)
RED_FLOAT(r_max_f32, float, -inf, (x > acc || x != x) ? x : acc)
RED_FLOAT(r_max_f64, double, -inf, (x > acc || x != x) ? x : acc)
RED_FLOAT(r_min_f32, float, inf, (x < acc || x != x) ? x : acc)
RED_FLOAT(r_min_f64, double, inf, (x < acc || x != x) ? x : acc)
RED_INT(r_sum_i32, int32_t, (int32_t)((uint32_t)acc + (uint32_t)x))
RED_INT(r_sum_b, uint8_t, (int32_t)((uint32_t)acc + (uint32_t)x))
RED_INT(r_prod_i32, int32_t, (int32_t)((uint32_t)acc * (uint32_t)x))
RED_INT(r_prod_b, uint8_t, (int32_t)((uint32_t)acc * (uint32_t)x))
RED_INT(r_max_i32, int32_t, x > acc ? x : acc)
RED_INT(r_max_b, uint8_t, x > acc ? x : acc)
RED_INT(r_min_i32, int32_t, x < acc ? x : acc)
RED_INT(r_min_b, uint8_t, x < acc ? x : acc)

static const red_inner RED_TABLE[NB_NREDUCE][NB_NDTYPES] = {
    {r_sum_f32, r_sum_f64, r_sum_i32, r_sum_b},
    {r_prod_f32, r_prod_f64, r_prod_i32, r_prod_b},
    {r_max_f32, r_max_f64, r_max_i32, r_max_b},
    {r_min_f32, r_min_f64, r_min_i32, r_min_b},
};
static const double FLOAT_INIT[NB_NREDUCE] = {0.0, 1.0, -__builtin_inf(), __builtin_inf()};
static const int32_t INT_INIT[NB_NREDUCE] = {0, 1, INT32_MIN, INT32_MAX};

/* An odometer over a coalescable list of dims. */
typedef struct {
  int n;
  int64_t shape[NB_MAXDIM], st[2][NB_MAXDIM];
} dims2;

static void dims_push(dims2 *d, int64_t size, int64_t s0, int64_t s1) {
  if (size == 1) return;
  if (d->n > 0 && d->st[0][d->n - 1] == s0 * size && d->st[1][d->n - 1] == s1 * size) {
    d->shape[d->n - 1] *= size;
    d->st[0][d->n - 1] = s0;
    d->st[1][d->n - 1] = s1;
    return;
  }
  d->shape[d->n] = size;
  d->st[0][d->n] = s0;
  d->st[1][d->n] = s1;
  d->n++;
}

NB_API int reduce(int op, const nb_view *out, const nb_view *x, uint32_t axes, int64_t start, int64_t end) {
  dims2 kept = {0}, red = {0};
  for (int d = 0; d < x->ndim; d++) {
    if (axes >> d & 1) dims_push(&red, x->shape[d], x->strides[d], 0);
    else dims_push(&kept, x->shape[d], x->strides[d], out->strides[d]);
  }
  const int isFloat = x->dtype == NB_F32 || x->dtype == NB_F64;
  const int xs = nb_dtype_size(x->dtype), os = nb_dtype_size(out->dtype);
  const red_inner fn = RED_TABLE[op][x->dtype];
  const char *xb = (const char *)x->data + x->offset * xs;
  char *ob = (char *)out->data + out->offset * os;
  /* an empty reduced space still yields the identity */
  int64_t rtotal = 1;
  for (int d = 0; d < red.n; d++) rtotal *= red.shape[d];
  int64_t rin = red.n ? red.shape[red.n - 1] : 1, rstride = red.n ? red.st[0][red.n - 1] : 0;
  for (int64_t j = start; j < end; j++) {
    int64_t rem = j, xo = 0, oo = 0;
    for (int d = kept.n - 1; d >= 0; d--) {
      int64_t i = rem % kept.shape[d];
      rem /= kept.shape[d];
      xo += i * kept.st[0][d];
      oo += i * kept.st[1][d];
    }
    double accf = FLOAT_INIT[op];
    int32_t acci = INT_INIT[op];
    void *acc = isFloat ? (void *)&accf : (void *)&acci;
    if (rtotal > 0) {
      int64_t idx[NB_MAXDIM] = {0};
      for (;;) {
        int64_t off = xo;
        for (int d = 0; d + 1 < red.n; d++) off += idx[d] * red.st[0][d];
        fn(xb + off * xs, rstride, rin, acc);
        int d = red.n - 2;
        for (; d >= 0; d--) {
          if (++idx[d] < red.shape[d]) break;
          idx[d] = 0;
        }
        if (d < 0) break;
      }
    }
    char *o = ob + oo * os;
    switch (out->dtype) {
      case NB_F32: *(float *)o = isFloat ? (float)accf : (float)acci; break;
      case NB_F64: *(double *)o = isFloat ? accf : (double)acci; break;
      case NB_I32: *(int32_t *)o = acci; break;
      default: *(uint8_t *)o = isFloat ? accf != 0 : acci != 0; break;
    }
  }
  return NB_OK;
}

#define ARG_LOOP(NAME, T, BETTER)                                                      \
  static int32_t NAME(const char *p_, int64_t s, int64_t n) {                          \
    const T *p = (const T *)p_;                                                        \
    if (n <= 0) return 0;                                                              \
    T best = p[0];                                                                     \
    int32_t bi = 0;                                                                    \
    if (best != best) return 0;                                                        \
    for (int64_t k = 1; k < n; k++) {                                                  \
      T v = p[k * s];                                                                  \
      if (v != v) return (int32_t)k;                                                   \
      if (BETTER) {                                                                    \
        best = v;                                                                      \
        bi = (int32_t)k;                                                               \
      }                                                                                \
    }                                                                                  \
    return bi;                                                                         \
  }
typedef int32_t (*arg_inner)(const char *p, int64_t s, int64_t n);
ARG_LOOP(am_f32, float, v > best)
ARG_LOOP(am_f64, double, v > best)
ARG_LOOP(am_i32, int32_t, v > best)
ARG_LOOP(am_b, uint8_t, v > best)
ARG_LOOP(an_f32, float, v < best)
ARG_LOOP(an_f64, double, v < best)
ARG_LOOP(an_i32, int32_t, v < best)
ARG_LOOP(an_b, uint8_t, v < best)
static const arg_inner ARG_TABLE[2][NB_NDTYPES] = {{am_f32, am_f64, am_i32, am_b}, {an_f32, an_f64, an_i32, an_b}};

NB_API int argReduce(int op, const nb_view *out, const nb_view *x, int axis, int64_t start, int64_t end) {
  dims2 kept = {0};
  for (int d = 0; d < x->ndim; d++)
    if (d != axis) dims_push(&kept, x->shape[d], x->strides[d], out->strides[d]);
  const int xs = nb_dtype_size(x->dtype);
  const int64_t len = x->ndim ? x->shape[axis] : 1, step = x->ndim ? x->strides[axis] : 0;
  const arg_inner fn = ARG_TABLE[op][x->dtype];
  const char *xb = (const char *)x->data + x->offset * xs;
  int32_t *ob = (int32_t *)out->data + out->offset;
  for (int64_t j = start; j < end; j++) {
    int64_t rem = j, xo = 0, oo = 0;
    for (int d = kept.n - 1; d >= 0; d--) {
      int64_t i = rem % kept.shape[d];
      rem /= kept.shape[d];
      xo += i * kept.st[0][d];
      oo += i * kept.st[1][d];
    }
    ob[oo] = fn(xb + xo * xs, step, len);
  }
  return NB_OK;
}
