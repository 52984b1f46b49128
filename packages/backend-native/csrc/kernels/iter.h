/* Strided N-d iteration shared by the elementwise kernels: dims are coalesced (size-1 dims dropped,
 * neighbours merged when every operand walks them as one), then the output's row-major range
 * [start, end) is visited as runs along the innermost dim, each handed to a 1-d inner loop. */
#ifndef NABLA_ITER_H
#define NABLA_ITER_H
#include "nabla.h"

#define NB_MAXOPS 4

typedef struct {
  int ndim, nops;
  int64_t shape[NB_MAXDIM];
  int64_t st[NB_MAXOPS][NB_MAXDIM];
  char *base[NB_MAXOPS];
  int esz[NB_MAXOPS];
} nb_iter;

/* p[k] points at the run's first element of operand k; s[k] is its element stride along the run. */
typedef void (*nb_inner)(char *const *p, const int64_t *s, int64_t n, const void *aux);

static void iter_init(nb_iter *it, int nops, const nb_view *const *v) {
  const nb_view *out = v[0];
  int nd = 0;
  it->nops = nops;
  for (int k = 0; k < nops; k++) {
    it->esz[k] = nb_dtype_size(v[k]->dtype);
    it->base[k] = (char *)v[k]->data + v[k]->offset * it->esz[k];
  }
  for (int d = 0; d < out->ndim; d++) {
    if (out->shape[d] == 1) continue;
    int merge = nd > 0;
    for (int k = 0; k < nops && merge; k++) merge = it->st[k][nd - 1] == v[k]->strides[d] * out->shape[d];
    if (merge) {
      it->shape[nd - 1] *= out->shape[d];
      for (int k = 0; k < nops; k++) it->st[k][nd - 1] = v[k]->strides[d];
    } else {
      it->shape[nd] = out->shape[d];
      for (int k = 0; k < nops; k++) it->st[k][nd] = v[k]->strides[d];
      nd++;
    }
  }
  if (nd == 0) {
    it->shape[0] = 1;
    for (int k = 0; k < nops; k++) it->st[k][0] = 1;
    nd = 1;
  }
  it->ndim = nd;
}

static void iter_run(const nb_iter *it, int64_t start, int64_t end, nb_inner fn, const void *aux) {
  if (start >= end) return;
  const int nd = it->ndim, last = nd - 1;
  int64_t idx[NB_MAXDIM];
  int64_t rem = start;
  for (int d = last; d >= 0; d--) {
    idx[d] = rem % it->shape[d];
    rem /= it->shape[d];
  }
  int64_t s[NB_MAXOPS];
  for (int k = 0; k < it->nops; k++) s[k] = it->st[k][last];
  int64_t pos = start;
  while (pos < end) {
    char *p[NB_MAXOPS];
    for (int k = 0; k < it->nops; k++) {
      int64_t off = 0;
      for (int d = 0; d < nd; d++) off += idx[d] * it->st[k][d];
      p[k] = it->base[k] + off * it->esz[k];
    }
    int64_t n = it->shape[last] - idx[last];
    if (n > end - pos) n = end - pos;
    fn(p, s, n, aux);
    pos += n;
    idx[last] += n;
    for (int d = last; d > 0 && idx[d] >= it->shape[d]; d--) {
      idx[d] = 0;
      idx[d - 1]++;
    }
  }
}

/* Runs fn over [start, end) of out with the given inputs (out first). */
static inline void nb_each(int nops, const nb_view *const *v, int64_t start, int64_t end, nb_inner fn, const void *aux) {
  nb_iter it;
  iter_init(&it, nops, v);
  iter_run(&it, start, end, fn, aux);
}

#endif
