/* where: out = cond ? a : b, moved as raw elements of out's size. A scalar operand broadcast over the whole
 * output (stride 0 after coalescing; the zero in every ReLU backward) gets its own tight loop, as the
 * strided loop ran ~5x slower than the contiguous one. */
#include "iter.h"

#define WHERE_LOOP(NAME, T)                                                            \
  static void NAME(char *const *p, const int64_t *s, int64_t n, const void *aux) {     \
    T *o = (T *)p[0];                                                                  \
    const uint8_t *c = (const uint8_t *)p[1];                                          \
    const T *a = (const T *)p[2], *b = (const T *)p[3];                                \
    (void)aux;                                                                         \
    if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 1) {                            \
      for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : b[i];                       \
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 0 && s[3] == 1) {                     \
      const T av = a[0];                                                               \
      for (int64_t i = 0; i < n; i++) o[i] = c[i] ? av : b[i];                         \
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] == 0) {                     \
      const T bv = b[0];                                                               \
      for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : bv;                         \
    } else if (s[0] == 1 && s[1] == 1 && s[2] == 0 && s[3] == 0) {                     \
      const T av = a[0], bv = b[0];                                                    \
      for (int64_t i = 0; i < n; i++) o[i] = c[i] ? av : bv;                           \
    } else {                                                                           \
      for (int64_t i = 0; i < n; i++) o[i * s[0]] = c[i * s[1]] ? a[i * s[2]] : b[i * s[3]]; \
    }                                                                                  \
  }
WHERE_LOOP(where_u8, uint8_t)
WHERE_LOOP(where_u32, uint32_t)
WHERE_LOOP(where_u64, uint64_t)

static const nb_inner WHERE_TABLE[NB_NDTYPES] = {where_u32, where_u64, where_u32, where_u8};

NB_API int where(const nb_view *out, const nb_view *cond, const nb_view *a, const nb_view *b, int64_t start, int64_t end) {
  const nb_view *v[4] = {out, cond, a, b};
  nb_each(4, v, start, end, WHERE_TABLE[out->dtype], 0);
  return NB_OK;
}
