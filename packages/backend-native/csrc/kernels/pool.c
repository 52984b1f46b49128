/* maxPool2d, avgPool2d and avgPool2dBackward over [N,C,H,W] planes (PyTorch's rules, as backend-js):
 * max pads with -inf, reports flat h*W+w indices, a larger value or any NaN replaces the current one;
 * average divides by the taps inside the padded input (countIncludePad) or inside the real input.
 * Planes [start, end) of N*C; x/dy any strides, outputs contiguous. Values go through double. */
#include "nabla.h"

NB_INLINE double ld(const nb_view *v, int64_t off) {
  switch (v->dtype) {
    case NB_F32: return ((const float *)v->data)[off];
    case NB_F64: return ((const double *)v->data)[off];
    case NB_I32: return ((const int32_t *)v->data)[off];
    default: return ((const uint8_t *)v->data)[off];
  }
}
NB_INLINE void st(const nb_view *v, int64_t off, double x) {
  switch (v->dtype) {
    case NB_F32: ((float *)v->data)[off] = (float)x; break;
    case NB_F64: ((double *)v->data)[off] = x; break;
    case NB_I32: ((int32_t *)v->data)[off] = x != x ? 0 : x >= 2147483647.0 ? INT32_MAX : x <= -2147483648.0 ? INT32_MIN : (int32_t)x; break;
    default: ((uint8_t *)v->data)[off] = x != 0; break;
  }
}
/* element offset of plane pl = n*C + c of a 4-d view, hoisted out of the window loops */
NB_INLINE int64_t plane(const nb_view *v, int64_t pl) {
  int64_t C = v->shape[1];
  return v->offset + (pl / C) * v->strides[0] + (pl % C) * v->strides[1];
}

/* One max-pooled plane with typed loads (the window loops dominate, so no per-element dtype switch). */
#define MAXPOOL_PLANE(NAME, T)                                                                           \
  static void NAME(const nb_view *out, const nb_view *indices, const nb_view *x, const nb_pool_params *p, int64_t pl) { \
    const int64_t H = x->shape[2], W = x->shape[3], Ho = out->shape[2], Wo = out->shape[3];              \
    const int64_t sh = p->stride[0], sw = p->stride[1], ph = p->padding[0], pw = p->padding[1];          \
    const int64_t dh = p->dilation[0], dw = p->dilation[1], s2 = x->strides[2], s3 = x->strides[3];      \
    const T *xp = (const T *)x->data + plane(x, pl);                                                     \
    const int64_t ob = plane(out, pl), ib = plane(indices, pl);                                          \
    int32_t *ix = (int32_t *)indices->data;                                                              \
    for (int64_t oh = 0; oh < Ho; oh++) {                                                                \
      int64_t h0 = oh * sh - ph;                                                                         \
      while (h0 < 0) h0 += dh;                                                                           \
      for (int64_t ow = 0; ow < Wo; ow++) {                                                              \
        int64_t w0 = ow * sw - pw;                                                                       \
        while (w0 < 0) w0 += dw;                                                                         \
        double best = -__builtin_inf();                                                                  \
        int64_t bi = h0 * W + w0;                                                                        \
        for (int64_t i = 0; i < p->kernel[0]; i++) {                                                     \
          int64_t ih = oh * sh - ph + i * dh;                                                            \
          if (ih < 0 || ih >= H) continue;                                                               \
          for (int64_t j = 0; j < p->kernel[1]; j++) {                                                   \
            int64_t iw = ow * sw - pw + j * dw;                                                          \
            if (iw < 0 || iw >= W) continue;                                                             \
            double v = xp[ih * s2 + iw * s3];                                                            \
            if (v > best || v != v) {                                                                    \
              best = v;                                                                                  \
              bi = ih * W + iw;                                                                          \
            }                                                                                            \
          }                                                                                              \
        }                                                                                                \
        st(out, ob + oh * out->strides[2] + ow * out->strides[3], best);                                 \
        ix[ib + oh * indices->strides[2] + ow * indices->strides[3]] = (int32_t)bi;                      \
      }                                                                                                  \
    }                                                                                                    \
  }
