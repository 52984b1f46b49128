/* The kernel library's one header: views, dtypes, op codes and every kernel entry point.
 * Freestanding C11 (stdint/stddef only) so the same sources build natively and for wasm32. */
#ifndef NABLA_H
#define NABLA_H
#include <stddef.h>
#include <stdint.h>

/* Kernel entry points are static inside a per-ISA amalgamation (addon/isa_*.c) and public elsewhere (wasm). */
#ifndef NB_API
#define NB_API
#endif
#define NB_INLINE static inline __attribute__((always_inline))

#define NB_MAXDIM 16

/* Codes shared with src/codes.ts: the order of core's DTYPES and op lists. */
enum { NB_F32 = 0, NB_F64 = 1, NB_I32 = 2, NB_BOOL = 3, NB_NDTYPES = 4 };

enum {
  U_NEG, U_ABS, U_SIGN, U_RECIPROCAL, U_SQUARE, U_SQRT, U_RSQRT, U_EXP, U_EXPM1, U_LOG, U_LOG1P,
  U_SIN, U_COS, U_TANH, U_ERF, U_SIGMOID, U_RELU, U_GELU, U_SOFTPLUS, U_FLOOR, U_CEIL, U_ROUND,
  U_LOGICALNOT, NB_NUNARY
};
enum {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_MOD, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE,
  B_LOGICALAND, B_LOGICALOR, NB_NBINARY
};
enum { R_SUM, R_PROD, R_MAX, R_MIN, NB_NREDUCE };
enum { A_ARGMAX, A_ARGMIN };
enum { D_UNIFORM, D_NORMAL };

/* Kernel status codes; the addon turns them into `[op] ...` errors. */
enum { NB_OK = 0, NB_EUNSUPPORTED = 1, NB_EINDEX = 2 };

/* A strided view: element i of the logical array lives at data[offset + sum(idx[d] * strides[d])]. */
typedef struct {
  void *data;
  int32_t dtype;
  int32_t ndim;
  int64_t offset;
  int64_t shape[NB_MAXDIM];
  int64_t strides[NB_MAXDIM];
} nb_view;

typedef struct {
  int64_t stride[2], padding[2], dilation[2], groups;
} nb_conv_params;

typedef struct {
  int64_t kernel[2], stride[2], padding[2], dilation[2];
  int32_t count_include_pad;
} nb_pool_params;

typedef struct {
  double lr, momentum, dampening, weight_decay;
  int32_t nesterov, has_buffer;
} nb_sgd_params;

typedef struct {
  double lr, beta1, beta2, eps, weight_decay;
  int32_t decoupled;
  int64_t step;
} nb_adam_params;

static inline int64_t nb_numel(const nb_view *v) {
  int64_t n = 1;
  for (int i = 0; i < v->ndim; i++) n *= v->shape[i];
  return n;
}
static inline int nb_dtype_size(int32_t dtype) {
  static const int sizes[NB_NDTYPES] = {4, 8, 4, 1};
  return sizes[dtype];
}

/* Elementwise kernels compute the output elements [start, end) in row-major order, so the
 * addon's thread pool can split any of them without knowing the op. */
#define NB_RANGE int64_t start, int64_t end
NB_API int unary(int op, const nb_view *out, const nb_view *x, NB_RANGE);
NB_API int binary(int op, const nb_view *out, const nb_view *a, const nb_view *b, NB_RANGE);
NB_API int where(const nb_view *out, const nb_view *cond, const nb_view *a, const nb_view *b, NB_RANGE);
NB_API int cast(const nb_view *out, const nb_view *x, NB_RANGE);
NB_API int copy(const nb_view *out, const nb_view *x, NB_RANGE);
/* Reductions split over output elements. `axes` is a bitmask of reduced dims of x. */
NB_API int reduce(int op, const nb_view *out, const nb_view *x, uint32_t axes, NB_RANGE);
NB_API int argReduce(int op, const nb_view *out, const nb_view *x, int axis, NB_RANGE);
/* Batched matmul over the output rows [start, end) of the flattened [B*M] row space.
 * `ws` is a 64-byte aligned scratch of matmul_workspace_bytes() bytes, private to the caller. */
