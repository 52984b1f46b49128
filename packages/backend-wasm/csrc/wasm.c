/* The wasm face of the shared kernel library (packages/backend-native/csrc/kernels). JS validates every
 * call first (src/validate.ts: live storage, dtypes, shapes, extents) and encodes it into the descriptor
 * region below; run() rebuilds nb_views from those int32s and calls the kernel over its whole range.
 * Storage lives in this module's linear memory, allocated by JS (src/heap.ts) above __heap_base. */
#define NB_API static
#include "all.c"
#include "fast_exp.h"
#include "fast_softmax.h"

#define WASM_EXPORT(name) __attribute__((export_name(#name)))

/* Descriptor: JS writes ints (handles, dtypes, shapes, strides, op codes) and doubles (optimizer
 * hyper-parameters) here; one kernel call fits easily (5 views x 35 ints). */
#define DESC_INTS 512
static int32_t desc_i[DESC_INTS];
static double desc_f[16];
static int32_t bad_index;

extern unsigned char __heap_base;

WASM_EXPORT(descInts) int32_t *desc_ints(void) { return desc_i; }
WASM_EXPORT(descFloats) double *desc_floats(void) { return desc_f; }
WASM_EXPORT(heapBase) uintptr_t heap_base(void) { return (uintptr_t)&__heap_base; }
WASM_EXPORT(badIndex) int32_t bad(void) { return bad_index; }

typedef struct {
  const int32_t *p;
} cur_t;

static int32_t ri(cur_t *c) { return *c->p++; }

/* byte address, dtype, ndim, offset, shape[ndim], strides[ndim] */
static void rv(cur_t *c, nb_view *v) {
  v->data = (void *)(uintptr_t)(uint32_t)ri(c);
  v->dtype = ri(c);
  v->ndim = ri(c);
  v->offset = ri(c);
  for (int i = 0; i < v->ndim; i++) v->shape[i] = ri(c);
  for (int i = 0; i < v->ndim; i++) v->strides[i] = ri(c);
}

static void rconv(cur_t *c, nb_conv_params *p) {
  for (int k = 0; k < 2; k++) p->stride[k] = ri(c);
  for (int k = 0; k < 2; k++) p->padding[k] = ri(c);
  for (int k = 0; k < 2; k++) p->dilation[k] = ri(c);
  p->groups = ri(c);
}

static void rpool(cur_t *c, nb_pool_params *p) {
  for (int k = 0; k < 2; k++) p->kernel[k] = ri(c);
  for (int k = 0; k < 2; k++) p->stride[k] = ri(c);
  for (int k = 0; k < 2; k++) p->padding[k] = ri(c);
  for (int k = 0; k < 2; k++) p->dilation[k] = ri(c);
  p->count_include_pad = ri(c);
}

static int is_float(const nb_view *v) { return v->dtype == NB_F32 || v->dtype == NB_F64; }
static int64_t planes(const nb_view *v) { return v->shape[0] * v->shape[1]; }
static int64_t rows(const nb_view *x) {
  int64_t C = x->ndim ? x->shape[x->ndim - 1] : 1;
  return C ? nb_numel(x) / C : 0;
}

/* Kernel codes: core's KERNELS then FUSED_KERNELS, in order (src/codes.ts). */
enum {
  K_UNARY, K_BINARY, K_WHERE, K_REDUCE, K_ARGREDUCE, K_CAST, K_COPY, K_MATMUL, K_GATHER, K_SCATTERADD,
  K_FILLRANDOM, K_CONV2D, K_CONV2D_DX, K_CONV2D_DW, K_MAXPOOL2D, K_AVGPOOL2D, K_AVGPOOL2D_DX,
  K_SOFTMAX, K_LOGSOFTMAX, K_SCE, K_SCE_DX, K_LINEAR, K_SGD, K_ADAM
};

