/* copy: out = x through arbitrary strides, moved as raw elements. */
#include "iter.h"

#define COPY_LOOP(NAME, T)                                                             \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    T *o = (T *)p[0];                                                                  \
    const T *x = (const T *)p[1];                                                      \
    (void)aux;                                                                         \
    if (s[0] == 1 && s[1] == 1) {                                                      \
      for (int64_t i = 0; i < n; i++) o[i] = x[i];                                     \
    } else {                                                                           \
      for (int64_t i = 0; i < n; i++) o[i * s[0]] = x[i * s[1]];                       \
    }                                                                                  \
  }
COPY_LOOP(copy_u8, uint8_t)
COPY_LOOP(copy_u32, uint32_t)
COPY_LOOP(copy_u64, uint64_t)

static const nb_inner COPY_TABLE[NB_NDTYPES] = {copy_u32, copy_u64, copy_u32, copy_u8};

NB_API int copy(const nb_view *out, const nb_view *x, int64_t start, int64_t end) {
  const nb_view *v[2] = {out, x};
  nb_each(2, v, start, end, COPY_TABLE[out->dtype], 0);
  return NB_OK;
}
