/* binary: one table row per op. Floats compute in double and round once; int32 wraps (and x/0 = x mod 0 = 0,
 * since a kernel cannot raise per element); bool is the int32 row != 0. Comparisons and logical ops may also
 * write bool whatever their input dtype. */
#include "iter.h"
#include "nbmath.h"

static int32_t int_pow(int32_t a, int32_t b) {
  if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
  uint32_t r = 1, base = (uint32_t)a, e = (uint32_t)b;
  while (e) {
    if (e & 1) r *= base;
    base *= base;
    e >>= 1;
  }
  return (int32_t)r;
}
NB_INLINE int32_t int_div(int32_t a, int32_t b) { return b == 0 ? 0 : (int32_t)((int64_t)a / (int64_t)b); }
NB_INLINE int32_t int_mod(int32_t a, int32_t b) {
  if (b == 0) return 0;
  int64_t r = (int64_t)a % (int64_t)b;
  return (int32_t)((r != 0 && ((r < 0) != (b < 0))) ? r + b : r);
}
NB_INLINE double f_pow(double a, double b) { return nb_pow(a, b); }
NB_INLINE double f_mod(double a, double b) { return nb_remainder(a, b); }

/* a, b are doubles, or floats for float32 rows marked F (exact in float: IEEE +,-,*,/ of floats rounded
 * once equal the double result rounded to float, so no conversions are needed); D rows compute in double */
#define FLOAT_BINARY(X)                                              \
  X(add, F, a + b)                                                   \
  X(sub, F, a - b)                                                   \
  X(mul, F, a * b)                                                   \
  X(div, F, a / b)                                                   \
  X(pow, D, f_pow(a, b))                                             \
  X(maximum, F, (a > b || a != a) ? a : b)                           \
  X(minimum, F, (a < b || a != a) ? a : b)                           \
  X(mod, D, f_mod(a, b))                                             \
  X(eq, F, a == b)                                                   \
  X(ne, F, a != b)                                                   \
  X(lt, F, a < b)                                                    \
  X(le, F, a <= b)                                                   \
  X(gt, F, a > b)                                                    \
  X(ge, F, a >= b)                                                   \
  X(logicalAnd, F, a != 0 && b != 0)                                 \
  X(logicalOr, F, a != 0 || b != 0)
#define CT_F float
#define CT_D double

/* a, b are int32_t */
#define INT_BINARY(X)                                                \
  X(add, (int32_t)((uint32_t)a + (uint32_t)b))                       \
  X(sub, (int32_t)((uint32_t)a - (uint32_t)b))                       \
  X(mul, (int32_t)((uint32_t)a * (uint32_t)b))                       \
  X(div, int_div(a, b))                                              \
  X(pow, int_pow(a, b))                                              \
  X(maximum, a > b ? a : b)                                          \
  X(minimum, a < b ? a : b)                                          \
  X(mod, int_mod(a, b))                                              \
  X(eq, a == b)                                                      \
  X(ne, a != b)                                                      \
  X(lt, a < b)                                                       \
  X(le, a <= b)                                                      \
  X(gt, a > b)                                                       \
  X(ge, a >= b)                                                      \
  X(logicalAnd, a != 0 && b != 0)                                    \
  X(logicalOr, a != 0 || b != 0)

#define BINARY_LOOP(NAME, TO, TI, CT, STORE)                                           \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    TO *o = (TO *)p[0];                                                                \
    const TI *ap = (const TI *)p[1], *bp = (const TI *)p[2];                           \
    (void)aux;                                                                         \
    if (s[0] == 1 && s[1] == 1 && s[2] == 1) {                                         \
      for (int64_t i = 0; i < n; i++) {                                                \
        CT a = ap[i], b = bp[i];                                                       \
        o[i] = STORE;                                                                  \
      }                                                                                \
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 0) {                                  \
      const CT b = bp[0];                                                              \
      for (int64_t i = 0; i < n; i++) {                                                \
        CT a = ap[i];                                                                  \
        o[i] = STORE;                                                                  \
      }                                                                                \
    } else {                                                                           \
      const int64_t so = s[0], sa = s[1], sb = s[2];                                   \
      for (int64_t i = 0; i < n; i++) {                                                \
        CT a = ap[i * sa], b = bp[i * sb];                                             \
        o[i * so] = STORE;                                                             \
      }                                                                                \
    }                                                                                  \
  }

/* Every op gets a same-dtype loop and a bool-output loop (used by comparisons and logical ops). */
#define DEF_FLOAT(name, k, e)                                                  \
  BINARY_LOOP(b_##name##_f32, float, float, CT_##k, (float)(e))               \
  BINARY_LOOP(b_##name##_f64, double, double, double, (e))                    \
  BINARY_LOOP(bb_##name##_f32, uint8_t, float, CT_##k, (uint8_t)((e) != 0))   \
  BINARY_LOOP(bb_##name##_f64, uint8_t, double, double, (uint8_t)((e) != 0))
#define DEF_INT(name, e)                                                       \
  BINARY_LOOP(b_##name##_i32, int32_t, int32_t, int32_t, (int32_t)(e))        \
  BINARY_LOOP(b_##name##_b, uint8_t, uint8_t, int32_t, (uint8_t)((e) != 0))   \
  BINARY_LOOP(bb_##name##_i32, uint8_t, int32_t, int32_t, (uint8_t)((e) != 0))
FLOAT_BINARY(DEF_FLOAT)
INT_BINARY(DEF_INT)

#define ROW(name, k, e) {b_##name##_f32, b_##name##_f64, b_##name##_i32, b_##name##_b},
static const nb_inner BINARY_TABLE[NB_NBINARY][NB_NDTYPES] = {FLOAT_BINARY(ROW)};
#undef ROW
#define ROW(name, k, e) {bb_##name##_f32, bb_##name##_f64, bb_##name##_i32, b_##name##_b},
static const nb_inner BINARY_TO_BOOL[NB_NBINARY][NB_NDTYPES] = {FLOAT_BINARY(ROW)};
#undef ROW

NB_API int binary(int op, const nb_view *out, const nb_view *a, const nb_view *b, int64_t start, int64_t end) {
  const nb_view *v[3] = {out, a, b};
  nb_inner fn = out->dtype == NB_BOOL ? BINARY_TO_BOOL[op][a->dtype] : BINARY_TABLE[op][a->dtype];
  nb_each(3, v, start, end, fn, 0);
  return NB_OK;
}

#undef DEF_FLOAT
#undef DEF_INT
#undef CT_F
#undef CT_D
