/* conv2d and its two backward kernels. Floats: im2col + packed GEMM (conv_tmpl.h); int32 wraps and bool is
 * the int32 result != 0, by direct loops (as backend-js). Outputs are contiguous; inputs any strides. */
#include "nabla.h"

typedef struct {
  int64_t N, C, H, W, O, Cg, KH, KW, Ho, Wo, Og;
} cgeo;

/* x-like [N,C,H,W], w [O,C/g,KH,KW], y-like [N,O,Ho,Wo] */
static cgeo geometry(const nb_view *x, const nb_view *w, const nb_view *y, int64_t groups) {
  cgeo g = {x->shape[0], x->shape[1], x->shape[2], x->shape[3], w->shape[0], w->shape[1], w->shape[2], w->shape[3],
            y->shape[2], y->shape[3], w->shape[0] / groups};
  return g;
}

typedef struct {
  char *w, *col, *tmp;
} conv_scratch;

static int64_t conv_max(int64_t a, int64_t b) { return a > b ? a : b; }

/* After the GEMM workspace: dense weight, column matrix, and a dense copy of one dy sample. */
static conv_scratch scratch(void *ws, const cgeo *g, size_t esz) {
  conv_scratch s;
  int64_t wElems = g->O * g->Cg * g->KH * g->KW;
  int64_t colElems = conv_max(g->Cg * g->KH * g->KW * g->Ho * g->Wo, g->O * g->Ho * g->Wo);
  s.w = (char *)ws + ((matmul_workspace_bytes() + 63) & ~(size_t)63);
  s.col = s.w + ((wElems * esz + 63) & ~(size_t)63);
  s.tmp = s.col + ((colElems * esz + 63) & ~(size_t)63);
  return s;
}

NB_API size_t conv_workspace_bytes(const nb_view *x, const nb_view *w, const nb_view *y) {
  cgeo g = geometry(x, w, y, 1);
  int64_t wElems = g.O * g.Cg * g.KH * g.KW;
  int64_t colElems = conv_max(g.Cg * g.KH * g.KW * g.Ho * g.Wo, g.O * g.Ho * g.Wo);
  return (size_t)(wElems + colElems + g.O * g.Ho * g.Wo) * 8 + 256;
}

#define CT float
#define CSFX _f32
#include "conv_tmpl.h"
#undef CT
#undef CSFX
#define CT double
#define CSFX _f64
#include "conv_tmpl.h"
#undef CT
#undef CSFX

NB_INLINE uint32_t ldi(const nb_view *v, int64_t n, int64_t c, int64_t h, int64_t w) {
  int64_t off = v->offset + n * v->strides[0] + c * v->strides[1] + h * v->strides[2] + w * v->strides[3];
  return v->dtype == NB_I32 ? (uint32_t)((const int32_t *)v->data)[off] : ((const uint8_t *)v->data)[off];
}

/* Integer convolutions: every (input, tap, output) triple once; mode 0 = forward, 1 = dx, 2 = dw.
 * Accumulates in a uint32 scratch laid out like the output, then stores (bool: != 0). */
static void conv_int(int mode, const nb_view *out, const nb_view *xv, const nb_view *wv, const nb_view *yv,
                     const nb_conv_params *p, uint32_t *acc) {
  cgeo g = geometry(xv, wv, yv, p->groups);
  int64_t total = nb_numel(out);
  for (int64_t i = 0; i < total; i++) acc[i] = 0;
  for (int64_t n = 0; n < g.N; n++)
    for (int64_t o = 0; o < g.O; o++) {
      int64_t grp = o / g.Og;
      for (int64_t c = 0; c < g.Cg; c++)
        for (int64_t ki = 0; ki < g.KH; ki++)
          for (int64_t kj = 0; kj < g.KW; kj++)
            for (int64_t oh = 0; oh < g.Ho; oh++) {
              int64_t ih = oh * p->stride[0] - p->padding[0] + ki * p->dilation[0];
              if (ih < 0 || ih >= g.H) continue;
              for (int64_t ow = 0; ow < g.Wo; ow++) {
                int64_t iw = ow * p->stride[1] - p->padding[1] + kj * p->dilation[1];
                if (iw < 0 || iw >= g.W) continue;
                int64_t xi = ((n * g.C + grp * g.Cg + c) * g.H + ih) * g.W + iw;
                int64_t wi = ((o * g.Cg + c) * g.KH + ki) * g.KW + kj;
                int64_t yi = ((n * g.O + o) * g.Ho + oh) * g.Wo + ow;
                if (mode == 0) acc[yi] += ldi(xv, n, grp * g.Cg + c, ih, iw) * ldi(wv, o, c, ki, kj);
                else if (mode == 1) acc[xi] += ldi(yv, n, o, oh, ow) * ldi(wv, o, c, ki, kj);
                else acc[wi] += ldi(xv, n, grp * g.Cg + c, ih, iw) * ldi(yv, n, o, oh, ow);
              }
            }
    }
  for (int64_t i = 0; i < total; i++) {
    if (out->dtype == NB_I32) ((int32_t *)out->data)[out->offset + i] = (int32_t)acc[i];
    else ((uint8_t *)out->data)[out->offset + i] = acc[i] != 0;
  }
}

/* Integer paths run whole (start == 0 only) with the scratch after the GEMM workspace. */
static uint32_t *int_scratch(void *ws) { return (uint32_t *)((char *)ws + ((matmul_workspace_bytes() + 63) & ~(size_t)63)); }

NB_API int conv2d(const nb_view *out, const nb_view *x, const nb_view *w, const nb_conv_params *p, void *ws, int64_t start, int64_t end) {
  if (x->dtype == NB_F32) conv_fwd_f32(out, x, w, p, ws, start, end);
  else if (x->dtype == NB_F64) conv_fwd_f64(out, x, w, p, ws, start, end);
  else if (start == 0) conv_int(0, out, x, w, out, p, int_scratch(ws));
  return NB_OK;
}

NB_API int conv2dBackwardInput(const nb_view *out, const nb_view *dy, const nb_view *w, const nb_conv_params *p, void *ws, int64_t start, int64_t end) {
  if (dy->dtype == NB_F32) conv_bwd_input_f32(out, dy, w, p, ws, start, end);
  else if (dy->dtype == NB_F64) conv_bwd_input_f64(out, dy, w, p, ws, start, end);
  else if (start == 0) conv_int(1, out, out, w, dy, p, int_scratch(ws));
  return NB_OK;
}

NB_API int conv2dBackwardWeight(const nb_view *out, const nb_view *x, const nb_view *dy, const nb_conv_params *p, void *ws) {
  if (x->dtype == NB_F32) conv_bwd_weight_f32(out, x, dy, p, ws);
  else if (x->dtype == NB_F64) conv_bwd_weight_f64(out, x, dy, p, ws);
  else conv_int(2, out, x, out, dy, p, int_scratch(ws));
  return NB_OK;
}
