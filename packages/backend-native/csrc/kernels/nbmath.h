/* Freestanding, branch-free (so vectorisable) double-precision elementary functions.
 * float32 kernels evaluate these in double and round once, which matches the reference
 * backend (JS computes in double then rounds with Math.fround). Specials follow IEEE/C99. */
#ifndef NABLA_MATH_H
#define NABLA_MATH_H
#include "nabla.h"

NB_INLINE uint64_t d2u(double x) { union { double d; uint64_t u; } v = {x}; return v.u; }
NB_INLINE double u2d(uint64_t x) { union { uint64_t u; double d; } v = {x}; return v.d; }
NB_INLINE uint32_t f2u(float x) { union { float f; uint32_t u; } v = {x}; return v.u; }
NB_INLINE float u2f(uint32_t x) { union { uint32_t u; float f; } v = {x}; return v.f; }

#define NB_INF u2d(0x7ff0000000000000ull)
#define NB_NAN u2d(0x7ff8000000000000ull)
#define NB_SIGN 0x8000000000000000ull

NB_INLINE double nb_fabs(double x) { return u2d(d2u(x) & ~NB_SIGN); }
NB_INLINE double nb_copysign(double x, double s) { return u2d((d2u(x) & ~NB_SIGN) | (d2u(s) & NB_SIGN)); }
NB_INLINE int nb_isnan(double x) { return x != x; }

/* Round to nearest, ties to even (the FPU's default mode does the work); exact for |x| >= 2^51. */
NB_INLINE double nb_rint(double x) {
  const double magic = 6755399441055744.0; /* 1.5 * 2^52 */
  double y = (x + magic) - magic;
  return nb_fabs(x) < 2251799813685248.0 ? nb_copysign(y, x) : x;
}
NB_INLINE double nb_floor(double x) { double r = nb_rint(x); r = r > x ? r - 1.0 : r; return nb_copysign(r, x); }
NB_INLINE double nb_ceil(double x) { double r = nb_rint(x); r = r < x ? r + 1.0 : r; return nb_copysign(r, x); }
NB_INLINE double nb_trunc(double x) { return x < 0 ? nb_ceil(x) : nb_floor(x); }

/* 2^n for integral double n in [-1022, 1023], built from bits without an int conversion. */
NB_INLINE double nb_pow2i(double n) {
  return u2d(d2u(n + 1023.0 + 6755399441055744.0) << 52);
}

#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define LOG2E 1.44269504088896338700e+00

/* expm1 of |r| <= 0.35 by its Taylor series to r^14 (error below 2^-60). */
NB_INLINE double nb_expm1_small(double r) {
  double p = 1.0 / 87178291200.0;
  p = p * r + 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  return r + r * r * p;
}

NB_INLINE double nb_exp(double x) {
  double xc = x > 709.8 ? 709.8 : x < -745.2 ? -745.2 : x;
  xc = xc == xc ? xc : 0.0;
  double n = nb_rint(xc * LOG2E);
  double r = (xc - n * LN2_HI) - n * LN2_LO;
  double p = 1.0 + nb_expm1_small(r);
  /* split 2^n in two factors so n in [-1075, 1024] stays representable */
  double n1 = nb_rint(n * 0.5 - 0.25);
  double res = p * nb_pow2i(n1) * nb_pow2i(n - n1);
  return x == x ? res : x;
}

/* float32 exp in single precision (within 2 ulp of the correctly rounded value): twice the lanes of
 * the double version and no conversions; the float32 exp and sigmoid rows use it. */
NB_INLINE float nb_rintf(float x) {
  const float magic = 12582912.0f; /* 1.5 * 2^23 */
  return (x + magic) - magic;      /* callers keep |x| < 2^22 */
}
NB_INLINE float nb_pow2if(float n) { return u2f(f2u(n + 127.0f + 12582912.0f) << 23); }
NB_INLINE float nb_expf(float x) {
  float xc = x > 88.8f ? 88.8f : x < -104.0f ? -104.0f : x;
  xc = xc == xc ? xc : 0.0f;
  float n = nb_rintf(xc * 1.44269504f);
  float r = (xc - n * 0.693145751953125f) - n * 1.428606820309417e-6f;
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r * r + r;
  float n1 = nb_rintf(n * 0.5f - 0.25f);
  float res = (1.0f + p) * nb_pow2if(n1) * nb_pow2if(n - n1);
  return x == x ? res : x;
}

NB_INLINE double nb_expm1(double x) {
  double xc = x > 709.0 ? 709.0 : x < -40.0 ? -40.0 : x;
  xc = xc == xc ? xc : 0.0;
  double n = nb_rint(xc * LOG2E);
  double r = (xc - n * LN2_HI) - n * LN2_LO;
  double q = nb_expm1_small(r);
  double t = nb_pow2i(n);
  double res = t * q + (t - 1.0);
  res = x > 709.0 ? nb_exp(x) : res;
  res = x < -40.0 ? -1.0 : res;
  res = x == 0.0 ? x : res; /* keeps -0 */
  return x == x ? res : x;
}

