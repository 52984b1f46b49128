/* Reading one kernel call from the descriptor and checking it: handles, dtypes, ranks, shapes and
 * extents, each failure an `[op] ...` error (see storage.h's nb_fail). */
#ifndef NABLA_VALIDATE_H
#define NABLA_VALIDATE_H
#include <stddef.h>
#include "../kernels/nabla.h"
#include "storage.h"

#define MAX_INT 9007199254740991.0 /* 2^53 - 1: every integer a double holds exactly */

extern const char *const DT[NB_NDTYPES];

/* A cursor over the descriptor of the call being run; op names the kernel in errors. */
typedef struct {
  const double *d;
  size_t len, pos;
  const char *op;
  const nb_buf *bufs; /* the call's storage buffers, addressed by operand slot */
  int nbufs;
} cur_t;

int rd(cur_t *c, double *x);
/* An integer in [lo, hi]. */
int rd_int(cur_t *c, const char *what, double lo, double hi, int64_t *out);
/* slot, storage dtype, storage size, dtype, ndim, offset, shape[ndim], strides[ndim]: a live storage
 * (buffer `slot` of the call, long enough for its stated size), the storage's dtype, and an extent inside
 * the allocation (negative strides allowed). */
int rd_view(cur_t *c, const char *what, nb_view *v);
const char *fmt_shape(const nb_view *v, char *buf, size_t n);
int same_shape(const char *op, const nb_view *a, const char *an, const nb_view *b, const char *bn);
int want_dtype(const char *op, const nb_view *v, const char *name, int dtype);
int want_float(const char *op, const nb_view *v, const char *name);
int want_rank(const char *op, const nb_view *v, const char *name, int ndim);
/* row-major without gaps (size-1 dims ignored) */
int want_contig(const char *op, const nb_view *v, const char *name);
#endif
