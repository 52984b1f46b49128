/* One ISA build of the kernel library as a table of entry points (filled in by isa_*.c). */
#ifndef NABLA_TABLE_H
#define NABLA_TABLE_H
#include "../kernels/nabla.h"

typedef struct {
  const char *isa;
  int (*unary)(int, const nb_view *, const nb_view *, int64_t, int64_t);
  int (*binary)(int, const nb_view *, const nb_view *, const nb_view *, int64_t, int64_t);
  int (*where)(const nb_view *, const nb_view *, const nb_view *, const nb_view *, int64_t, int64_t);
  int (*cast)(const nb_view *, const nb_view *, int64_t, int64_t);
  int (*copy)(const nb_view *, const nb_view *, int64_t, int64_t);
  int (*reduce)(int, const nb_view *, const nb_view *, uint32_t, int64_t, int64_t);
  int (*argReduce)(int, const nb_view *, const nb_view *, int, int64_t, int64_t);
  size_t (*matmul_workspace_bytes)(void);
  int (*matmul)(const nb_view *, const nb_view *, const nb_view *, void *, int64_t, int64_t);
  int (*gather)(const nb_view *, const nb_view *, int, const nb_view *, int64_t *);
  int (*scatterAdd)(const nb_view *, int, const nb_view *, const nb_view *, int64_t *);
  int (*fillRandom)(const nb_view *, int, uint32_t, uint32_t, int64_t, int64_t);
  size_t (*conv_workspace_bytes)(const nb_view *, const nb_view *, const nb_view *);
  int (*conv2d)(const nb_view *, const nb_view *, const nb_view *, const nb_conv_params *, void *, int64_t, int64_t);
  int (*conv2dBackwardInput)(const nb_view *, const nb_view *, const nb_view *, const nb_conv_params *, void *, int64_t, int64_t);
  int (*conv2dBackwardWeight)(const nb_view *, const nb_view *, const nb_view *, const nb_conv_params *, void *);
  int (*maxPool2d)(const nb_view *, const nb_view *, const nb_view *, const nb_pool_params *, int64_t, int64_t);
  int (*avgPool2d)(const nb_view *, const nb_view *, const nb_pool_params *, int64_t, int64_t);
  int (*avgPool2dBackward)(const nb_view *, const nb_view *, const nb_pool_params *, void *, int64_t, int64_t);
  int (*softmax)(const nb_view *, const nb_view *, int64_t, int64_t);
  int (*logSoftmax)(const nb_view *, const nb_view *, int64_t, int64_t);
  int (*softmaxCrossEntropy)(const nb_view *, const nb_view *, const nb_view *, int64_t *, int64_t, int64_t);
  int (*softmaxCrossEntropyBackward)(const nb_view *, const nb_view *, const nb_view *, const nb_view *, int64_t *, int64_t, int64_t);
  int (*linear)(const nb_view *, const nb_view *, const nb_view *, const nb_view *, int, void *, int64_t, int64_t);
  int (*sgdUpdate)(const nb_view *, const nb_view *, const nb_view *, const nb_sgd_params *, int64_t, int64_t);
  int (*adamUpdate)(const nb_view *, const nb_view *, const nb_view *, const nb_view *, const nb_adam_params *, int64_t, int64_t);
} nb_table;

#define NB_TABLE_INIT(name)                                                                              \
  {name, unary, binary, where, cast, copy, reduce, argReduce, matmul_workspace_bytes, matmul, gather,   \
   scatterAdd, fillRandom, conv_workspace_bytes, conv2d, conv2dBackwardInput, conv2dBackwardWeight,     \
   maxPool2d, avgPool2d, avgPool2dBackward, softmax, logSoftmax, softmaxCrossEntropy,                   \
   softmaxCrossEntropyBackward, linear, sgdUpdate, adamUpdate}

extern const nb_table nb_table_avx512, nb_table_avx2, nb_table_sse2;
#endif
