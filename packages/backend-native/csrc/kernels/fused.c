/* Fused kernels: softmax family over contiguous rows (max-subtracted log-sum-exp in double), linear
 * (GEMM + bias + relu) and PyTorch's SGD / Adam updates, mirroring backend-js's roundings (each stored
 * value is rounded once and re-read, as the reference does). Floats only. */
#include "nbmath.h"

#define FT float
#define FSFX _f32
#define FSQRT __builtin_sqrtf
#include "fused_tmpl.h"
#undef FT
#undef FSFX
#undef FSQRT
#define FT double
#define FSFX _f64
#define FSQRT __builtin_sqrt
#include "fused_tmpl.h"
#undef FT
#undef FSFX
#undef FSQRT

#define DISPATCH(call32, call64)                                                       \
  switch (out->dtype) {                                                                \
    case NB_F32: return call32;                                                        \
    case NB_F64: return call64;                                                        \
    default: return NB_EUNSUPPORTED;                                                   \
  }

NB_API int softmax(const nb_view *out, const nb_view *x, int64_t start, int64_t end) {
  DISPATCH(softmax_rows_f32(out, x, 0, start, end), softmax_rows_f64(out, x, 0, start, end))
}
NB_API int logSoftmax(const nb_view *out, const nb_view *x, int64_t start, int64_t end) {
  DISPATCH(softmax_rows_f32(out, x, 1, start, end), softmax_rows_f64(out, x, 1, start, end))
}
NB_API int softmaxCrossEntropy(const nb_view *out, const nb_view *x, const nb_view *target, int64_t *bad, int64_t start, int64_t end) {
  DISPATCH(sce_rows_f32(out, x, target, 0, bad, start, end), sce_rows_f64(out, x, target, 0, bad, start, end))
}
NB_API int softmaxCrossEntropyBackward(const nb_view *out, const nb_view *x, const nb_view *target, const nb_view *g,
                                       int64_t *bad, int64_t start, int64_t end) {
  DISPATCH(sce_rows_f32(out, x, target, g, bad, start, end), sce_rows_f64(out, x, target, g, bad, start, end))
}
NB_API int linear(const nb_view *out, const nb_view *x, const nb_view *w, const nb_view *bias, int relu, void *ws, int64_t start, int64_t end) {
  DISPATCH(linear_rows_f32(out, x, w, bias, relu, ws, start, end), linear_rows_f64(out, x, w, bias, relu, ws, start, end))
}
NB_API int sgdUpdate(const nb_view *param, const nb_view *grad, const nb_view *buf, const nb_sgd_params *o, int64_t start, int64_t end) {
  const nb_view *out = param;
  DISPATCH(sgd_f32(param, grad, buf, o, start, end), sgd_f64(param, grad, buf, o, start, end))
}
NB_API int adamUpdate(const nb_view *param, const nb_view *grad, const nb_view *m, const nb_view *v, const nb_adam_params *o,
                      int64_t start, int64_t end) {
  const nb_view *out = param;
  DISPATCH(adam_f32(param, grad, m, v, o, start, end), adam_f64(param, grad, m, v, o, start, end))
}

#undef DISPATCH
