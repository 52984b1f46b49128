/* Storage checks: a storage is a JS ArrayBuffer NB_ALIGN bytes longer than its data (zero-filled by V8,
 * freed by V8's collector, or detached by free()). Every operand is checked against the buffer's real
 * length before any memory is touched, so a stale or forged handle is an error, never a wild access. */
#include "storage.h"
#include <math.h>
#include <unistd.h>

static const char *const NAMES[NB_NDTYPES] = {"float32", "float64", "int32", "bool"};

static int64_t phys_bytes(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? (int64_t)pages * page : (int64_t)1 << 40;
}

void buf_init(nb_buf *b, int ok, void *data, size_t length) {
  /* detached (freed) buffers are 0 bytes long; a shorter non-empty one was never a storage */
  b->ok = ok && (length == 0 || length >= NB_ALIGN);
  b->base = NULL;
  b->bytes = 0;
  if (!b->ok || !data || length == 0) return;
  uintptr_t p = (uintptr_t)data, a = (p + NB_ALIGN - 1) & ~(uintptr_t)(NB_ALIGN - 1);
  b->base = (char *)a;
  b->bytes = (int64_t)length - (int64_t)(a - p);
}

int storage_alloc_bytes(int32_t dtype, double size, double *out) {
  if (!(size >= 0) || size != floor(size) || size > 9007199254740991.0)
    return nb_fail("alloc", "size must be a non-negative integer, got %g", size);
  int64_t n = (int64_t)size, esz = nb_dtype_size(dtype), bytes;
  if (__builtin_mul_overflow(n, esz, &bytes) || bytes > phys_bytes())
    return nb_fail("alloc", "cannot allocate %lld elements of %s (%.4g bytes): more than this machine's memory",
                   (long long)n, NAMES[dtype], (double)n * (double)esz);
  *out = (double)bytes + NB_ALIGN;
  return 0;
}

int storage_lookup(const char *op, const char *what, const nb_buf *b, int32_t sdtype, double ssize, void **base, int64_t *size) {
  if (!b || !b->ok || sdtype < 0 || sdtype >= NB_NDTYPES)
    return nb_fail(op, "%s is not a storage handle of this backend", what);
  if (b->bytes == 0) return nb_fail(op, "storage of %s was freed", what);
  if (!(ssize >= 0) || ssize != floor(ssize) || ssize * nb_dtype_size(sdtype) > (double)b->bytes)
    return nb_fail(op, "%s is not a storage handle of this backend (%g elements of %s in a buffer of %lld bytes)", what, ssize,
                   NAMES[sdtype], (long long)b->bytes);
  *base = b->base;
  *size = (int64_t)ssize;
  return 0;
}

int storage_range(const char *op, const nb_buf *b, int32_t sdtype, double ssize, int32_t dtype, double offset, double size,
                  void **ptr) {
  void *base;
  int64_t n;
  if (storage_lookup(op, "the handle", b, sdtype, ssize, &base, &n)) return -1;
  if (sdtype != dtype) return nb_fail(op, "dtype %s does not match the storage's dtype %s", NAMES[dtype], NAMES[sdtype]);
  if (!(offset >= 0) || offset != floor(offset) || !(size >= 0) || size != floor(size) || offset + size > (double)n)
    return nb_fail(op, "range [%g, %g) is outside the storage of %lld elements", offset, offset + size, (long long)n);
  *ptr = (char *)base + (int64_t)offset * nb_dtype_size(dtype);
  return 0;
}
