/* Packed, blocked GEMM (BLIS loop order jc/pc/ic/jr/ir) for one element type, included once per type
 * with GT (element), GV (vector), GSFX (symbol suffix). The micro-kernel keeps an MR x NR tile of C in
 * vector registers; vector width follows the ISA the file is compiled for (GCC/Clang vector extensions). */
#define GNV 2                          /* vectors per micro-tile row */
#define GVL ((int)(NB_VBYTES / sizeof(GT)))
#define GNR (GNV * GVL)
#define GCAT2(a, b) a##b
#define GCAT(a, b) GCAT2(a, b)
#define GF(name) GCAT(name, GSFX)

typedef GT GF(gvec) __attribute__((vector_size(NB_VBYTES)));
typedef GT GF(guvec) __attribute__((vector_size(NB_VBYTES), aligned(sizeof(GT))));

/* Packs rows [0, mc) x depth [0, kc) of A into MR-row slivers: out[(i/MR)][p][i%MR], zero-padded. */
static void GF(pack_a)(int64_t mc, int64_t kc, const GT *a, int64_t rsa, int64_t csa, GT *out) {
  for (int64_t i0 = 0; i0 < mc; i0 += NB_MR) {
    int64_t mr = mc - i0 < NB_MR ? mc - i0 : NB_MR;
    for (int64_t p = 0; p < kc; p++) {
      const GT *src = a + i0 * rsa + p * csa;
      int64_t i = 0;
      for (; i < mr; i++) out[i] = src[i * rsa];
      for (; i < NB_MR; i++) out[i] = 0;
      out += NB_MR;
    }
  }
}

/* Packs depth [0, kc) x columns [0, nc) of B into NR-column slivers: out[(j/NR)][p][j%NR], zero-padded. */
static void GF(pack_b)(int64_t kc, int64_t nc, const GT *b, int64_t rsb, int64_t csb, GT *out) {
  for (int64_t j0 = 0; j0 < nc; j0 += GNR) {
    int64_t nr = nc - j0 < GNR ? nc - j0 : GNR;
    for (int64_t p = 0; p < kc; p++) {
      const GT *src = b + p * rsb + j0 * csb;
      int64_t j = 0;
      if (csb == 1 && nr == GNR) {
        for (; j < GNR; j++) out[j] = src[j];
      } else {
        for (; j < nr; j++) out[j] = src[j * csb];
        for (; j < GNR; j++) out[j] = 0;
      }
      out += GNR;
    }
  }
}

/* C[mr x nr] (+)= Apanel * Bpanel over depth kc. */
static void GF(micro)(int64_t kc, const GT *restrict ap, const GT *restrict bp, GT *c, int64_t rsc, int64_t csc,
                      int accumulate, int64_t mr, int64_t nr) {
  typedef GF(gvec) V;
  typedef GF(guvec) UV;
  V acc[NB_MR][GNV];
#pragma GCC unroll 16
  for (int i = 0; i < NB_MR; i++)
#pragma GCC unroll 4
    for (int v = 0; v < GNV; v++) acc[i][v] = (V){0};
  for (int64_t p = 0; p < kc; p++) {
    V b[GNV];
#pragma GCC unroll 4
    for (int v = 0; v < GNV; v++) b[v] = *(const V *)(bp + v * GVL);
#pragma GCC unroll 16
    for (int i = 0; i < NB_MR; i++) {
      V a = ap[i] - (V){0};
#pragma GCC unroll 4
      for (int v = 0; v < GNV; v++) acc[i][v] += a * b[v];
    }
    ap += NB_MR;
    bp += GNR;
  }
  if (mr == NB_MR && nr == GNR && csc == 1) {
#pragma GCC unroll 16
    for (int i = 0; i < NB_MR; i++)
#pragma GCC unroll 4
      for (int v = 0; v < GNV; v++) {
        UV *dst = (UV *)(c + i * rsc + v * GVL);
        *dst = accumulate ? *dst + acc[i][v] : acc[i][v];
      }
    return;
  }
  for (int64_t i = 0; i < mr; i++)
    for (int64_t j = 0; j < nr; j++) {
      GT r = acc[i][j / GVL][j % GVL];
      GT *dst = c + i * rsc + j * csc;
      *dst = accumulate ? *dst + r : r;
    }
}

/* C = A @ B (or C += when accumulate) with arbitrary strides on A and B; C has rows rsc, cols csc. */
static void GF(gemm_strided)(int64_t m, int64_t n, int64_t k, const GT *a, int64_t rsa, int64_t csa, const GT *b,
                             int64_t rsb, int64_t csb, GT *c, int64_t rsc, int64_t csc, int accumulate, void *ws) {
  GT *bpack = (GT *)ws;
  GT *apack = bpack + NB_KC * NB_NC;
  if (k == 0) {
    if (!accumulate)
      for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) c[i * rsc + j * csc] = 0;
    return;
  }
  for (int64_t jc = 0; jc < n; jc += NB_NC) {
    int64_t nc = n - jc < NB_NC ? n - jc : NB_NC;
    for (int64_t pc = 0; pc < k; pc += NB_KC) {
      int64_t kc = k - pc < NB_KC ? k - pc : NB_KC;
      GF(pack_b)(kc, nc, b + pc * rsb + jc * csb, rsb, csb, bpack);
      int acc = accumulate || pc > 0;
      for (int64_t ic = 0; ic < m; ic += NB_MC) {
        int64_t mc = m - ic < NB_MC ? m - ic : NB_MC;
        GF(pack_a)(mc, kc, a + ic * rsa + pc * csa, rsa, csa, apack);
        for (int64_t jr = 0; jr < nc; jr += GNR) {
          int64_t nr = nc - jr < GNR ? nc - jr : GNR;
          for (int64_t ir = 0; ir < mc; ir += NB_MR) {
            int64_t mr = mc - ir < NB_MR ? mc - ir : NB_MR;
            GF(micro)(kc, apack + ir * kc, bpack + jr * kc, c + (ic + ir) * rsc + (jc + jr) * csc, rsc, csc, acc, mr, nr);
          }
        }
      }
    }
  }
}

NB_API void GF(gemm)(int64_t m, int64_t n, int64_t k, const GT *a, int64_t rsa, int64_t csa, const GT *b, int64_t rsb,
                     int64_t csb, GT *c, int64_t ldc, int accumulate, void *ws) {
  GF(gemm_strided)(m, n, k, a, rsa, csa, b, rsb, csb, c, ldc, 1, accumulate, ws);
}

#undef GNV
#undef GVL
#undef GNR
#undef GF
