/* The BLAS and LAPACK routines OpenCV's cv2 calls, handed to the OpenBLAS numpy brings.

   Built by packaging/linux_libs.py in place of the OpenBLAS of OpenCV's headless wheel (37 MB
   with its Fortran runtime), under that library's name. cv2 speaks the usual interface (32-bit
   integers); numpy's OpenBLAS is built with 64-bit integers and names ending in 64_. Each
   routine cv2 imports is defined here and calls numpy's: integers are widened, the integer
   arrays a routine writes (pivots, the SVD's workspace) go through 64-bit copies, and every
   character argument gets its hidden Fortran length. Workspace queries (lwork = -1) pass
   through as they are. */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef int64_t big;

static big *wide(const int *values, int count)
{
    big *copy = calloc(count > 0 ? (size_t)count : 1, sizeof(big));
    if (copy == NULL) {
        fputs("studio: out of memory in a matrix routine\n", stderr);
        abort();
    }
    for (int i = 0; values != NULL && i < count; i++)
        copy[i] = values[i];
    return copy;
}

static void narrow(big *copy, int *values, int count)
{
    for (int i = 0; i < count; i++)
        values[i] = (int)copy[i];
    free(copy);
}

static int smaller(int a, int b) { return a < b ? a : b; }

/* Matrix products (cblas_?gemm): the order and transposes are C enums (int) in both. */

#define GEMM(name, scalar, value)                                                            \
    extern void name##64_(int order, int ta, int tb, big m, big n, big k, value alpha,     \
                          const scalar *a, big lda, const scalar *b, big ldb, value beta,   \
                          scalar *c, big ldc);                                              \
    void name(int order, int ta, int tb, int m, int n, int k, value alpha, const scalar *a, \
              int lda, const scalar *b, int ldb, value beta, scalar *c, int ldc)            \
    {                                                                                       \
        name##64_(order, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);             \
    }

GEMM(cblas_sgemm, float, float)
GEMM(cblas_dgemm, double, double)
GEMM(cblas_cgemm, void, const void *)
GEMM(cblas_zgemm, void, const void *)

/* Solve A X = B by LU (?gesv_) and the LU factorisation itself (?getrf_). */

#define GESV(name, scalar)                                                                  \
    extern void name##64_(const big *n, const big *nrhs, scalar *a, const big *lda,         \
                          big *ipiv, scalar *b, const big *ldb, big *info);                 \
    void name(const int *n, const int *nrhs, scalar *a, const int *lda, int *ipiv,          \
              scalar *b, const int *ldb, int *info)                                         \
    {                                                                                       \
        big n64 = *n, nrhs64 = *nrhs, lda64 = *lda, ldb64 = *ldb, info64 = 0;               \
        big *ipiv64 = wide(NULL, *n);                                                       \
        name##64_(&n64, &nrhs64, a, &lda64, ipiv64, b, &ldb64, &info64);                    \
        narrow(ipiv64, ipiv, *n);                                                           \
        *info = (int)info64;                                                                \
    }

GESV(sgesv_, float)
GESV(dgesv_, double)

#define GETRF(name, scalar)                                                                 \
    extern void name##64_(const big *m, const big *n, scalar *a, const big *lda, big *ipiv, \
                          big *info);                                                       \
    void name(const int *m, const int *n, scalar *a, const int *lda, int *ipiv, int *info)  \
    {                                                                                       \
        big m64 = *m, n64 = *n, lda64 = *lda, info64 = 0;                                   \
        int pivots = smaller(*m, *n);                                                       \
        big *ipiv64 = wide(NULL, pivots);                                                   \
        name##64_(&m64, &n64, a, &lda64, ipiv64, &info64);                                  \
        narrow(ipiv64, ipiv, pivots);                                                       \
        *info = (int)info64;                                                                \
    }

GETRF(sgetrf_, float)
GETRF(dgetrf_, double)

/* Cholesky: solve (?posv_) and factorise (?potrf_). */

#define POSV(name, scalar)                                                                  \
    extern void name##64_(const char *uplo, const big *n, const big *nrhs, scalar *a,       \
                          const big *lda, scalar *b, const big *ldb, big *info, size_t);    \
    void name(const char *uplo, const int *n, const int *nrhs, scalar *a, const int *lda,   \
              scalar *b, const int *ldb, int *info)                                         \
    {                                                                                       \
        big n64 = *n, nrhs64 = *nrhs, lda64 = *lda, ldb64 = *ldb, info64 = 0;               \
        name##64_(uplo, &n64, &nrhs64, a, &lda64, b, &ldb64, &info64, 1);                   \
        *info = (int)info64;                                                                \
    }

