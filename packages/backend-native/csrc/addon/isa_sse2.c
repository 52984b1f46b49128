/* The kernel library compiled for sse2 (flags in binding.gyp); its only external symbol is the table. */
#define NB_API static
#include "../kernels/all.c"
#include "table.h"
const nb_table nb_table_sse2 = NB_TABLE_INIT("sse2");
