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

/* The optimizer loops read their options into locals and branch once outside the loop: reading o->* per
 * element (the struct may alias the arrays as far as the compiler knows; unrelated arrays are still runtime-checked) kept them scalar, ~4x a binary add.
 * Each case is an always-inline body instantiated with constant flags so every loop vectorises. */
static inline __attribute__((always_inline)) void FF(sgd_body)(FT *p, const FT *g, FT *b, int64_t start,
                                                                int64_t end, double lr, double wd, double mom, double damp1,
                                                                int use_wd, int use_mom, int has_buffer, int nesterov) {
  for (int64_t i = start; i < end; i++) {
    double d = g[i];
    if (use_wd) d += wd * (double)p[i];
    if (use_mom) {
      FT bi = (FT)(has_buffer ? mom * (double)b[i] + damp1 * d : d);
      b[i] = bi;
      d = nesterov ? d + mom * (double)bi : (double)bi;
    }
    p[i] = (FT)((double)p[i] - lr * d);
  }
}

static int FF(sgd)(const nb_view *param, const nb_view *grad, const nb_view *buf, const nb_sgd_params *o, int64_t start, int64_t end) {
  FT *p = (FT *)param->data + param->offset;
  const FT *g = (const FT *)grad->data + grad->offset;
  FT *b = buf ? (FT *)buf->data + buf->offset : 0;
  const double lr = o->lr, wd = o->weight_decay, mom = o->momentum, damp1 = 1 - o->dampening;
  const int use_wd = wd != 0, use_mom = b && mom != 0, has_buffer = o->has_buffer != 0, nesterov = o->nesterov != 0;
  if (!use_mom && !use_wd) {
    /* plain step: one FMA in FT per element (lr rounded to FT once; within a rounding of the double form) */
    const FT nlr = (FT)-lr;
    for (int64_t i = start; i < end; i++) p[i] = p[i] + nlr * g[i];
  } else if (!use_mom) {
    FF(sgd_body)(p, g, b, start, end, lr, wd, mom, damp1, 1, 0, 0, 0);
  } else if (has_buffer) {
    if (nesterov) {
      if (use_wd) FF(sgd_body)(p, g, b, start, end, lr, wd, mom, damp1, 1, 1, 1, 1);
      else FF(sgd_body)(p, g, b, start, end, lr, wd, mom, damp1, 0, 1, 1, 1);
    } else {
      if (use_wd) FF(sgd_body)(p, g, b, start, end, lr, wd, mom, damp1, 1, 1, 1, 0);
      else FF(sgd_body)(p, g, b, start, end, lr, wd, mom, damp1, 0, 1, 1, 0);
    }
  } else {
    if (nesterov) FF(sgd_body)(p, g, b, start, end, lr, wd, mom, damp1, use_wd, 1, 0, 1);
    else FF(sgd_body)(p, g, b, start, end, lr, wd, mom, damp1, use_wd, 1, 0, 0);
  }
  return NB_OK;
}

/* wd_mode: 0 none, 1 L2 added to the gradient, 2 decoupled (AdamW) decay of the parameter. */
static inline __attribute__((always_inline)) void FF(adam_body)(FT *p, const FT *g, FT *m, FT *v,
                                                                 int64_t start, int64_t end, double lr, double wd, double b1,
                                                                 double b2, double eps, double stepSize, double bc2Sqrt, int wd_mode) {
  const double omb1 = 1 - b1, omb2 = 1 - b2, decay = 1 - lr * wd;
  const FT bcs = (FT)bc2Sqrt, epsT = (FT)eps, ssT = (FT)stepSize;
  for (int64_t i = start; i < end; i++) {
    double gi = g[i];
    double pi = p[i];
    if (wd_mode == 2) pi = (double)(FT)(pi * decay);
    else if (wd_mode == 1) gi += wd * pi;
    double mi = m[i], vi = v[i];
    FT mn = (FT)(mi + (gi - mi) * omb1);
    FT vn = (FT)(vi * b2 + omb2 * gi * gi);
    m[i] = mn;
    v[i] = vn;
    /* the step itself in FT: a double sqrt + divide per element was the whole cost for float32, and the
     * step's few float roundings are far below the parameter's own (identical code for float64) */
    FT denom = FSQRT(vn) / bcs + epsT;
    p[i] = (FT)((FT)pi - (ssT * mn) / denom);
  }
}

static int FF(adam)(const nb_view *param, const nb_view *grad, const nb_view *mv, const nb_view *vv, const nb_adam_params *o,
                    int64_t start, int64_t end) {
  FT *p = (FT *)param->data + param->offset;
  const FT *g = (const FT *)grad->data + grad->offset;
  FT *m = (FT *)mv->data + mv->offset;
  FT *v = (FT *)vv->data + vv->offset;
  const double lr = o->lr, wd = o->weight_decay, b1 = o->beta1, b2 = o->beta2, eps = o->eps;
  const double bc1 = 1 - nb_pow(b1, (double)o->step);
  const double bc2 = 1 - nb_pow(b2, (double)o->step);
  const double stepSize = lr / bc1, bc2Sqrt = __builtin_sqrt(bc2);
  if (wd == 0) FF(adam_body)(p, g, m, v, start, end, lr, wd, b1, b2, eps, stepSize, bc2Sqrt, 0);
  else if (o->decoupled) FF(adam_body)(p, g, m, v, start, end, lr, wd, b1, b2, eps, stepSize, bc2Sqrt, 2);
  else FF(adam_body)(p, g, m, v, start, end, lr, wd, b1, b2, eps, stepSize, bc2Sqrt, 1);
  return NB_OK;
}

#undef FF2
#undef FF1
#undef FF