POSV(sposv_, float)
POSV(dposv_, double)

#define POTRF(name, scalar)                                                                 \
    extern void name##64_(const char *uplo, const big *n, scalar *a, const big *lda,        \
                          big *info, size_t);                                               \
    void name(const char *uplo, const int *n, scalar *a, const int *lda, int *info)         \
    {                                                                                       \
        big n64 = *n, lda64 = *lda, info64 = 0;                                             \
        name##64_(uplo, &n64, a, &lda64, &info64, 1);                                       \
        *info = (int)info64;                                                                \
    }

POTRF(spotrf_, float)
POTRF(dpotrf_, double)

/* Singular value decomposition by divide and conquer (?gesdd_): iwork holds 8 min(m, n). */

#define GESDD(name, scalar)                                                                 \
    extern void name##64_(const char *jobz, const big *m, const big *n, scalar *a,          \
                          const big *lda, scalar *s, scalar *u, const big *ldu, scalar *vt, \
                          const big *ldvt, scalar *work, const big *lwork, big *iwork,      \
                          big *info, size_t);                                               \
    void name(const char *jobz, const int *m, const int *n, scalar *a, const int *lda,      \
              scalar *s, scalar *u, const int *ldu, scalar *vt, const int *ldvt,            \
              scalar *work, const int *lwork, int *iwork, int *info)                        \
    {                                                                                       \
        big m64 = *m, n64 = *n, lda64 = *lda, ldu64 = *ldu, ldvt64 = *ldvt;                 \
        big lwork64 = *lwork, info64 = 0;                                                   \
        int count = 8 * smaller(*m, *n);                                                    \
        big *iwork64 = wide(NULL, count);                                                   \
        name##64_(jobz, &m64, &n64, a, &lda64, s, u, &ldu64, vt, &ldvt64, work, &lwork64,   \
                  iwork64, &info64, 1);                                                     \
        narrow(iwork64, iwork, count);                                                      \
        *info = (int)info64;                                                                \
    }

GESDD(sgesdd_, float)
GESDD(dgesdd_, double)

/* Least squares (?gels_) and the QR factorisation (?geqrf_). */

#define GELS(name, scalar)                                                                  \
    extern void name##64_(const char *trans, const big *m, const big *n, const big *nrhs,   \
                          scalar *a, const big *lda, scalar *b, const big *ldb,             \
                          scalar *work, const big *lwork, big *info, size_t);               \
    void name(const char *trans, const int *m, const int *n, const int *nrhs, scalar *a,    \
              const int *lda, scalar *b, const int *ldb, scalar *work, const int *lwork,    \
              int *info)                                                                    \
    {                                                                                       \
        big m64 = *m, n64 = *n, nrhs64 = *nrhs, lda64 = *lda, ldb64 = *ldb;                 \
        big lwork64 = *lwork, info64 = 0;                                                   \
        name##64_(trans, &m64, &n64, &nrhs64, a, &lda64, b, &ldb64, work, &lwork64,         \
                  &info64, 1);                                                              \
        *info = (int)info64;                                                                \
    }

GELS(sgels_, float)
GELS(dgels_, double)

#define GEQRF(name, scalar)                                                                 \
    extern void name##64_(const big *m, const big *n, scalar *a, const big *lda,            \
                          scalar *tau, scalar *work, const big *lwork, big *info);          \
    void name(const int *m, const int *n, scalar *a, const int *lda, scalar *tau,           \
              scalar *work, const int *lwork, int *info)                                    \
    {                                                                                       \
        big m64 = *m, n64 = *n, lda64 = *lda, lwork64 = *lwork, info64 = 0;                 \
        name##64_(&m64, &n64, a, &lda64, tau, work, &lwork64, &info64);                     \
        *info = (int)info64;                                                                \
    }

GEQRF(sgeqrf_, float)
GEQRF(dgeqrf_, double)

/* Eigenvalues and vectors of a general matrix (dgeev_). */

extern void dgeev_64_(const char *jobvl, const char *jobvr, const big *n, double *a,
                      const big *lda, double *wr, double *wi, double *vl, const big *ldvl,
                      double *vr, const big *ldvr, double *work, const big *lwork, big *info,
                      size_t, size_t);

void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info)
{
    big n64 = *n, lda64 = *lda, ldvl64 = *ldvl, ldvr64 = *ldvr, lwork64 = *lwork, info64 = 0;
    dgeev_64_(jobvl, jobvr, &n64, a, &lda64, wr, wi, vl, &ldvl64, vr, &ldvr64, work, &lwork64,
              &info64, 1, 1);
    *info = (int)info64;
}