NB_API size_t matmul_workspace_bytes(void);
NB_API int matmul(const nb_view *out, const nb_view *a, const nb_view *b, void *ws, NB_RANGE);
/* Plain f32/f64 GEMM on contiguous row-major data with leading dims: C[m,n] (+)= A[m,k] B[k,n]. */
NB_API void gemm_f32(int64_t m, int64_t n, int64_t k, const float *a, int64_t rsa, int64_t csa,
                     const float *b, int64_t rsb, int64_t csb, float *c, int64_t ldc, int accumulate, void *ws);
NB_API void gemm_f64(int64_t m, int64_t n, int64_t k, const double *a, int64_t rsa, int64_t csa,
                     const double *b, int64_t rsb, int64_t csb, double *c, int64_t ldc, int accumulate, void *ws);
/* gather/scatterAdd validate every index first (returning NB_EINDEX with *bad set) and only then write. */
NB_API int gather(const nb_view *out, const nb_view *x, int dim, const nb_view *index, int64_t *bad);
NB_API int scatterAdd(const nb_view *out, int dim, const nb_view *index, const nb_view *src, int64_t *bad);
NB_API int fillRandom(const nb_view *out, int dist, uint32_t seed, uint32_t counter, NB_RANGE);
/* Convolutions split over the batch [start, end); ws holds matmul_workspace_bytes() and then
 * conv_workspace_bytes() more (the column matrix and a dense copy of the weight). */
NB_API size_t conv_workspace_bytes(const nb_view *x, const nb_view *w, const nb_view *y);
NB_API int conv2d(const nb_view *out, const nb_view *x, const nb_view *w, const nb_conv_params *p, void *ws, NB_RANGE);
NB_API int conv2dBackwardInput(const nb_view *out, const nb_view *dy, const nb_view *w, const nb_conv_params *p, void *ws, NB_RANGE);
/* The weight gradient sums over the batch, so it runs single-task; ws as for conv2d. */
NB_API int conv2dBackwardWeight(const nb_view *out, const nb_view *x, const nb_view *dy, const nb_conv_params *p, void *ws);
/* Pooling splits over the N*C planes [start, end). */
NB_API int maxPool2d(const nb_view *out, const nb_view *indices, const nb_view *x, const nb_pool_params *p, NB_RANGE);
NB_API int avgPool2d(const nb_view *out, const nb_view *x, const nb_pool_params *p, NB_RANGE);
/* ws holds H*W doubles (one dx plane). */
NB_API int avgPool2dBackward(const nb_view *out, const nb_view *dy, const nb_pool_params *p, void *ws, NB_RANGE);
/* Fused kernels on contiguous rows, split over rows [start, end). */
NB_API int softmax(const nb_view *out, const nb_view *x, NB_RANGE);
NB_API int logSoftmax(const nb_view *out, const nb_view *x, NB_RANGE);
NB_API int softmaxCrossEntropy(const nb_view *out, const nb_view *x, const nb_view *target, int64_t *bad, NB_RANGE);
NB_API int softmaxCrossEntropyBackward(const nb_view *out, const nb_view *x, const nb_view *target, const nb_view *g,
                                       int64_t *bad, NB_RANGE);
NB_API int linear(const nb_view *out, const nb_view *x, const nb_view *w, const nb_view *bias, int relu, void *ws, NB_RANGE);
/* Optimizer updates split over elements [start, end). */
NB_API int sgdUpdate(const nb_view *param, const nb_view *grad, const nb_view *buf, const nb_sgd_params *o, NB_RANGE);
NB_API int adamUpdate(const nb_view *param, const nb_view *grad, const nb_view *m, const nb_view *v,
                      const nb_adam_params *o, NB_RANGE);

#endif
