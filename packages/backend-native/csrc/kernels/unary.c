/* unary: one table row per op; floats compute in double and round once (backend-js's rule),
 * int32 wraps or goes through the float row and cast's saturation, bool is the int32 row != 0. */
#include "iter.h"
#include "nbmath.h"

NB_INLINE int32_t nb_toi32(double x) {
  return x != x ? 0 : x >= 2147483647.0 ? INT32_MAX : x <= -2147483648.0 ? INT32_MIN : (int32_t)x;
}
NB_INLINE double nb_gelu(double x) { return 0.5 * x * nb_erfc(-x * 0.70710678118654752440); }
NB_INLINE double nb_softplus(double x) { return x > 20.0 ? x : nb_log1p(nb_exp(x)); }
/* logistic without overflow: exp only ever sees a non-positive argument */
NB_INLINE double nb_sigmoid2(double x) {
  double e = nb_exp(-nb_fabs(x));
  return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}
NB_INLINE float nb_sigmoidf(float x) {
  float e = nb_expf(-__builtin_fabsf(x));
  return x >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

/* x is a double, or a float in float32 rows marked F (exact in float, or exp/sigmoid's single-precision versions) */
#define UT_F float
#define UT_D double
#define GABS(x) _Generic((x), float: __builtin_fabsf, default: __builtin_fabs)(x)
#define GSQRT(x) _Generic((x), float: __builtin_sqrtf, default: __builtin_sqrt)(x)
#define GEXP(x) _Generic((x), float: nb_expf, default: nb_exp)(x)
#define GSIGMOID(x) _Generic((x), float: nb_sigmoidf, default: nb_sigmoid2)(x)
#define FLOAT_UNARY(X)                                          \
  X(neg, F, -x)                                                    \
  X(abs, F, GABS(x))                                               \
  X(sign, F, x > 0 ? 1 : x < 0 ? -1 : x)                           \
  X(reciprocal, F, 1 / x)                                          \
  X(square, F, x * x)                                              \
  X(sqrt, F, GSQRT(x))                                             \
  X(rsqrt, D, 1.0 / __builtin_sqrt(x))                             \
  X(exp, F, GEXP(x))                                               \
  X(expm1, D, nb_expm1(x))                                         \
  X(log, D, nb_log(x))                                             \
  X(log1p, D, nb_log1p(x))                                         \
  X(sin, D, nb_sincos(x, 0))                                       \
  X(cos, D, nb_sincos(x, 1))                                       \
  X(tanh, D, nb_tanh(x))                                           \
  X(erf, D, nb_erf(x))                                             \
  X(sigmoid, F, GSIGMOID(x))                                       \
  X(relu, F, (x > 0 || x != x) ? x : 0)                            \
  X(gelu, D, nb_gelu(x))                                           \
  X(softplus, D, nb_softplus(x))                                   \
  X(floor, D, nb_floor(x))                                         \
  X(ceil, D, nb_ceil(x))                                           \
  X(round, D, nb_rint(x))                                          \
  X(logicalNot, F, x == 0 ? 1 : 0)

/* x is an int32_t; rows without an integer meaning take the float row and saturate */
#define VIA_FLOAT(e) nb_toi32(e)
#define INT_UNARY(X)                                            \
  X(neg, (int32_t)(0u - (uint32_t)x))                           \
  X(abs, x < 0 ? (int32_t)(0u - (uint32_t)x) : x)               \
  X(sign, x > 0 ? 1 : x < 0 ? -1 : 0)                           \
  X(reciprocal, VIA_FLOAT(1.0 / (double)x))                     \
  X(square, (int32_t)((uint32_t)x * (uint32_t)x))               \
  X(sqrt, VIA_FLOAT(__builtin_sqrt((double)x)))                 \
  X(rsqrt, VIA_FLOAT(1.0 / __builtin_sqrt((double)x)))          \
  X(exp, VIA_FLOAT(nb_exp(x)))                                  \
  X(expm1, VIA_FLOAT(nb_expm1(x)))                              \
  X(log, VIA_FLOAT(nb_log(x)))                                  \
  X(log1p, VIA_FLOAT(nb_log1p(x)))                              \
  X(sin, VIA_FLOAT(nb_sincos(x, 0)))                            \
  X(cos, VIA_FLOAT(nb_sincos(x, 1)))                            \
  X(tanh, VIA_FLOAT(nb_tanh(x)))                                \
  X(erf, VIA_FLOAT(nb_erf(x)))                                  \
  X(sigmoid, VIA_FLOAT(nb_sigmoid2(x)))                         \
  X(relu, x > 0 ? x : 0)                                        \
  X(gelu, VIA_FLOAT(nb_gelu(x)))                                \
  X(softplus, VIA_FLOAT(nb_softplus(x)))                        \
  X(floor, x)                                                   \
  X(ceil, x)                                                    \
  X(round, x)                                                   \
  X(logicalNot, x == 0 ? 1 : 0)

/* One strided loop per (op, dtype) with a dense fast path the compiler vectorises. */
#define UNARY_LOOP(NAME, T, XT, STORE)                                                 \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    T *o = (T *)p[0];                                                                  \
    const T *xp = (const T *)p[1];                                                     \
    (void)aux;                                                                         \
    if (s[0] == 1 && s[1] == 1) {                                                      \
      for (int64_t i = 0; i < n; i++) {                                                \
        XT x = xp[i];                                                                  \
        o[i] = STORE;                                                                  \
      }                                                                                \
    } else {                                                                           \
      const int64_t so = s[0], sx = s[1];                                              \
      for (int64_t i = 0; i < n; i++) {                                                \
        XT x = xp[i * sx];                                                             \
        o[i * so] = STORE;                                                             \
      }                                                                                \
    }                                                                                  \
  }

#define DEF_FLOAT(name, k, e) UNARY_LOOP(u_##name##_f32, float, UT_##k, (float)(e)) UNARY_LOOP(u_##name##_f64, double, double, (e))
#define DEF_INT(name, e) UNARY_LOOP(u_##name##_i32, int32_t, int32_t, (e)) UNARY_LOOP(u_##name##_b, uint8_t, int32_t, (uint8_t)((e) != 0))
FLOAT_UNARY(DEF_FLOAT)
INT_UNARY(DEF_INT)

#define ROW(name, k, e) {u_##name##_f32, u_##name##_f64, u_##name##_i32, u_##name##_b},
static const nb_inner UNARY_TABLE[NB_NUNARY][NB_NDTYPES] = {FLOAT_UNARY(ROW)};
#undef ROW

NB_API int unary(int op, const nb_view *out, const nb_view *x, int64_t start, int64_t end) {
  const nb_view *v[2] = {out, x};
  nb_each(2, v, start, end, UNARY_TABLE[op][x->dtype], 0);
  return NB_OK;
}

#undef DEF_FLOAT
#undef DEF_INT
#undef UT_F
#undef UT_D
#undef GABS
#undef GSQRT
#undef GEXP
#undef GSIGMOID
