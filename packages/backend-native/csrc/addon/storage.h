/* Storage lives in JS ArrayBuffers (owned and collected by V8); the C side only checks and addresses
 * them, and dispatches kernels (dispatch.c). */
#ifndef NABLA_STORAGE_H
#define NABLA_STORAGE_H
#include <stdint.h>
#include "table.h"

/* Storage buffers are allocated this much larger than their data, which starts at the first 64-byte
 * boundary inside (V8 backing stores never move). */
#define NB_ALIGN 64
/* Most storage operands of one kernel call (call_t.v). */
#define NB_MAXBUF 5

/* Formats `[op] message` into the error buffer; always returns -1. */
int nb_fail(const char *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One operand buffer of a call: `ok` = it is an ArrayBuffer; `base` = its aligned data, `bytes` usable
 * from there (0 when detached, i.e. freed). */
typedef struct {
  char *base;
  int64_t bytes;
  int ok;
} nb_buf;

/* Sets *b from an ArrayBuffer's start and byteLength. */
void buf_init(nb_buf *b, int ok, void *data, size_t length);
/* Checks `size` elements of `dtype` for a new storage; *bytes = the ArrayBuffer length to allocate. */
int storage_alloc_bytes(int32_t dtype, double size, double *bytes);
/* Checks a storage (buffer, its dtype sdtype and element count ssize, as the handle states them):
 * *base = first element, *size = element count. b may be NULL (no buffer: not a handle). */
int storage_lookup(const char *op, const char *what, const nb_buf *b, int32_t sdtype, double ssize, void **base, int64_t *size);
/* storage_lookup, then dtype and [offset, offset + size) against the storage; *ptr = first element. */
int storage_range(const char *op, const nb_buf *b, int32_t sdtype, double ssize, int32_t dtype, double offset, double size,
                  void **ptr);

/* The name of kernel code `kernel` (NULL past the end): lets the JS side check its codes against C's table. */
const char *kernel_name(int kernel);
int kernels_run(int kernel, const nb_table *t, int threads, const double *desc, size_t len, const nb_buf *bufs, int nbufs);
#endif
