/* Fused kernels for one float type FT (suffix FSFX); included by fused.c. */
#define FF2(a, b) a##b
#define FF1(a, b) FF2(a, b)
#define FF(name) FF1(name, FSFX)

/* log(sum(exp(x - m))) + m for one dense row; a row of -inf stays -inf. */
static double FF(lse)(const FT *r, int64_t n) {
  double m = -NB_INF;
  for (int64_t i = 0; i < n; i++) {
    double v = r[i];
    if (v > m || v != v) m = v;
  }
  if (m == -NB_INF) return m;
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += nb_exp((double)r[i] - m);
  return nb_log(s) + m;
}

static int FF(softmax_rows)(const nb_view *out, const nb_view *x, int logp, int64_t start, int64_t end) {
  const int64_t C = x->ndim ? x->shape[x->ndim - 1] : 1;
  const FT *xd = (const FT *)x->data + x->offset;
  FT *od = (FT *)out->data + out->offset;
  for (int64_t r = start; r < end; r++) {
    const FT *row = xd + r * C;
    FT *o = od + r * C;
    double l = FF(lse)(row, C);
    if (logp)
      for (int64_t i = 0; i < C; i++) o[i] = (FT)((double)row[i] - l);
    else
      for (int64_t i = 0; i < C; i++) o[i] = (FT)nb_exp((double)row[i] - l);
  }
  return NB_OK;
}

/* Forward (g == 0): out[r] = lse(x[r]) - x[r, t[r]]; backward: out[r, c] = (softmax - onehot) * g[r]. */
static int FF(sce_rows)(const nb_view *out, const nb_view *x, const nb_view *t, const nb_view *g, int64_t *bad, int64_t start, int64_t end) {
  const int64_t C = x->shape[1];
  const FT *xd = (const FT *)x->data + x->offset;
  const int32_t *td = (const int32_t *)t->data + t->offset;
  const int64_t ts = t->strides[0];
  for (int64_t r = start; r < end; r++) {
    int32_t k = td[r * ts];
    if (k < 0 || k >= C) {
      *bad = k;
      return NB_EINDEX;
    }
  }
  FT *od = (FT *)out->data + out->offset;
  for (int64_t r = start; r < end; r++) {
    const FT *row = xd + r * C;
    int32_t k = td[r * ts];
    double l = FF(lse)(row, C);
    if (!g) {
      od[r] = (FT)(l - (double)row[k]);
      continue;
    }
    double gr = ((const FT *)g->data)[g->offset + r * g->strides[0]];
    for (int64_t i = 0; i < C; i++) od[r * C + i] = (FT)((nb_exp((double)row[i] - l) - (i == k ? 1.0 : 0.0)) * gr);
  }
  return NB_OK;
}

static int FF(linear_rows)(const nb_view *out, const nb_view *x, const nb_view *w, const nb_view *bias, int relu, void *ws,
                           int64_t start, int64_t end) {
  const int64_t K = x->shape[1], N = w->shape[0];
  FT *od = (FT *)out->data + out->offset;
  const FT *xd = (const FT *)x->data + x->offset + start * x->strides[0];
  const FT *wd = (const FT *)w->data + w->offset;
  FF1(gemm_strided, FSFX)(end - start, N, K, xd, x->strides[0], x->strides[1], wd, w->strides[1], w->strides[0], od + start * N, N, 1, 0, ws);
  if (!bias && !relu) return NB_OK;
  const FT *bd = bias ? (const FT *)bias->data + bias->offset : 0;
  const int64_t bs = bias ? bias->strides[0] : 0;
  for (int64_t i = start; i < end; i++)
    for (int64_t j = 0; j < N; j++) {
      FT s = od[i * N + j];
      if (bd) s = (FT)((double)s + (double)bd[j * bs]);
      od[i * N + j] = relu && !(s > 0 || s != s) ? (FT)0 : s;
    }
  return NB_OK;
}

static int FF(sgd)(const nb_view *param, const nb_view *grad, const nb_view *buf, const nb_sgd_params *o, int64_t start, int64_t end) {
  FT *p = (FT *)param->data + param->offset;
  const FT *g = (const FT *)grad->data + grad->offset;
  FT *b = buf ? (FT *)buf->data + buf->offset : 0;
  for (int64_t i = start; i < end; i++) {
    double d = g[i];
    if (o->weight_decay != 0) d += o->weight_decay * (double)p[i];
    if (b && o->momentum != 0) {
      b[i] = (FT)(o->has_buffer ? o->momentum * (double)b[i] + (1 - o->dampening) * d : d);
      d = o->nesterov ? d + o->momentum * (double)b[i] : (double)b[i];
    }
    p[i] = (FT)((double)p[i] - o->lr * d);
  }
  return NB_OK;
}

static int FF(adam)(const nb_view *param, const nb_view *grad, const nb_view *mv, const nb_view *vv, const nb_adam_params *o,
                    int64_t start, int64_t end) {
  FT *p = (FT *)param->data + param->offset;
  const FT *g = (const FT *)grad->data + grad->offset;
  FT *m = (FT *)mv->data + mv->offset;
  FT *v = (FT *)vv->data + vv->offset;
  const double bc1 = 1 - nb_pow(o->beta1, (double)o->step);
  const double bc2 = 1 - nb_pow(o->beta2, (double)o->step);
  const double stepSize = o->lr / bc1, bc2Sqrt = __builtin_sqrt(bc2);
  for (int64_t i = start; i < end; i++) {
    double gi = g[i];
    if (o->weight_decay != 0) {
      if (o->decoupled) p[i] = (FT)((double)p[i] * (1 - o->lr * o->weight_decay));
      else gi += o->weight_decay * (double)p[i];
    }
    m[i] = (FT)((double)m[i] + (gi - (double)m[i]) * (1 - o->beta1));
    v[i] = (FT)((double)v[i] * o->beta2 + (1 - o->beta2) * gi * gi);
    double denom = __builtin_sqrt((double)v[i]) / bc2Sqrt + o->eps;
    p[i] = (FT)((double)p[i] - (stepSize * (double)m[i]) / denom);
  }
  return NB_OK;
}

#undef FF2
#undef FF1
#undef FF