/* Scratch bytes a call needs (read from the descriptor already written); JS provides at least this. */
WASM_EXPORT(workspace) uint32_t workspace(int kernel) {
  cur_t c = {desc_i};
  nb_view v[3];
  size_t mm = (matmul_workspace_bytes() + 63) & ~(size_t)63;
  switch (kernel) {
    case K_MATMUL:
    case K_LINEAR:
      return (uint32_t)mm;
    case K_CONV2D:
    case K_CONV2D_DX:
    case K_CONV2D_DW: {
      for (int k = 0; k < 3; k++) rv(&c, &v[k]);
      /* the kernels' roles: x-like, w, y-like */
      const nb_view *x = kernel == K_CONV2D_DX ? &v[0] : &v[1];
      const nb_view *w = kernel == K_CONV2D_DW ? &v[0] : &v[2];
      const nb_view *y = kernel == K_CONV2D ? &v[0] : &v[kernel == K_CONV2D_DX ? 1 : 2];
      size_t extra = is_float(&v[0]) ? conv_workspace_bytes(x, w, y) : (size_t)nb_numel(&v[0]) * 4 + 64;
      return (uint32_t)(mm + 64 + extra);
    }
    case K_AVGPOOL2D_DX:
      rv(&c, &v[0]);
      return (uint32_t)(v[0].shape[2] * v[0].shape[3] * 8 + 64);
    default:
      return 0;
  }
}

