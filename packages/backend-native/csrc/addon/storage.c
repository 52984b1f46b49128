/* The storage table: 64-byte aligned, zero-filled buffers (mmap for large ones, so zero pages are free),
 * addressed by generation-checked handles. */
#include "storage.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOT_BITS 24
#define SLOT_COUNT (1u << SLOT_BITS)
#define MMAP_MIN (1u << 20)

typedef struct {
  void *ptr;
  int64_t size, bytes;
  int32_t dtype;
  uint32_t gen;
  uint8_t live, mapped;
} slot_t;

static slot_t *slots;
static uint32_t nslots, cap;
static uint32_t *freelist;
static uint32_t nfree;
static int64_t live_buffers, live_bytes;

static const char *const NAMES[NB_NDTYPES] = {"float32", "float64", "int32", "bool"};

static int64_t phys_bytes(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? (int64_t)pages * page : (int64_t)1 << 40;
}

int storage_alloc(int32_t dtype, double size, double *handle, int64_t *out_bytes) {
  if (!(size >= 0) || size != floor(size) || size > 9007199254740991.0)
    return nb_fail("alloc", "size must be a non-negative integer, got %g", size);
  int64_t n = (int64_t)size, esz = nb_dtype_size(dtype), bytes;
  if (__builtin_mul_overflow(n, esz, &bytes) || bytes > phys_bytes())
    return nb_fail("alloc", "cannot allocate %lld elements of %s (%.4g bytes): more than this machine's memory",
                   (long long)n, NAMES[dtype], (double)n * (double)esz);
  size_t rounded = ((size_t)bytes + 63) & ~(size_t)63;
  if (rounded == 0) rounded = 64;
  void *p = NULL;
  int mapped = rounded >= MMAP_MIN;
  if (mapped) {
    p = mmap(NULL, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) p = NULL;
  } else if (posix_memalign(&p, 64, rounded) == 0) {
    memset(p, 0, rounded);
  } else {
    p = NULL;
  }
  if (!p) return nb_fail("alloc", "out of memory allocating %lld bytes", (long long)bytes);
  uint32_t idx;
  if (nfree) {
    idx = freelist[--nfree];
  } else {
    if (nslots == cap) {
      uint32_t ncap = cap ? cap * 2 : 1024;
      if (ncap > SLOT_COUNT) ncap = SLOT_COUNT;
      slot_t *ns = ncap > cap ? realloc(slots, ncap * sizeof(slot_t)) : NULL;
      uint32_t *nf = ns ? realloc(freelist, ncap * sizeof(uint32_t)) : NULL;
      if (ns) slots = ns;
      if (nf) freelist = nf;
      if (!ns || !nf) {
        if (mapped) munmap(p, rounded);
        else free(p);
        return nb_fail("alloc", "too many live storages");
      }
      memset(slots + cap, 0, (ncap - cap) * sizeof(slot_t));
      cap = ncap;
    }
    idx = nslots++;
  }
  slot_t *s = &slots[idx];
  s->ptr = p;
  s->size = n;
  s->bytes = (int64_t)rounded;
  s->dtype = dtype;
  s->gen = (s->gen + 1) & 0x1fffffffu;
  if (s->gen == 0) s->gen = 1;
  s->live = 1;
  s->mapped = (uint8_t)mapped;
  live_buffers++;
  live_bytes += s->bytes;
  *handle = (double)idx + (double)s->gen * (double)SLOT_COUNT;
  *out_bytes = s->bytes;
  return 0;
}

/* 0 = live slot found; 1 = well-formed but freed; -1 = malformed */
static int find(double h, slot_t **out) {
  if (!(h >= 0) || h != floor(h) || h > 9007199254740991.0) return -1;
  uint64_t u = (uint64_t)h;
  uint32_t idx = (uint32_t)(u & (SLOT_COUNT - 1));
  uint64_t gen = u >> SLOT_BITS;
  if (gen == 0 || idx >= nslots) return -1;
  slot_t *s = &slots[idx];
  if (!s->live || s->gen != gen) return 1;
  *out = s;
  return 0;
}

int64_t storage_free(double h) {
  slot_t *s;
  if (find(h, &s) != 0) return -1;
  if (s->mapped) munmap(s->ptr, (size_t)s->bytes);
  else free(s->ptr);
  int64_t bytes = s->bytes;
  s->ptr = NULL;
  s->live = 0;
  live_buffers--;
  live_bytes -= bytes;
  freelist[nfree++] = (uint32_t)(s - slots);
  return bytes;
}

int storage_lookup(const char *op, const char *what, double h, void **base, int64_t *size, int32_t *dtype) {
  slot_t *s;
  int r = find(h, &s);
  if (r == 1) return nb_fail(op, "storage of %s was freed", what);
  if (r < 0) return nb_fail(op, "%s is not a storage handle of this backend (got %g)", what, h);
  *base = s->ptr;
  *size = s->size;
  *dtype = s->dtype;
  return 0;
}

int storage_range(const char *op, double h, int32_t dtype, double offset, double size, void **ptr) {
  void *base;
  int64_t n;
  int32_t sd;
  if (storage_lookup(op, "the handle", h, &base, &n, &sd)) return -1;
  if (sd != dtype) return nb_fail(op, "dtype %s does not match the storage's dtype %s", NAMES[dtype], NAMES[sd]);
  if (!(offset >= 0) || offset != floor(offset) || !(size >= 0) || size != floor(size) || offset + size > (double)n)
    return nb_fail(op, "range [%g, %g) is outside the storage of %lld elements", offset, offset + size, (long long)n);
  *ptr = (char *)base + (int64_t)offset * nb_dtype_size(dtype);
  return 0;
}

void storage_stats(int64_t *buffers, int64_t *bytes) {
  *buffers = live_buffers;
  *bytes = live_bytes;
}
