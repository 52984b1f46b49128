/* matmul: batched a [B,M,K] @ b [B,K,N] -> out [B,M,N] on strided views. Floats use the packed GEMM of
 * gemm.h (f32 accumulates in f32 registers); int32 wraps, bool is the int32 result != 0. */
#include "nabla.h"

/* Register and cache blocking per ISA: MR rows x (2 vectors) columns of C live in registers. */
#if defined(__AVX512F__)
#define NB_VBYTES 64
#define NB_MR 14
#elif defined(__AVX__)
#define NB_VBYTES 32
#define NB_MR 6
#elif defined(__wasm__)
/* wasm simd128 (backend-wasm): V8 has 16 vector registers; a 4x8 tile (8 accumulators) measured
 * about 2x faster than 6x8, whose 12 accumulators + operands spill. */
#define NB_VBYTES 16
#define NB_MR 4
#else
#define NB_VBYTES 16
#define NB_MR 6
#endif
#ifndef NB_KC
#define NB_KC 256
#endif
#ifndef NB_MC
#define NB_MC (NB_MR * 12)
#endif
#ifndef NB_NC
#define NB_NC 1024
#endif

#define GT float
#define GSFX _f32
#include "gemm.h"
#undef GT
#undef GSFX
#define GT double
#define GSFX _f64
#include "gemm.h"
#undef GT
#undef GSFX

NB_API size_t matmul_workspace_bytes(void) {
  return (size_t)(NB_KC * NB_NC + NB_MC * NB_KC) * sizeof(double) + 64;
}

static void matmul_int(int64_t m, int64_t n, int64_t k, const char *a, int64_t rsa, int64_t csa, const char *b,
                       int64_t rsb, int64_t csb, char *c, int64_t rsc, int64_t csc, int dtype) {
  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++) {
      uint32_t acc = 0;
      for (int64_t p = 0; p < k; p++) {
        int64_t ia = i * rsa + p * csa, ib = p * rsb + j * csb;
        uint32_t x = dtype == NB_I32 ? (uint32_t)((const int32_t *)a)[ia] : ((const uint8_t *)a)[ia];
        uint32_t y = dtype == NB_I32 ? (uint32_t)((const int32_t *)b)[ib] : ((const uint8_t *)b)[ib];
        acc += x * y;
      }
      if (dtype == NB_I32) ((int32_t *)c)[i * rsc + j * csc] = (int32_t)acc;
      else ((uint8_t *)c)[i * rsc + j * csc] = acc != 0;
    }
}

NB_API int matmul(const nb_view *out, const nb_view *a, const nb_view *b, void *ws, int64_t start, int64_t end) {
  const int64_t M = a->shape[1], K = a->shape[2], N = b->shape[2];
  const int es = nb_dtype_size(a->dtype);
  for (int64_t row = start; row < end;) {
    int64_t bi = row / M, i0 = row % M;
    int64_t rows = M - i0 < end - row ? M - i0 : end - row;
    const char *ap = (const char *)a->data + (a->offset + bi * a->strides[0] + i0 * a->strides[1]) * es;
    const char *bp = (const char *)b->data + (b->offset + bi * b->strides[0]) * es;
    char *cp = (char *)out->data + (out->offset + bi * out->strides[0] + i0 * out->strides[1]) * es;
    switch (a->dtype) {
      case NB_F32:
        gemm_strided_f32(rows, N, K, (const float *)ap, a->strides[1], a->strides[2], (const float *)bp, b->strides[1],
                         b->strides[2], (float *)cp, out->strides[1], out->strides[2], 0, ws);
        break;
      case NB_F64:
        gemm_strided_f64(rows, N, K, (const double *)ap, a->strides[1], a->strides[2], (const double *)bp,
                         b->strides[1], b->strides[2], (double *)cp, out->strides[1], out->strides[2], 0, ws);
        break;
      default:
        matmul_int(rows, N, K, ap, a->strides[1], a->strides[2], bp, b->strides[1], b->strides[2], cp,
                   out->strides[1], out->strides[2], a->dtype);
        break;
    }
    row += rows;
  }
  return NB_OK;
}
