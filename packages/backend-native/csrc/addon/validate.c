/* Descriptor reading and operand checks shared by every kernel entry (declared in validate.h). */
#include "validate.h"
#include <math.h>
#include <stdio.h>

#include "storage.h"

const char *const DT[NB_NDTYPES] = {"float32", "float64", "int32", "bool"};


int rd(cur_t *c, double *x) {
  if (c->pos >= c->len) return nb_fail(c->op, "descriptor overflow (too many operands or dims)");
  *x = c->d[c->pos++];
  return 0;
}

int rd_int(cur_t *c, const char *what, double lo, double hi, int64_t *out) {
  double x = 0;
  if (rd(c, &x)) return -1;
  if (!(x >= lo && x <= hi) || x != floor(x)) return nb_fail(c->op, "%s must be an integer in [%g, %g], got %g", what, lo, hi, x);
  *out = (int64_t)x;
  return 0;
}

const char *fmt_shape(const nb_view *v, char *buf, size_t n) {
  size_t k = (size_t)snprintf(buf, n, "[");
  for (int i = 0; i < v->ndim && k < n; i++) k += (size_t)snprintf(buf + k, n - k, i ? ",%lld" : "%lld", (long long)v->shape[i]);
  if (k < n) snprintf(buf + k, n - k, "]");
  return buf;
}

/* slot, storage dtype, storage size, dtype, ndim, offset, shape[ndim], strides[ndim] */
int rd_view(cur_t *c, const char *what, nb_view *v) {
  double ssize = 0;
  int64_t slot = 0, sdt = 0, dtype = 0, ndim = 0, size = 0;
  void *base;
  if (rd_int(c, "operand slot", -1, NB_MAXBUF - 1, &slot) || rd_int(c, "storage dtype code", 0, NB_NDTYPES - 1, &sdt) ||
      rd(c, &ssize) || storage_lookup(c->op, what, slot >= 0 && slot < c->nbufs ? &c->bufs[slot] : NULL, (int32_t)sdt, ssize, &base, &size))
    return -1;
  int32_t sdtype = (int32_t)sdt;
  if (rd_int(c, "dtype code", 0, NB_NDTYPES - 1, &dtype) || rd_int(c, "rank", 0, NB_MAXDIM, &ndim) ||
      rd_int(c, "offset", 0, MAX_INT, &v->offset))
    return -1;
  if (dtype != sdtype) return nb_fail(c->op, "%s has dtype %s but its storage holds %s", what, DT[dtype], DT[sdtype]);
  v->data = base;
  v->dtype = (int32_t)dtype;
  v->ndim = (int32_t)ndim;
  int64_t numel = 1;
  for (int i = 0; i < ndim; i++) {
    if (rd_int(c, "shape entry", 0, MAX_INT, &v->shape[i])) return -1;
    if (__builtin_mul_overflow(numel, v->shape[i], &numel) || numel > (int64_t)MAX_INT)
      return nb_fail(c->op, "%s has too many elements", what);
  }
  for (int i = 0; i < ndim; i++)
    if (rd_int(c, "stride", -MAX_INT, MAX_INT, &v->strides[i])) return -1;
  if (numel == 0) return 0;
  int64_t lo = v->offset, hi = v->offset;
  for (int i = 0; i < ndim; i++) {
    int64_t ext;
    if (__builtin_mul_overflow(v->shape[i] - 1, v->strides[i], &ext) ||
        __builtin_add_overflow(ext > 0 ? hi : lo, ext, ext > 0 ? &hi : &lo))
      return nb_fail(c->op, "%s strides overflow", what);
  }
  if (lo < 0 || hi >= size) {
    char b[256];
    return nb_fail(c->op, "%s (shape %s, offset %lld) reaches elements [%lld, %lld] outside its storage of %lld elements", what,
                   fmt_shape(v, b, sizeof b), (long long)v->offset, (long long)lo, (long long)hi, (long long)size);
  }
  return 0;
}

int same_shape(const char *op, const nb_view *a, const char *an, const nb_view *b, const char *bn) {
  int eq = a->ndim == b->ndim;
  for (int i = 0; eq && i < a->ndim; i++) eq = a->shape[i] == b->shape[i];
  if (eq) return 0;
  char x[256], y[256];
  return nb_fail(op, "%s shape %s does not match %s shape %s", an, fmt_shape(a, x, sizeof x), bn, fmt_shape(b, y, sizeof y));
}
int want_dtype(const char *op, const nb_view *v, const char *name, int dtype) {
  if (v->dtype == dtype) return 0;
  return nb_fail(op, "%s must be %s, got %s", name, DT[dtype], DT[v->dtype]);
}
int want_float(const char *op, const nb_view *v, const char *name) {
  if (v->dtype == NB_F32 || v->dtype == NB_F64) return 0;
  return nb_fail(op, "%s must be float32 or float64, got %s", name, DT[v->dtype]);
}
int want_rank(const char *op, const nb_view *v, const char *name, int ndim) {
  if (v->ndim == ndim) return 0;
  char b[256];
  return nb_fail(op, "%s must have rank %d, got shape %s", name, ndim, fmt_shape(v, b, sizeof b));
}
/* row-major without gaps (size-1 dims ignored) */
int want_contig(const char *op, const nb_view *v, const char *name) {
  int64_t s = 1;
  for (int i = v->ndim - 1; i >= 0; i--) {
    if (v->shape[i] == 1) continue;
    if (v->strides[i] != s) return nb_fail(op, "%s must be contiguous", name);
    s *= v->shape[i];
  }
  return 0;
}
