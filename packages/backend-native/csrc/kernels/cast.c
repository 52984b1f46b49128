/* cast: float -> int32 truncates toward zero and saturates (NaN -> 0); anything -> bool is x != 0 (NaN is true). */
#include "iter.h"

NB_INLINE int32_t cast_i32(double x) {
  return x != x ? 0 : x >= 2147483647.0 ? INT32_MAX : x <= -2147483648.0 ? INT32_MIN : (int32_t)x;
}

#define CAST_LOOP(NAME, TO, TI, CONV)                                                  \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    TO *o = (TO *)p[0];                                                                \
    const TI *xp = (const TI *)p[1];                                                   \
    (void)aux;                                                                         \
    if (s[0] == 1 && s[1] == 1) {                                                      \
      for (int64_t i = 0; i < n; i++) {                                                \
        TI x = xp[i];                                                                  \
        o[i] = CONV;                                                                   \
      }                                                                                \
    } else {                                                                           \
      for (int64_t i = 0; i < n; i++) {                                                \
        TI x = xp[i * s[1]];                                                           \
        o[i * s[0]] = CONV;                                                            \
      }                                                                                \
    }                                                                                  \
  }

/* rows: source dtype; columns: destination dtype (f32, f64, i32, bool) */
#define CAST_FROM(SFX, TI, TO_I32)                                     \
  CAST_LOOP(c_##SFX##_f32, float, TI, (float)x)                        \
  CAST_LOOP(c_##SFX##_f64, double, TI, (double)x)                      \
  CAST_LOOP(c_##SFX##_i32, int32_t, TI, TO_I32)                        \
  CAST_LOOP(c_##SFX##_b, uint8_t, TI, (uint8_t)(x != 0))
CAST_FROM(f32, float, cast_i32(x))
CAST_FROM(f64, double, cast_i32(x))
CAST_FROM(i32, int32_t, x)
CAST_FROM(b, uint8_t, (int32_t)x)

#define ROW(SFX) {c_##SFX##_f32, c_##SFX##_f64, c_##SFX##_i32, c_##SFX##_b}
static const nb_inner CAST_TABLE[NB_NDTYPES][NB_NDTYPES] = {ROW(f32), ROW(f64), ROW(i32), ROW(b)};
#undef ROW

NB_API int cast(const nb_view *out, const nb_view *x, int64_t start, int64_t end) {
  const nb_view *v[2] = {out, x};
  nb_each(2, v, start, end, CAST_TABLE[x->dtype][out->dtype], 0);
  return NB_OK;
}
