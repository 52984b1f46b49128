/* float32 softmax family for wasm: the shared fused kernels take every exp in double (scalar in
 * simd128); here the exponentials run in float32x4 (fast_exp.h) while the row max, the log and the
 * log-softmax differences stay in double as in the shared kernels (fused_tmpl.h), whose semantics
 * these follow: NaN wins the max, a row of -inf stays -inf, targets are checked before any write. */

/* Σ exp(r[i] - m) over a dense row, 4 lanes at a time; the tail is padded with -inf (exp = 0). */
static double w_sum_exp_f32(const float *r, int64_t n, float m) {
  const v128_t mv = wasm_f32x4_splat(m);
  v128_t acc = wasm_f32x4_splat(0.0f);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) acc = wasm_f32x4_add(acc, exp_f32x4(wasm_f32x4_sub(wasm_v128_load(r + i), mv)));
  double s = (double)wasm_f32x4_extract_lane(acc, 0) + (double)wasm_f32x4_extract_lane(acc, 1) +
             (double)wasm_f32x4_extract_lane(acc, 2) + (double)wasm_f32x4_extract_lane(acc, 3);
  if (i < n) {
    float t[4] = {-__builtin_inff(), -__builtin_inff(), -__builtin_inff(), -__builtin_inff()};
    for (int64_t k = i; k < n; k++) t[k - i] = r[k];
    v128_t e = exp_f32x4(wasm_f32x4_sub(wasm_v128_load(t), mv));
    s += (double)wasm_f32x4_extract_lane(e, 0) + (double)wasm_f32x4_extract_lane(e, 1) +
         (double)wasm_f32x4_extract_lane(e, 2) + (double)wasm_f32x4_extract_lane(e, 3);
  }
  return s;
}

/* log Σ exp of one dense row, as the shared kernel's lse. */
static double w_lse_f32(const float *r, int64_t n) {
  double m = -NB_INF;
  for (int64_t i = 0; i < n; i++) {
    double v = r[i];
    if (v > m || v != v) m = v;
  }
  if (m == -NB_INF || m != m) return m;
  return nb_log(w_sum_exp_f32(r, n, (float)m)) + m;
}

/* o[i] = (exp(r[i] - l) - (i == k)) * g over a dense row (g = 1, k = -1: plain softmax). */
static void w_softmax_row_f32(float *o, const float *r, int64_t n, double l, int64_t k, float g) {
  const v128_t lv = wasm_f32x4_splat((float)l), gv = wasm_f32x4_splat(g);
  const float xk = k >= 0 ? r[k] : 0.0f; /* read before any write: out may alias the row */
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(o + i, wasm_f32x4_mul(exp_f32x4(wasm_f32x4_sub(wasm_v128_load(r + i), lv)), gv));
  for (; i < n; i++) {
    float t[4] = {r[i], 0, 0, 0};
    o[i] = wasm_f32x4_extract_lane(exp_f32x4(wasm_f32x4_sub(wasm_v128_load(t), lv)), 0) * g;
  }
  if (k >= 0) {
    float t[4] = {xk, 0, 0, 0};
    o[k] = (wasm_f32x4_extract_lane(exp_f32x4(wasm_f32x4_sub(wasm_v128_load(t), lv)), 0) - 1.0f) * g;
  }
}

static int w_softmax_f32(const nb_view *out, const nb_view *x, int logp) {
  const int64_t C = x->ndim ? x->shape[x->ndim - 1] : 1;
  const int64_t rows = C ? nb_numel(x) / C : 0;
  const float *xd = (const float *)x->data + x->offset;
  float *od = (float *)out->data + out->offset;
  for (int64_t r = 0; r < rows; r++) {
    const float *row = xd + r * C;
    float *o = od + r * C;
    double l = w_lse_f32(row, C);
    if (logp)
      for (int64_t i = 0; i < C; i++) o[i] = (float)((double)row[i] - l);
    else
      w_softmax_row_f32(o, row, C, l, -1, 1.0f);
  }
  return NB_OK;
}

/* Forward (g == 0): out[r] = lse(x[r]) - x[r, t[r]]; backward: out[r, :] = (softmax - onehot) * g[r]. */
static int w_sce_f32(const nb_view *out, const nb_view *x, const nb_view *t, const nb_view *g, int64_t *bad) {
  const int64_t N = x->shape[0], C = x->shape[1];
  const float *xd = (const float *)x->data + x->offset;
  const int32_t *td = (const int32_t *)t->data + t->offset;
  for (int64_t r = 0; r < N; r++) {
    int32_t k = td[r * t->strides[0]];
    if (k < 0 || k >= C) {
      *bad = k;
      return NB_EINDEX;
    }
  }
  float *od = (float *)out->data + out->offset;
  for (int64_t r = 0; r < N; r++) {
    const float *row = xd + r * C;
    int32_t k = td[r * t->strides[0]];
    double l = w_lse_f32(row, C);
    if (!g) od[r] = (float)(l - (double)row[k]);
    else w_softmax_row_f32(od + r * C, row, C, l, k, ((const float *)g->data)[g->offset + r * g->strides[0]]);
  }
  return NB_OK;
}
