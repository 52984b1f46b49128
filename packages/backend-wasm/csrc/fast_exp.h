/* A float32x4 exp for dense float32 arrays, used by wasm.c instead of the shared kernel's exp, which
 * computes in double: simd128 has no f64x2 <-> i64x2 conversions, so that path runs scalar (~25x
 * slower than this). Cephes-style: x = n ln2 + r with |r| <= ln2/2, a degree-6 polynomial in r
 * (about 1 ulp), then 2^n applied as two exact factors so subnormal results round only once.
 * exp(NaN) = NaN, exp(x > ln(FLT_MAX)) = +inf, exp(x < ln(2^-150)) = 0, as backend-js gives. */
#include <wasm_simd128.h>

static inline v128_t exp_f32x4(v128_t x) {
  const v128_t hi = wasm_f32x4_splat(88.72283935546875f), lo = wasm_f32x4_splat(-103.97208404541016f);
  /* pmax/pmin keep NaN in x; it is patched at the end */
  v128_t xc = wasm_f32x4_pmin(wasm_f32x4_pmax(x, lo), hi);
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(xc, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  v128_t y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r), wasm_f32x4_splat(1.0f));
  /* n in [-150, 128]: 2^n = 2^n1 * 2^n2 with both halves in the normal exponent range */
  v128_t ni = wasm_i32x4_trunc_sat_f32x4(n);
  v128_t n1 = wasm_i32x4_shr(ni, 1), n2 = wasm_i32x4_sub(ni, n1);
  v128_t bias = wasm_i32x4_splat(127);
  v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, bias), 23), s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, bias), 23);
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, s1), s2);
  y = wasm_v128_bitselect(wasm_f32x4_splat(__builtin_inff()), y, wasm_f32x4_gt(x, hi));
  y = wasm_v128_andnot(y, wasm_f32x4_lt(x, lo));
  return wasm_v128_bitselect(x, y, wasm_f32x4_ne(x, x));
}

static void exp_f32_dense(float *out, const float *x, int64_t n) {
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, exp_f32x4(wasm_v128_load(x + i)));
  if (i < n) {
    float t[4] = {0, 0, 0, 0};
    for (int64_t k = i; k < n; k++) t[k - i] = x[k];
    wasm_v128_store(t, exp_f32x4(wasm_v128_load(t)));
    for (int64_t k = i; k < n; k++) out[k] = t[k - i];
  }
}

/* Row-major without gaps (size-1 dims ignored). */
static int dense(const nb_view *v) {
  int64_t s = 1;
  for (int d = v->ndim - 1; d >= 0; d--) {
    if (v->shape[d] == 1) continue;
    if (v->strides[d] != s) return 0;
    s *= v->shape[d];
  }
  return 1;
}
