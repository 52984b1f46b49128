/* Float conv2d kernels for one element type CT (suffix CSFX): im2col + the packed GEMM per sample and group.
 * Included by conv.c once per float type. */
#define CF2(a, b) a##b
#define CF1(a, b) CF2(a, b)
#define CF(name) CF1(name, CSFX)
#define GEMM CF1(gemm_strided, CSFX)

/* col[(c*KH + i)*KW + j][oh*Wo + ow] = x[n, c0 + c, oh*sh - ph + i*dh, ow*sw - pw + j*dw] (0 outside). */
static void CF(im2col)(const nb_view *x, int64_t n, int64_t c0, int64_t Cg, const cgeo *g, const nb_conv_params *p, CT *col) {
  const CT *xd = (const CT *)x->data;
  const int64_t P = g->Ho * g->Wo;
  for (int64_t c = 0; c < Cg; c++)
    for (int64_t i = 0; i < g->KH; i++)
      for (int64_t j = 0; j < g->KW; j++) {
        CT *row = col + ((c * g->KH + i) * g->KW + j) * P;
        for (int64_t oh = 0; oh < g->Ho; oh++) {
          int64_t ih = oh * p->stride[0] - p->padding[0] + i * p->dilation[0];
          CT *r = row + oh * g->Wo;
          if (ih < 0 || ih >= g->H) {
            for (int64_t ow = 0; ow < g->Wo; ow++) r[ow] = 0;
            continue;
          }
          const CT *xr = xd + x->offset + n * x->strides[0] + (c0 + c) * x->strides[1] + ih * x->strides[2];
          for (int64_t ow = 0; ow < g->Wo; ow++) {
            int64_t iw = ow * p->stride[1] - p->padding[1] + j * p->dilation[1];
            r[ow] = (iw < 0 || iw >= g->W) ? (CT)0 : xr[iw * x->strides[3]];
          }
        }
      }
}

/* A dense [O*KH*KW... ] copy of the weight, rows O, columns Cg*KH*KW. */
static void CF(dense_w)(const nb_view *w, CT *out) {
  const CT *wd = (const CT *)w->data;
  for (int64_t o = 0; o < w->shape[0]; o++)
    for (int64_t c = 0; c < w->shape[1]; c++)
      for (int64_t i = 0; i < w->shape[2]; i++)
        for (int64_t j = 0; j < w->shape[3]; j++)
          *out++ = wd[w->offset + o * w->strides[0] + c * w->strides[1] + i * w->strides[2] + j * w->strides[3]];
}

/* Sample n of a [N,O,Ho,Wo] view as a dense [O, Ho*Wo] matrix (copied into tmp when its strides don't allow). */
static const CT *CF(plane_rows)(const nb_view *y, int64_t n, CT *tmp, int64_t *rs) {
  const CT *yd = (const CT *)y->data;
  const int64_t O = y->shape[1], Ho = y->shape[2], Wo = y->shape[3];
  if (y->strides[3] == 1 && (y->strides[2] == Wo || Ho == 1)) {
    *rs = y->strides[1];
    return yd + y->offset + n * y->strides[0];
  }
  for (int64_t o = 0; o < O; o++)
    for (int64_t h = 0; h < Ho; h++)
      for (int64_t w = 0; w < Wo; w++)
        tmp[(o * Ho + h) * Wo + w] = yd[y->offset + n * y->strides[0] + o * y->strides[1] + h * y->strides[2] + w * y->strides[3]];
  *rs = Ho * Wo;
  return tmp;
}

static void CF(conv_fwd)(const nb_view *out, const nb_view *x, const nb_view *w, const nb_conv_params *p, void *ws, int64_t start, int64_t end) {
  cgeo g = geometry(x, w, out, p->groups);
  conv_scratch s = scratch(ws, &g, sizeof(CT));
  CT *wc = (CT *)s.w, *col = (CT *)s.col;
  CF(dense_w)(w, wc);
  const int64_t P = g.Ho * g.Wo, Kd = g.Cg * g.KH * g.KW;
  CT *od = (CT *)out->data;
  for (int64_t n = start; n < end; n++)
    for (int64_t gi = 0; gi < p->groups; gi++) {
      CF(im2col)(x, n, gi * g.Cg, g.Cg, &g, p, col);
      CT *o = od + out->offset + n * out->strides[0] + gi * g.Og * out->strides[1];
      GEMM(g.Og, P, Kd, wc + gi * g.Og * Kd, Kd, 1, col, P, 1, o, out->strides[1], 1, 0, ws);
    }
}

