/* Natively allocated storage behind integer handles, and the kernel dispatcher (dispatch.c). */
#ifndef NABLA_STORAGE_H
#define NABLA_STORAGE_H
#include <stdint.h>
#include "table.h"

/* Formats `[op] message` into the error buffer; always returns -1. */
int nb_fail(const char *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A handle is slot + generation * 2^24: a freed handle never names a later storage. */
int storage_alloc(int32_t dtype, double size, double *handle, int64_t *bytes);
/* Returns the bytes released, or -1 when the handle was already freed or never valid (a no-op). */
int64_t storage_free(double handle);
/* Checks handle, dtype and [offset, offset + size) against the allocation; *ptr = first element. */
int storage_range(const char *op, double handle, int32_t dtype, double offset, double size, void **ptr);
/* Looks up a live handle: base pointer, element count and dtype. */
int storage_lookup(const char *op, const char *what, double handle, void **base, int64_t *size, int32_t *dtype);
void storage_stats(int64_t *buffers, int64_t *bytes);

/* The name of kernel code `kernel` (NULL past the end): lets the JS side check its codes against C's table. */
const char *kernel_name(int kernel);
int kernels_run(int kernel, const nb_table *t, int threads, const double *desc, size_t len);
#endif
