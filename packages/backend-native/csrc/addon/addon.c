/* The Node-API layer: storage checks (storage is a JS ArrayBuffer, see storage.c), ISA choice, and
 * `run(kernel, isa, threads, ...buffers)`, which reads the kernel's operands from a shared Float64Array
 * descriptor and the buffers passed with the call, validates every buffer, dtype, shape and extent
 * before any memory is touched, then calls the kernel (split over the thread pool when large).
 * Errors read `[op] ...`. */
#include <math.h>
#include <node_api.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "storage.h"
#include "table.h"
#include "threads.h"

/* One lock around kernel runs: the thread pool and its scratch are process-wide, and worker_threads may
 * load this addon in several environments at once (each with its own buffers and error buffer). */
static pthread_mutex_t g_api = PTHREAD_MUTEX_INITIALIZER;
#define LOCKED(call)                                                                                 \
  do {                                                                                               \
    pthread_mutex_lock(&g_api);                                                                      \
    call;                                                                                            \
    pthread_mutex_unlock(&g_api);                                                                    \
  } while (0)

/* ---- errors ---- */

static __thread char g_err[512]; /* per thread: each environment formats and throws its own */
int nb_fail(const char *op, const char *fmt, ...) {
  va_list ap;
  int n = snprintf(g_err, sizeof g_err, "[%s] ", op);
  va_start(ap, fmt);
  vsnprintf(g_err + n, sizeof g_err - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}
static napi_value throw_err(napi_env env) {
  napi_throw_error(env, NULL, g_err);
  return NULL;
}

/* ---- ISA tables ---- */

static const nb_table *const TABLES[3] = {&nb_table_avx512, &nb_table_avx2, &nb_table_sse2};

static int isa_supported(int i) {
  __builtin_cpu_init();
  switch (i) {
    case 0:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma");
    case 1: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    default: return __builtin_cpu_supports("sse2");
  }
}

/* ---- napi helpers ---- */

#define NAPI(call)                                                                                   \
  do {                                                                                               \
    if ((call) != napi_ok) {                                                                         \
      nb_fail("native", "Node-API call failed: %s", #call);                                          \
      return throw_err(env);                                                                         \
    }                                                                                                \
  } while (0)

static napi_value num(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

static int arg_double(napi_env env, napi_value v, const char *op, const char *what, double *out) {
  if (napi_get_value_double(env, v, out) != napi_ok) return nb_fail(op, "%s must be a number", what);
  return 0;
}

/* ---- storage entry points ---- */

static const char *const DTYPE_NAMES[NB_NDTYPES] = {"float32", "float64", "int32", "bool"};
static const napi_typedarray_type ARRAY_TYPES[NB_NDTYPES] = {napi_float32_array, napi_float64_array, napi_int32_array,
                                                             napi_uint8_array};

static int parse_dtype(double d, const char *op, int32_t *dtype) {
  if (!(d >= 0 && d < NB_NDTYPES) || d != floor(d)) return nb_fail(op, "unknown dtype code %g", d);
  *dtype = (int32_t)d;
  return 0;
}

/* allocBytes(dtype, size) -> the ArrayBuffer length the JS side allocates for a storage (data + alignment) */
static napi_value js_alloc_bytes(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double dd, size, bytes = 0;
  int32_t dtype = 0;
  if (argc < 2 || arg_double(env, argv[0], "alloc", "dtype", &dd) || parse_dtype(dd, "alloc", &dtype) ||
      arg_double(env, argv[1], "alloc", "size", &size) || storage_alloc_bytes(dtype, size, &bytes))
    return throw_err(env);
  return num(env, bytes);
}

/* An operand: any value; not an ArrayBuffer -> b->ok = 0 (an error only if a view refers to it). */
static void get_buf(napi_env env, napi_value v, nb_buf *b) {
  void *data = NULL;
  size_t length = 0;
  int ok = napi_get_arraybuffer_info(env, v, &data, &length) == napi_ok;
  buf_init(b, ok, data, length);
}

/* free(buffer) -> true when it was live: detaching hands the memory back to V8 now, and leaves the
 * buffer 0 bytes long, which every later use reports as freed. */
static napi_value js_free(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  nb_buf b = {NULL, 0, 0};
  if (argc >= 1) get_buf(env, argv[0], &b);
  bool live = b.ok && b.bytes > 0 && napi_detach_arraybuffer(env, argv[0]) == napi_ok;
  napi_value r;
  napi_get_boolean(env, live, &r);
  return r;
}

/* The handle's three parts as JS passes them: buffer, storage dtype code, storage element count. */
static int arg_storage(napi_env env, napi_value *argv, const char *op, nb_buf *b, int32_t *sdtype, double *ssize) {
  double sd;
  get_buf(env, argv[0], b);
  if (arg_double(env, argv[1], op, "storage dtype", &sd) || arg_double(env, argv[2], op, "storage size", ssize)) return -1;
  *sdtype = sd >= 0 && sd < NB_NDTYPES && sd == floor(sd) ? (int32_t)sd : -1;
  return 0;
}

/* write(buffer, sdtype, ssize, dtype, offset, typedArray) */
static napi_value js_write(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  nb_buf b;
  double ssize, dd, off;
  int32_t sdtype = 0, dtype = 0;
  if (argc < 6 || arg_storage(env, argv, "write", &b, &sdtype, &ssize) || arg_double(env, argv[3], "write", "dtype", &dd) ||
      parse_dtype(dd, "write", &dtype) || arg_double(env, argv[4], "write", "offset", &off))
    return throw_err(env);
  bool is_ta = false;
  napi_is_typedarray(env, argv[5], &is_ta);
  if (!is_ta) return nb_fail("write", "data must be a typed array"), throw_err(env);
  napi_typedarray_type type;
  size_t length;
  void *data;
  NAPI(napi_get_typedarray_info(env, argv[5], &type, &length, &data, NULL, NULL));
  if (type != ARRAY_TYPES[dtype] && !(dtype == NB_BOOL && type == napi_uint8_clamped_array))
    return nb_fail("write", "data is not the typed array of dtype %s", DTYPE_NAMES[dtype]), throw_err(env);
  void *dst;
  if (storage_range("write", &b, sdtype, ssize, dtype, off, (double)length, &dst)) return throw_err(env);
  if (length) memmove(dst, data, length * (size_t)nb_dtype_size(dtype));
  return NULL;
}

/* read(buffer, sdtype, ssize, dtype, offset, size) -> typed array copy */
static napi_value js_read(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  nb_buf b;
  double ssize, dd, off, size;
  int32_t sdtype = 0, dtype = 0;
  if (argc < 6 || arg_storage(env, argv, "read", &b, &sdtype, &ssize) || arg_double(env, argv[3], "read", "dtype", &dd) ||
      parse_dtype(dd, "read", &dtype) || arg_double(env, argv[4], "read", "offset", &off) ||
      arg_double(env, argv[5], "read", "size", &size))
    return throw_err(env);
  void *src;
  if (storage_range("read", &b, sdtype, ssize, dtype, off, size, &src)) return throw_err(env);
  size_t n = (size_t)size, bytes = n * (size_t)nb_dtype_size(dtype);
  void *data;
  napi_value ab, ta;
  NAPI(napi_create_arraybuffer(env, bytes, &data, &ab));
  /* creating the copy can run the collector, never free or move the source: the buffer is an argument */
  if (bytes) memcpy(data, src, bytes);
  NAPI(napi_create_typedarray(env, ARRAY_TYPES[dtype], n, ab, 0, &ta));
  return ta;
}

/* isas() -> names of the builds this CPU can run, best first */
static napi_value js_isas(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value arr;
  NAPI(napi_create_array(env, &arr));
  uint32_t k = 0;
  for (int i = 0; i < 3; i++) {
    if (!isa_supported(i)) continue;
    napi_value s;
    napi_create_string_utf8(env, TABLES[i]->isa, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, k++, s);
  }
  return arr;
}

/* kernelNames() -> the C dispatch table's kernel names, in code order */
static napi_value js_kernel_names(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value arr;
  NAPI(napi_create_array(env, &arr));
  for (uint32_t i = 0; kernel_name((int)i); i++) {
    napi_value s;
    napi_create_string_utf8(env, kernel_name((int)i), NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, i, s);
  }
  return arr;
}

/* ---- kernels ---- */

/* Each environment (main thread, worker thread) hands over its own descriptor. */
typedef struct {
  double *desc;
  size_t len;
  napi_ref ref;
} env_data;

static void env_data_free(napi_env env, void *data, void *hint) {
  (void)hint;
  env_data *d = data;
  if (d->ref) napi_delete_reference(env, d->ref);
  free(d);
}

static napi_value js_set_descriptor(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_typedarray_type type;
  size_t length;
  void *data;
  bool is_ta = false;
  napi_is_typedarray(env, argv[0], &is_ta);
  if (argc < 1 || !is_ta) return nb_fail("native", "descriptor must be a Float64Array"), throw_err(env);
  NAPI(napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL));
  if (type != napi_float64_array) return nb_fail("native", "descriptor must be a Float64Array"), throw_err(env);
  env_data *d = NULL;
  NAPI(napi_get_instance_data(env, (void **)&d));
  if (!d) return nb_fail("native", "addon not initialised"), throw_err(env);
  if (d->ref) napi_delete_reference(env, d->ref);
  d->ref = NULL;
  NAPI(napi_create_reference(env, argv[0], 1, &d->ref));
  d->desc = (double *)data;
  d->len = length;
  return NULL;
}

/* run(kernelCode, isaIndex, threads, ...buffers): the descriptor's views name their storage by slot in
 * `buffers` (at most NB_MAXBUF). Holding them as arguments keeps them alive for the whole call. */
static napi_value js_run(napi_env env, napi_callback_info info) {
  size_t argc = 3 + NB_MAXBUF;
  napi_value argv[3 + NB_MAXBUF];
  NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t k = -1, isa = 2, threads = 1;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &k) != napi_ok || napi_get_value_int32(env, argv[1], &isa) != napi_ok ||
      napi_get_value_int32(env, argv[2], &threads) != napi_ok)
    return nb_fail("native", "run(kernel, isa, threads, ...buffers) takes three integers first"), throw_err(env);
  if (isa < 0 || isa > 2 || !isa_supported(isa)) return nb_fail("native", "ISA %d is not available on this CPU", isa), throw_err(env);
  env_data *d = NULL;
  napi_get_instance_data(env, (void **)&d);
  if (!d || !d->desc) return nb_fail("native", "no descriptor set"), throw_err(env);
  nb_buf bufs[NB_MAXBUF];
  int nbufs = (int)argc - 3;
  if (nbufs > NB_MAXBUF) nbufs = NB_MAXBUF;
  for (int i = 0; i < nbufs; i++) get_buf(env, argv[3 + i], &bufs[i]);
  int failed;
  LOCKED(failed = kernels_run(k, TABLES[isa], threads < 1 ? 1 : threads, d->desc, d->len, bufs, nbufs));
  if (failed) return throw_err(env);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
#ifdef __GLIBC__
  /* Storage is V8 ArrayBuffers, zero-filled by calloc. glibc's default mmap threshold rises after the first
   * large free, and calloc then memsets big buffers from the heap (~400 us per 4 MB); a fixed threshold
   * keeps every buffer of 1 MiB or more a fresh mmap, whose zero pages cost nothing until touched. */
  static int tuned;
  if (!tuned) {
    tuned = 1;
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
  }
#endif
  env_data *d = calloc(1, sizeof *d);
  if (!d || napi_set_instance_data(env, d, env_data_free, NULL) != napi_ok) {
    free(d);
    nb_fail("native", "cannot initialise the addon");
    return throw_err(env);
  }
  static const struct {
    const char *name;
    napi_callback fn;
  } FNS[] = {{"allocBytes", js_alloc_bytes}, {"free", js_free}, {"write", js_write}, {"read", js_read},
             {"isas", js_isas}, {"kernelNames", js_kernel_names}, {"setDescriptor", js_set_descriptor}, {"run", js_run}};
  for (size_t i = 0; i < sizeof FNS / sizeof FNS[0]; i++) {
    napi_value f;
    NAPI(napi_create_function(env, FNS[i].name, NAPI_AUTO_LENGTH, FNS[i].fn, NULL, &f));
    NAPI(napi_set_named_property(env, exports, FNS[i].name, f));
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