/* Runs one validated call; returns NB_OK, or NB_EINDEX with badIndex() set. */
WASM_EXPORT(run) int run(int kernel, void *ws) {
  cur_t c = {desc_i};
  nb_view v[5];
  int64_t badv = 0;
  int op, st = NB_OK;
  switch (kernel) {
    case K_UNARY:
      op = ri(&c), rv(&c, &v[0]), rv(&c, &v[1]);
      if (op == U_EXP && v[1].dtype == NB_F32 && dense(&v[0]) && dense(&v[1])) {
        exp_f32_dense((float *)v[0].data + v[0].offset, (const float *)v[1].data + v[1].offset, nb_numel(&v[0]));
        return NB_OK;
      }
      return unary(op, &v[0], &v[1], 0, nb_numel(&v[0]));
    case K_BINARY:
      op = ri(&c), rv(&c, &v[0]), rv(&c, &v[1]), rv(&c, &v[2]);
      return binary(op, &v[0], &v[1], &v[2], 0, nb_numel(&v[0]));
    case K_WHERE:
      for (int k = 0; k < 4; k++) rv(&c, &v[k]);
      return where(&v[0], &v[1], &v[2], &v[3], 0, nb_numel(&v[0]));
    case K_REDUCE: {
      op = ri(&c), rv(&c, &v[0]), rv(&c, &v[1]);
      uint32_t mask = (uint32_t)ri(&c);
      return reduce(op, &v[0], &v[1], mask, 0, nb_numel(&v[0]));
    }
    case K_ARGREDUCE: {
      op = ri(&c), rv(&c, &v[0]), rv(&c, &v[1]);
      int axis = ri(&c);
      return argReduce(op, &v[0], &v[1], axis, 0, nb_numel(&v[0]));
    }
    case K_CAST:
      rv(&c, &v[0]), rv(&c, &v[1]);
      return cast(&v[0], &v[1], 0, nb_numel(&v[0]));
    case K_COPY:
      rv(&c, &v[0]), rv(&c, &v[1]);
      return copy(&v[0], &v[1], 0, nb_numel(&v[0]));
    case K_MATMUL:
      for (int k = 0; k < 3; k++) rv(&c, &v[k]);
      return matmul(&v[0], &v[1], &v[2], ws, 0, v[1].shape[0] * v[1].shape[1]);
    case K_GATHER: {
      rv(&c, &v[0]), rv(&c, &v[1]);
      int dim = ri(&c);
      rv(&c, &v[2]);
      st = gather(&v[0], &v[1], dim, &v[2], &badv);
      break;
    }
    case K_SCATTERADD: {
      rv(&c, &v[0]);
      int dim = ri(&c);
      rv(&c, &v[1]), rv(&c, &v[2]);
      st = scatterAdd(&v[0], dim, &v[1], &v[2], &badv);
      break;
    }
    case K_FILLRANDOM: {
      rv(&c, &v[0]);
      int dist = ri(&c);
      uint32_t seed = (uint32_t)ri(&c), counter = (uint32_t)ri(&c);
      return fillRandom(&v[0], dist, seed, counter, 0, nb_numel(&v[0]));
    }
    case K_CONV2D:
    case K_CONV2D_DX:
    case K_CONV2D_DW: {
      nb_conv_params p;
      for (int k = 0; k < 3; k++) rv(&c, &v[k]);
      rconv(&c, &p);
      /* float convolutions split over the batch; integer ones run whole from start 0 */
      if (kernel == K_CONV2D) return conv2d(&v[0], &v[1], &v[2], &p, ws, 0, is_float(&v[0]) ? v[1].shape[0] : 1);
      if (kernel == K_CONV2D_DX) return conv2dBackwardInput(&v[0], &v[1], &v[2], &p, ws, 0, is_float(&v[0]) ? v[0].shape[0] : 1);
      return conv2dBackwardWeight(&v[0], &v[1], &v[2], &p, ws);
    }
    case K_MAXPOOL2D: {
      nb_pool_params p;
      for (int k = 0; k < 3; k++) rv(&c, &v[k]);
      rpool(&c, &p);
      return maxPool2d(&v[0], &v[1], &v[2], &p, 0, planes(&v[2]));
    }
    case K_AVGPOOL2D:
    case K_AVGPOOL2D_DX: {
      nb_pool_params p;
      rv(&c, &v[0]), rv(&c, &v[1]);
      rpool(&c, &p);
      if (kernel == K_AVGPOOL2D) return avgPool2d(&v[0], &v[1], &p, 0, planes(&v[1]));
      return avgPool2dBackward(&v[0], &v[1], &p, ws, 0, planes(&v[0]));
    }
    /* float32 takes the float32x4 versions (fast_softmax.h); float64 the shared kernels */
    case K_SOFTMAX:
    case K_LOGSOFTMAX:
      rv(&c, &v[0]), rv(&c, &v[1]);
      if (v[1].dtype == NB_F32) return w_softmax_f32(&v[0], &v[1], kernel == K_LOGSOFTMAX);
      return (kernel == K_SOFTMAX ? softmax : logSoftmax)(&v[0], &v[1], 0, rows(&v[1]));
    case K_SCE:
      for (int k = 0; k < 3; k++) rv(&c, &v[k]);
      st = v[1].dtype == NB_F32 ? w_sce_f32(&v[0], &v[1], &v[2], 0, &badv)
                                : softmaxCrossEntropy(&v[0], &v[1], &v[2], &badv, 0, v[1].shape[0]);
      break;
    case K_SCE_DX:
      for (int k = 0; k < 4; k++) rv(&c, &v[k]);
      st = v[1].dtype == NB_F32 ? w_sce_f32(&v[0], &v[1], &v[2], &v[3], &badv)
                                : softmaxCrossEntropyBackward(&v[0], &v[1], &v[2], &v[3], &badv, 0, v[1].shape[0]);
      break;
    case K_LINEAR: {
      for (int k = 0; k < 3; k++) rv(&c, &v[k]);
      int has_bias = ri(&c);
      if (has_bias) rv(&c, &v[3]);
      int relu = ri(&c);
      return linear(&v[0], &v[1], &v[2], has_bias ? &v[3] : 0, relu, ws, 0, v[1].shape[0]);
    }
    case K_SGD: {
      rv(&c, &v[0]), rv(&c, &v[1]);
      int has_buf = ri(&c);
      if (has_buf) rv(&c, &v[2]);
      nb_sgd_params o = {desc_f[0], desc_f[1], desc_f[2], desc_f[3], 0, 0};
      o.nesterov = ri(&c);
      o.has_buffer = ri(&c);
      return sgdUpdate(&v[0], &v[1], has_buf ? &v[2] : 0, &o, 0, nb_numel(&v[0]));
    }
    case K_ADAM: {
      for (int k = 0; k < 4; k++) rv(&c, &v[k]);
      nb_adam_params o = {desc_f[0], desc_f[1], desc_f[2], desc_f[3], desc_f[4], 0, 0};
      o.decoupled = ri(&c);
      o.step = ri(&c);
      return adamUpdate(&v[0], &v[1], &v[2], &v[3], &o, 0, nb_numel(&v[0]));
    }
    default:
      return NB_EUNSUPPORTED;
  }
  bad_index = (int32_t)badv;
  return st;
}
