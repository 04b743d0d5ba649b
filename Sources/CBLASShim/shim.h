// The only C the project sees: OpenBLAS's CBLAS, LAPACKE, and OpenBLAS thread control.
// Swift code reaches these through Sources/Optimizer/LinearAlgebra only.
#ifndef HDBENCH_CBLAS_SHIM_H
#define HDBENCH_CBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
// Declared in cblas.h of OpenBLAS; repeated so the dependency is explicit.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);
#endif