MAXPOOL_PLANE(maxpool_f32, float)
MAXPOOL_PLANE(maxpool_f64, double)
MAXPOOL_PLANE(maxpool_i32, int32_t)
MAXPOOL_PLANE(maxpool_b, uint8_t)
typedef void (*maxpool_plane)(const nb_view *, const nb_view *, const nb_view *, const nb_pool_params *, int64_t);
static const maxpool_plane MAXPOOL_TABLE[NB_NDTYPES] = {maxpool_f32, maxpool_f64, maxpool_i32, maxpool_b};

NB_API int maxPool2d(const nb_view *out, const nb_view *indices, const nb_view *x, const nb_pool_params *p, int64_t start, int64_t end) {
  for (int64_t pl = start; pl < end; pl++) MAXPOOL_TABLE[x->dtype](out, indices, x, p, pl);
  return NB_OK;
}

/* Sum (or scatter) over the taps of window (oh, ow); returns the divisor. */
static double avg_window(const nb_view *x, const nb_pool_params *p, int64_t xb, int64_t oh, int64_t ow, int64_t H, int64_t W,
                         double *sum, double *dx, double g) {
  const int64_t ph = p->padding[0], pw = p->padding[1];
  int64_t inside = 0, padded = 0;
  for (int64_t i = 0; i < p->kernel[0]; i++) {
    int64_t ih = oh * p->stride[0] - ph + i * p->dilation[0];
    if (ih < -ph || ih >= H + ph) continue;
    for (int64_t j = 0; j < p->kernel[1]; j++) {
      int64_t iw = ow * p->stride[1] - pw + j * p->dilation[1];
      if (iw < -pw || iw >= W + pw) continue;
      padded++;
      if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
      inside++;
    }
  }
  double div = (double)(p->count_include_pad ? padded : inside);
  for (int64_t i = 0; i < p->kernel[0]; i++) {
    int64_t ih = oh * p->stride[0] - ph + i * p->dilation[0];
    if (ih < 0 || ih >= H) continue;
    for (int64_t j = 0; j < p->kernel[1]; j++) {
      int64_t iw = ow * p->stride[1] - pw + j * p->dilation[1];
      if (iw < 0 || iw >= W) continue;
      if (dx) dx[ih * W + iw] += g / div;
      else *sum += ld(x, xb + ih * x->strides[2] + iw * x->strides[3]);
    }
  }
  return div;
}

NB_API int avgPool2d(const nb_view *out, const nb_view *x, const nb_pool_params *p, int64_t start, int64_t end) {
  const int64_t H = x->shape[2], W = x->shape[3], Ho = out->shape[2], Wo = out->shape[3];
  for (int64_t pl = start; pl < end; pl++) {
    const int64_t xb = plane(x, pl), ob = plane(out, pl);
    for (int64_t oh = 0; oh < Ho; oh++)
      for (int64_t ow = 0; ow < Wo; ow++) {
        double s = 0;
        double div = avg_window(x, p, xb, oh, ow, H, W, &s, 0, 0);
        st(out, ob + oh * out->strides[2] + ow * out->strides[3], s / div);
      }
  }
  return NB_OK;
}

/* Each dx plane is accumulated in a double scratch of H*W (ws) and stored once. */
NB_API int avgPool2dBackward(const nb_view *out, const nb_view *dy, const nb_pool_params *p, void *ws, int64_t start, int64_t end) {
  const int64_t H = out->shape[2], W = out->shape[3], Ho = dy->shape[2], Wo = dy->shape[3];
  double *acc = (double *)ws;
  for (int64_t pl = start; pl < end; pl++) {
    const int64_t gb = plane(dy, pl), ob = plane(out, pl);
    for (int64_t i = 0; i < H * W; i++) acc[i] = 0;
    for (int64_t oh = 0; oh < Ho; oh++)
      for (int64_t ow = 0; ow < Wo; ow++)
        avg_window(out, p, ob, oh, ow, H, W, 0, acc, ld(dy, gb + oh * dy->strides[2] + ow * dy->strides[3]));
    for (int64_t h = 0; h < H; h++)
      for (int64_t w = 0; w < W; w++) st(out, ob + h * out->strides[2] + w * out->strides[3], acc[h * W + w]);
  }
  return NB_OK;
}