NB_INLINE double nb_log(double x) {
  int sub = x < 2.2250738585072014e-308;
  double xs = sub ? x * 18014398509481984.0 : x; /* 2^54 */
  uint64_t u = d2u(xs);
  double e = u2d(0x4330000000000000ull | ((u >> 52) & 0x7ff)) - 4503599627370496.0 - 1023.0 - (sub ? 54.0 : 0.0);
  double m = u2d((u & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
  int big = m > 1.4142135623730951;
  m = big ? m * 0.5 : m;
  e = big ? e + 1.0 : e;
  double f = (m - 1.0) / (m + 1.0), s = f * f;
  double p = 1.0 / 25;
  p = p * s + 1.0 / 23;
  p = p * s + 1.0 / 21;
  p = p * s + 1.0 / 19;
  p = p * s + 1.0 / 17;
  p = p * s + 1.0 / 15;
  p = p * s + 1.0 / 13;
  p = p * s + 1.0 / 11;
  p = p * s + 1.0 / 9;
  p = p * s + 1.0 / 7;
  p = p * s + 1.0 / 5;
  p = p * s + 1.0 / 3;
  double lm = 2.0 * f + 2.0 * f * s * p;
  double res = e * LN2_HI + (lm + e * LN2_LO);
  res = x == 0.0 ? -NB_INF : res;
  res = x < 0.0 ? NB_NAN : res;
  res = x == NB_INF ? x : res;
  return x == x ? res : x;
}

NB_INLINE double nb_log1p(double x) {
  double u = 1.0 + x;
  double res = u == 1.0 ? x : nb_log(u) * (x / (u - 1.0));
  return x == NB_INF ? x : res;
}

NB_INLINE double nb_tanh(double x) {
  double ax = nb_fabs(x);
  ax = ax > 20.0 ? 20.0 : ax;
  double t = nb_expm1(2.0 * ax);
  return nb_copysign(t / (t + 2.0), x);
}

NB_INLINE double nb_sigmoid(double x) { return 1.0 / (1.0 + nb_exp(-x)); }

/* erf and erfc: for |x| < 2.5 the all-positive series erf(x) = 2/sqrt(pi) x e^{-x^2} sum (2x^2)^n / (2n+1)!!
 * (no cancellation); beyond, erfc's continued fraction evaluated bottom-up with a fixed depth. */
NB_INLINE double nb_erf_series(double a) {
  double a2 = 2.0 * a * a, s = 1.0;
  for (int k = 60; k >= 1; k--) s = 1.0 + a2 / (2 * k + 1) * s;
  return 1.1283791670955126 * a * nb_exp(-a * a) * s;
}
/* erfc(b) for b >= 2.5 (b <= 27: beyond, it underflows). */
NB_INLINE double nb_erfc_cf(double b) {
  double t = b;
  for (int k = 40; k >= 1; k--) t = b + (0.5 * k) / t;
  return nb_exp(-b * b) * 0.5641895835477563 / t;
}
NB_INLINE double nb_erf(double x) {
  double ax = nb_fabs(x);
  double a = ax < 2.5 ? ax : 2.5;
  double b = ax < 2.5 ? 2.5 : ax > 6.0 ? 6.0 : ax;
  double res = ax < 2.5 ? nb_erf_series(a) : 1.0 - nb_erfc_cf(b);
  res = nb_copysign(res, x);
  return x == x ? res : x;
}
NB_INLINE double nb_erfc(double x) {
  double ax = nb_fabs(x);
  double a = ax < 2.5 ? ax : 2.5;
  double b = ax < 2.5 ? 2.5 : ax > 27.0 ? 27.0 : ax;
  double tail = nb_erfc_cf(b);
  double res = ax < 2.5 ? 1.0 - nb_copysign(nb_erf_series(a), x) : (x > 0 ? tail : 2.0 - tail);
  res = x > 27.0 ? 0.0 : res; /* exactly 0, so gelu(-inf) = -inf * 0 = NaN as in the reference */
  return x == x ? res : x;
}

/* sin and cos: Cody-Waite reduction by pi/2 in three parts (exact for |x| < 2^20 pi/2), Taylor on |r| <= pi/4. */
NB_INLINE double nb_sincos(double x, int cosine) {
  double xc = nb_fabs(x) < 1e15 ? x : 0.0;
  double n = nb_rint(xc * 6.36619772367581382433e-01);
  double r = ((xc - n * 1.57079632673412561417e+00) - n * 6.07710050630396597660e-11) - n * 2.02226624871116645580e-21;
  double r2 = r * r;
  double sp = -1.0 / 121645100408832000.0;
  sp = sp * r2 + 1.0 / 355687428096000.0;
  sp = sp * r2 - 1.0 / 1307674368000.0;
  sp = sp * r2 + 1.0 / 6227020800.0;
  sp = sp * r2 - 1.0 / 39916800.0;
  sp = sp * r2 + 1.0 / 362880.0;
  sp = sp * r2 - 1.0 / 5040.0;
  sp = sp * r2 + 1.0 / 120.0;
  sp = sp * r2 - 1.0 / 6.0;
  double sn = r + r * r2 * sp;
  double cp = 1.0 / 6402373705728000.0;
  cp = cp * r2 - 1.0 / 20922789888000.0;
  cp = cp * r2 + 1.0 / 87178291200.0;
  cp = cp * r2 - 1.0 / 479001600.0;
  cp = cp * r2 + 1.0 / 3628800.0;
  cp = cp * r2 - 1.0 / 40320.0;
  cp = cp * r2 + 1.0 / 720.0;
  cp = cp * r2 - 1.0 / 24.0;
  cp = cp * r2 + 0.5;
  double cs = 1.0 - r2 * cp;
  uint64_t q = (d2u(n + 6755399441055744.0) + (uint64_t)cosine) & 3;
  double res = (q & 1) ? cs : sn;
  res = (q & 2) ? -res : res;
  res = nb_fabs(x) < 1e15 ? res : NB_NAN; /* inf and NaN give NaN; huge finite args are not supported */
  return (x == 0.0 && !cosine) ? x : res;
}

/* Exact fmod by shift-and-subtract on the significands (the result of fmod is always representable). */
static double nb_fmod(double x, double y) {
  uint64_t ux = d2u(x), uy = d2u(y), sx = ux & NB_SIGN, i;
  int ex = (int)(ux >> 52 & 0x7ff), ey = (int)(uy >> 52 & 0x7ff);
  if (y == 0.0 || ex == 0x7ff || y != y) return NB_NAN;
  ux &= ~NB_SIGN;
  uy &= ~NB_SIGN;
  if (ux <= uy) return ux == uy ? 0.0 * x : x;
  if (!ex) {
    for (i = ux << 12; i >> 63 == 0; ex--, i <<= 1) {}
    ux <<= -ex + 1;
  } else {
    ux = (ux & (~0ull >> 12)) | (1ull << 52);
  }
  if (!ey) {
    for (i = uy << 12; i >> 63 == 0; ey--, i <<= 1) {}
    uy <<= -ey + 1;
  } else {
    uy = (uy & (~0ull >> 12)) | (1ull << 52);
  }
  for (; ex > ey; ex--) {
    i = ux - uy;
    if (i >> 63 == 0) {
      if (i == 0) return 0.0 * x;
      ux = i;
    }
    ux <<= 1;
  }
  i = ux - uy;
  if (i >> 63 == 0) {
    if (i == 0) return 0.0 * x;
    ux = i;
  }
  for (; ux >> 52 == 0; ux <<= 1, ex--) {}
  if (ex > 0) ux = (ux - (1ull << 52)) | ((uint64_t)ex << 52);
  else ux >>= -ex + 1;
  return u2d(ux | sx);
}

NB_INLINE int nb_is_int(double y) { return nb_floor(y) == y; }

/* pow with C99's special cases; integral exponents up to 2^10 by squaring (exact products),
 * others as exp(y log|x|). */
static double nb_pow(double x, double y) {
  if (y == 0.0 || x == 1.0) return 1.0;
  if (x != x || y != y) return NB_NAN;
  double ay = nb_fabs(y);
  int yint = nb_is_int(y);
  int yodd = yint && ay < 9007199254740992.0 && nb_fmod(ay, 2.0) == 1.0;
  if (x < 0.0 && !yint && nb_fabs(x) != NB_INF) return NB_NAN;
  double ax = nb_fabs(x);
  double r;
  if (yint && ay <= 1024.0) {
    double base = ax, acc = 1.0;
    uint64_t e = (uint64_t)ay;
    while (e) {
      if (e & 1) acc *= base;
      base *= base;
      e >>= 1;
    }
    r = y < 0 ? 1.0 / acc : acc;
  } else if (ax == 0.0) {
    r = y < 0 ? NB_INF : 0.0;
  } else if (ax == NB_INF) {
    r = y < 0 ? 0.0 : NB_INF;
  } else if (y == NB_INF || y == -NB_INF) {
    r = ax == 1.0 ? 1.0 : ((ax > 1.0) == (y > 0) ? NB_INF : 0.0);
  } else {
    r = nb_exp(y * nb_log(ax));
  }
  return (x < 0.0 || (x == 0.0 && d2u(x) >> 63)) && yodd ? -r : r;
}

/* torch.remainder: the result takes the divisor's sign. */
NB_INLINE double nb_remainder(double a, double b) {
  double r = nb_fmod(a, b);
  return (r != 0.0 && ((r < 0.0) != (b < 0.0))) ? r + b : r;
}

#endif
