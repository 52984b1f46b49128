/* fillRandom: element i (row-major) of out is a pure function of (seed, counter + i), bit for bit
 * core's random.ts: PCG-RXS-M-XS hash applied twice; uniform = (bits >> 8) * 2^-24; normal = Box-Muller
 * over stream positions counter + 2i and counter + 2i + 1 with u1 = ((bits >> 8) + 1) * 2^-24. */
#include "iter.h"
#include "nbmath.h"

NB_INLINE uint32_t pcg_hash(uint32_t x) {
  uint32_t state = x * 747796405u + 2891336453u;
  uint32_t word = ((state >> ((state >> 28) + 4)) ^ state) * 277803737u;
  return (word >> 22) ^ word;
}

typedef struct {
  uint32_t key, counter;
  int dist;
  int64_t i; /* logical index of the next run's first element */
} rctx;

NB_INLINE double sample(const rctx *c, int64_t i) {
  const double inv24 = 1.0 / 16777216.0;
  if (c->dist == D_UNIFORM) return (double)(pcg_hash(c->key + c->counter + (uint32_t)i) >> 8) * inv24;
  uint32_t p = c->counter + 2u * (uint32_t)i;
  double u1 = ((double)(pcg_hash(c->key + p) >> 8) + 1.0) * inv24;
  double u2 = (double)(pcg_hash(c->key + p + 1u) >> 8) * inv24;
  return __builtin_sqrt(-2.0 * nb_log(u1)) * nb_sincos(2.0 * 3.141592653589793 * u2, 1);
}

#define RANDOM_RUN(NAME, T, CONV)                                                      \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    rctx *c = (rctx *)aux;                                                             \
    T *o = (T *)p[0];                                                                  \
    for (int64_t k = 0; k < n; k++) {                                                  \
      double x = sample(c, c->i + k);                                                  \
      o[k * s[0]] = CONV;                                                              \
    }                                                                                  \
    c->i += n;                                                                         \
  }
RANDOM_RUN(rand_f32, float, (float)x)
RANDOM_RUN(rand_f64, double, x)
RANDOM_RUN(rand_i32, int32_t, (int32_t)x) /* samples lie in [0, 1) or are finite normals: truncation is cast's rule */
RANDOM_RUN(rand_b, uint8_t, (uint8_t)(x != 0))
static const nb_inner RANDOM_TABLE[NB_NDTYPES] = {rand_f32, rand_f64, rand_i32, rand_b};

NB_API int fillRandom(const nb_view *out, int dist, uint32_t seed, uint32_t counter, int64_t start, int64_t end) {
  rctx c = {pcg_hash(seed), counter, dist, start};
  const nb_view *v[1] = {out};
  nb_each(1, v, start, end, RANDOM_TABLE[out->dtype], &c);
  return NB_OK;
}
