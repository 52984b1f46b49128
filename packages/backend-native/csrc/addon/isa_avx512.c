/* The kernel library compiled for avx512 (flags in binding.gyp); its only external symbol is the table. */
#define NB_API static
#include "../kernels/all.c"
#include "table.h"
const nb_table nb_table_avx512 = NB_TABLE_INIT("avx512");