static void CF(conv_bwd_input)(const nb_view *out, const nb_view *dy, const nb_view *w, const nb_conv_params *p, void *ws, int64_t start, int64_t end) {
  cgeo g = geometry(out, w, dy, p->groups);
  conv_scratch s = scratch(ws, &g, sizeof(CT));
  CT *wc = (CT *)s.w, *col = (CT *)s.col, *tmp = (CT *)s.tmp;
  CF(dense_w)(w, wc);
  const int64_t P = g.Ho * g.Wo, Kd = g.Cg * g.KH * g.KW;
  CT *dx = (CT *)out->data;
  for (int64_t n = start; n < end; n++) {
    CT *dxn = dx + out->offset + n * out->strides[0];
    for (int64_t i = 0; i < g.C * g.H * g.W; i++) dxn[i] = 0;
    int64_t rs;
    const CT *dyn = CF(plane_rows)(dy, n, tmp, &rs);
    for (int64_t gi = 0; gi < p->groups; gi++) {
      /* col [Kd, P] = w_g^T [Kd, Og] @ dy_g [Og, P] */
      GEMM(Kd, P, g.Og, wc + gi * g.Og * Kd, 1, Kd, dyn + gi * g.Og * rs, rs, 1, col, P, 1, 0, ws);
      for (int64_t c = 0; c < g.Cg; c++)
        for (int64_t i = 0; i < g.KH; i++)
          for (int64_t j = 0; j < g.KW; j++) {
            const CT *row = col + ((c * g.KH + i) * g.KW + j) * P;
            CT *plane = dxn + (gi * g.Cg + c) * g.H * g.W;
            for (int64_t oh = 0; oh < g.Ho; oh++) {
              int64_t ih = oh * p->stride[0] - p->padding[0] + i * p->dilation[0];
              if (ih < 0 || ih >= g.H) continue;
              for (int64_t ow = 0; ow < g.Wo; ow++) {
                int64_t iw = ow * p->stride[1] - p->padding[1] + j * p->dilation[1];
                if (iw >= 0 && iw < g.W) plane[ih * g.W + iw] += row[oh * g.Wo + ow];
              }
            }
          }
    }
  }
}

static void CF(conv_bwd_weight)(const nb_view *out, const nb_view *x, const nb_view *dy, const nb_conv_params *p, void *ws) {
  cgeo g = geometry(x, out, dy, p->groups);
  conv_scratch s = scratch(ws, &g, sizeof(CT));
  CT *col = (CT *)s.col, *tmp = (CT *)s.tmp;
  const int64_t P = g.Ho * g.Wo, Kd = g.Cg * g.KH * g.KW;
  CT *dw = (CT *)out->data + out->offset;
  if (g.N == 0)
    for (int64_t i = 0; i < g.O * Kd; i++) dw[i] = 0;
  for (int64_t n = 0; n < g.N; n++) {
    int64_t rs;
    const CT *dyn = CF(plane_rows)(dy, n, tmp, &rs);
    for (int64_t gi = 0; gi < p->groups; gi++) {
      CF(im2col)(x, n, gi * g.Cg, g.Cg, &g, p, col);
      /* dw_g [Og, Kd] += dy_g [Og, P] @ col^T [P, Kd] */
      GEMM(g.Og, Kd, P, dyn + gi * g.Og * rs, rs, 1, col, 1, P, dw + gi * g.Og * Kd, Kd, 1, n > 0, ws);
    }
  }
}

#undef CF2
#undef CF1
#undef CF
#undef GEMM
