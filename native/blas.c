/*
 * scaling_blas: single-precision GEMM through OpenBLAS cblas_sgemm, exposed to Node via N-API.
 *
 * Operands are Float32Arrays at any byteOffset of any ArrayBuffer, including a WebAssembly.Memory
 * buffer (the tfjs wasm heap), so products run on tensors in place with no copies. Row-major:
 *   C[m,n] = alpha * op(A) * op(B) + beta * C,  op(A) is [m,k], op(B) is [k,n],
 * A stored [m,k] (or [k,m] with TRANS_A), B stored [k,n] (or [n,k] with TRANS_B), beta = ACCUMULATE ? 1 : 0.
 *
 * Every bound is checked here, not only in the TypeScript wrapper: a call with sizes that do not fit
 * its views throws RangeError before OpenBLAS sees a pointer, so an out-of-bounds write is impossible
 * whichever way the addon is reached.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <cblas.h>
#include <stdbool.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Flag bits; mirrored by GEMM_FLAGS in lib/native/blas.ts. */
enum { FLAG_TRANS_A = 1, FLAG_TRANS_B = 2, FLAG_ACCUMULATE = 4, FLAG_ALL = 7 };

/* Largest m, n, k or batch accepted: cblas dimensions are (at least) 32-bit ints. */
#define MAX_DIM 2147483647LL

typedef struct {
  float* data;
  uint64_t length; /* elements */
} F32View;

static napi_value throw_range(napi_env env, const char* msg) {
  napi_throw_range_error(env, "ERR_NATIVE_BLAS_RANGE", msg);
  return NULL;
}

static napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, "ERR_NATIVE_BLAS_TYPE", msg);
  return NULL;
}

/* A Float32Array argument; a detached buffer reports length 0 and fails the size check later. */
static bool get_view(napi_env env, napi_value v, const char* name, F32View* out) {
  bool is_typed = false;
  char msg[160];
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed) {
    snprintf(msg, sizeof msg, "%s: expected a Float32Array", name);
    throw_type(env, msg);
    return false;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void* data = NULL;
  napi_value ab;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &byte_offset) != napi_ok ||
      type != napi_float32_array) {
    snprintf(msg, sizeof msg, "%s: expected a Float32Array", name);
    throw_type(env, msg);
    return false;
  }
  out->data = (float*)data; /* N-API already adds byte_offset */
  out->length = data == NULL ? 0 : (uint64_t)length;
  return true;
}

/* An integer argument in [lo, hi]. */
static bool get_int(napi_env env, napi_value v, const char* name, int64_t lo, int64_t hi, int64_t* out) {
  double d = 0;
  char msg[160];
  /* Range first: the cast below is only defined for in-range values (NaN fails both comparisons). */
  if (napi_get_value_double(env, v, &d) != napi_ok || !(d >= (double)lo && d <= (double)hi) ||
      d != (double)(int64_t)d) {
    snprintf(msg, sizeof msg, "%s: expected an integer in [%lld, %lld]", name, (long long)lo, (long long)hi);
    throw_range(env, msg);
    return false;
  }
  *out = (int64_t)d;
  return true;
}

/* Elements a batch of `count` strided blocks of `size` needs; false on overflow. */
static bool span(uint64_t count, uint64_t stride, uint64_t size, uint64_t* out) {
  uint64_t off = 0;
  if (__builtin_mul_overflow(count - 1, stride, &off)) return false;
  return !__builtin_add_overflow(off, size, out);
}

/* Checks that `count` blocks of [rows, cols] at `stride` fit the view; *need gets the elements touched. */
static bool fits(napi_env env, const F32View* view, const char* name, uint64_t count, uint64_t stride,
                 uint64_t rows, uint64_t cols, uint64_t* need_out) {
  uint64_t need = 0;
  char msg[200];
  *need_out = 0;
  if (!span(count, stride, rows * cols, &need) || need > view->length) {
    snprintf(msg, sizeof msg,
             "%s: needs %llu float32 elements for %llu x [%llu, %llu] but the view holds %llu; pass a larger view or smaller sizes",
             name, (unsigned long long)need, (unsigned long long)count, (unsigned long long)rows,
             (unsigned long long)cols, (unsigned long long)view->length);
    throw_range(env, msg);
    return false;
  }
  *need_out = need;
  return true;
}

/* Output must not share bytes with an input: BLAS reads inputs while writing C. */
static bool disjoint(const F32View* c, uint64_t c_need, const F32View* x, uint64_t x_need) {
  const uintptr_t c0 = (uintptr_t)c->data, c1 = c0 + c_need * sizeof(float);
  const uintptr_t x0 = (uintptr_t)x->data, x1 = x0 + x_need * sizeof(float);
  return c1 <= x0 || x1 <= c0;
}

/*
 * Shared by sgemm and sgemmBatched. args: a, b, c, batch, m, n, k, flags, alpha, strideA, strideB, strideC.
 */
static napi_value gemm_common(napi_env env, napi_value* args, bool batched) {
  F32View a, b, c;
  int64_t batch = 1, m, n, k, flags;
  double alpha = 1.0;
  if (!get_view(env, args[0], "a", &a) || !get_view(env, args[1], "b", &b) || !get_view(env, args[2], "c", &c))
    return NULL;
  int i = 3;
  if (batched && !get_int(env, args[i++], "batch", 1, MAX_DIM, &batch)) return NULL;
  if (!get_int(env, args[i++], "m", 1, MAX_DIM, &m) || !get_int(env, args[i++], "n", 1, MAX_DIM, &n) ||
      !get_int(env, args[i++], "k", 1, MAX_DIM, &k) || !get_int(env, args[i++], "flags", 0, FLAG_ALL, &flags))
    return NULL;
  napi_valuetype t;
  napi_typeof(env, args[i], &t);
  if (t != napi_undefined) {
    if (napi_get_value_double(env, args[i], &alpha) != napi_ok || !(alpha - alpha == 0.0))
      return throw_range(env, "alpha: expected a finite number");
  }
  i++;
  const uint64_t sizeA = (uint64_t)m * (uint64_t)k, sizeB = (uint64_t)k * (uint64_t)n, sizeC = (uint64_t)m * (uint64_t)n;
  int64_t strideA = (int64_t)sizeA, strideB = (int64_t)sizeB, strideC = (int64_t)sizeC;
  if (batched) {
    /* A stride of 0 broadcasts one operand over the batch; C strides must not make batches collide. */
    if (!get_int(env, args[i++], "strideA", 0, INT64_C(1) << 52, &strideA) ||
        !get_int(env, args[i++], "strideB", 0, INT64_C(1) << 52, &strideB) ||
        !get_int(env, args[i++], "strideC", 0, INT64_C(1) << 52, &strideC))
      return NULL;
    if (batch > 1 && (uint64_t)strideC < sizeC)
      return throw_range(env, "strideC: must be at least m*n so batch outputs do not overlap");
  }
  const bool ta = (flags & FLAG_TRANS_A) != 0, tb = (flags & FLAG_TRANS_B) != 0;
  const uint64_t rowsA = ta ? k : m, colsA = ta ? m : k;
  const uint64_t rowsB = tb ? n : k, colsB = tb ? k : n;
  uint64_t needA = 0, needB = 0, needC = 0;
  if (!fits(env, &a, "a", batch, strideA, rowsA, colsA, &needA) ||
      !fits(env, &b, "b", batch, strideB, rowsB, colsB, &needB) || !fits(env, &c, "c", batch, strideC, m, n, &needC))
    return NULL;
  if (!disjoint(&c, needC, &a, needA) || !disjoint(&c, needC, &b, needB))
    return throw_range(env, "c: overlaps an input (a or b); write the product into a separate buffer");

  const float beta = (flags & FLAG_ACCUMULATE) ? 1.0f : 0.0f;
  const blasint lda = (blasint)colsA, ldb = (blasint)colsB, ldc = (blasint)n;
  for (int64_t p = 0; p < batch; p++) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, (blasint)m,
                (blasint)n, (blasint)k, (float)alpha, a.data + p * strideA, lda, b.data + p * strideB, ldb, beta,
                c.data + p * strideC, ldc);
  }
  return NULL;
}

/* sgemm(a, b, c, m, n, k, flags, alpha?) */
static napi_value Sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 7) return throw_type(env, "sgemm(a, b, c, m, n, k, flags, alpha?): expected at least 7 arguments");
  napi_value args[12];
  for (int i = 0; i < 3; i++) args[i] = argv[i];
  for (int i = 3; i < 8; i++) args[i] = argv[i]; /* m, n, k, flags, alpha: indices line up when not batched */
  if (argc < 8) napi_get_undefined(env, &args[7]);
  return gemm_common(env, args, false);
}

/* sgemmBatched(a, b, c, batch, m, n, k, flags, alpha, strideA, strideB, strideC) */
static napi_value SgemmBatched(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 12)
    return throw_type(env,
                      "sgemmBatched(a, b, c, batch, m, n, k, flags, alpha, strideA, strideB, strideC): expected 12 arguments");
  return gemm_common(env, argv, true);
}

/* An Int32Array argument (targets of the cross-entropy). */
static bool get_i32_view(napi_env env, napi_value v, const char* name, int32_t** data_out, uint64_t* length_out) {
  bool is_typed = false;
  char msg[160];
  napi_typedarray_type type;
  size_t length = 0;
  void* data = NULL;
  napi_value ab;
  size_t byte_offset = 0;
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &byte_offset) != napi_ok || type != napi_int32_array) {
    snprintf(msg, sizeof msg, "%s: expected an Int32Array", name);
    throw_type(env, msg);
    return false;
  }
  *data_out = (int32_t*)data;
  *length_out = data == NULL ? 0 : (uint64_t)length;
  return true;
}

/* Shared argument checks of the two cross-entropy entries: views long enough, targets in range. */
static bool xent_args(napi_env env, napi_value* argv, F32View* in, int32_t** y, F32View* out, int64_t* rows, int64_t* vocab) {
  uint64_t ylen = 0, need = 0;
  if (!get_view(env, argv[0], "in", in) || !get_i32_view(env, argv[1], "targets", y, &ylen) ||
      !get_view(env, argv[2], "out", out) || !get_int(env, argv[3], "rows", 1, MAX_DIM, rows) ||
      !get_int(env, argv[4], "vocab", 1, MAX_DIM, vocab))
    return false;
  if (!fits(env, in, "in", 1, 0, (uint64_t)*rows, (uint64_t)*vocab, &need) || !fits(env, out, "out", 1, 0, (uint64_t)*rows, (uint64_t)*vocab, &need))
    return false;
  if (ylen < (uint64_t)*rows) {
    throw_range(env, "targets: fewer than rows elements");
    return false;
  }
  if (!disjoint(out, need, in, need)) {
    throw_range(env, "out: overlaps the input; write into a separate buffer");
    return false;
  }
  for (int64_t r = 0; r < *rows; r++) {
    if ((*y)[r] < 0 || (int64_t)(*y)[r] >= *vocab) {
      char msg[160];
      snprintf(msg, sizeof msg, "targets: id %d of row %lld is outside [0, %lld)", (*y)[r], (long long)r, (long long)*vocab);
      throw_range(env, msg);
      return false;
    }
  }
  return true;
}

/*
 * softmaxCrossEntropy(logits, targets, probs, rows, vocab) -> mean over rows of
 * logsumexp(z_r) - z_r[y_r] (float64 sums); probs gets softmax(z) row by row.
 */
static napi_value SoftmaxCrossEntropy(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 5) return throw_type(env, "softmaxCrossEntropy(logits, targets, probs, rows, vocab): expected 5 arguments");
  F32View z, p;
  int32_t* y = NULL;
  int64_t rows = 0, vocab = 0;
  if (!xent_args(env, argv, &z, &y, &p, &rows, &vocab)) return NULL;
  double total = 0;
  for (int64_t r = 0; r < rows; r++) {
    const float* zr = z.data + r * vocab;
    float* pr = p.data + r * vocab;
    float max = zr[0];
    for (int64_t v = 1; v < vocab; v++) max = zr[v] > max ? zr[v] : max;
    double sum = 0;
    for (int64_t v = 0; v < vocab; v++) {
      const float e = expf(zr[v] - max);
      pr[v] = e;
      sum += e;
    }
    const float inv = (float)(1.0 / sum);
    for (int64_t v = 0; v < vocab; v++) pr[v] *= inv;
    total += log(sum) + (double)max - (double)zr[y[r]];
  }
  napi_value out;
  napi_create_double(env, total / (double)rows, &out);
  return out;
}

/* softmaxCrossEntropyGrad(probs, targets, grad, rows, vocab, scale): grad = (probs - onehot) * scale. */
static napi_value SoftmaxCrossEntropyGrad(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 6) return throw_type(env, "softmaxCrossEntropyGrad(probs, targets, grad, rows, vocab, scale): expected 6 arguments");
  F32View p, g;
  int32_t* y = NULL;
  int64_t rows = 0, vocab = 0;
  double scale = 0;
  if (!xent_args(env, argv, &p, &y, &g, &rows, &vocab)) return NULL;
  if (napi_get_value_double(env, argv[5], &scale) != napi_ok || !(scale - scale == 0.0))
    return throw_range(env, "scale: expected a finite number");
  const float s = (float)scale;
  const int64_t n = rows * vocab;
  for (int64_t i = 0; i < n; i++) g.data[i] = p.data[i] * s;
  for (int64_t r = 0; r < rows; r++) g.data[r * vocab + y[r]] = (p.data[r * vocab + y[r]] - 1.0f) * s;
  return NULL;
}

/*
 * rmsNorm(x, gain, y, rinv, rows, d, eps): y = x * rinv * gain with rinv[r] = 1/sqrt(mean(x_r^2) + eps)
 * (float64 sums); rinv is kept for the backward pass.
 */
static napi_value RmsNorm(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 7) return throw_type(env, "rmsNorm(x, gain, y, rinv, rows, d, eps): expected 7 arguments");
  F32View x, g, y, r;
  int64_t rows = 0, d = 0;
  double eps = 0;
  uint64_t needX = 0, needG = 0, needR = 0;
  if (!get_view(env, argv[0], "x", &x) || !get_view(env, argv[1], "gain", &g) || !get_view(env, argv[2], "y", &y) ||
      !get_view(env, argv[3], "rinv", &r) || !get_int(env, argv[4], "rows", 1, MAX_DIM, &rows) ||
      !get_int(env, argv[5], "d", 1, MAX_DIM, &d))
    return NULL;
  if (napi_get_value_double(env, argv[6], &eps) != napi_ok || !(eps >= 0 && eps - eps == 0.0))
    return throw_range(env, "eps: expected a finite number >= 0");
  if (!fits(env, &x, "x", 1, 0, rows, d, &needX) || !fits(env, &y, "y", 1, 0, rows, d, &needX) ||
      !fits(env, &g, "gain", 1, 0, 1, d, &needG) || !fits(env, &r, "rinv", 1, 0, rows, 1, &needR))
    return NULL;
  if (!disjoint(&y, needX, &x, needX) || !disjoint(&y, needX, &g, needG) || !disjoint(&r, needR, &x, needX))
    return throw_range(env, "y/rinv: overlap an input; write into separate buffers");
  for (int64_t i = 0; i < rows; i++) {
    const float* xr = x.data + i * d;
    float* yr = y.data + i * d;
    double ss = 0;
    for (int64_t j = 0; j < d; j++) ss += (double)xr[j] * xr[j];
    const float ri = (float)(1.0 / sqrt(ss / (double)d + eps));
    r.data[i] = ri;
    for (int64_t j = 0; j < d; j++) yr[j] = xr[j] * ri * g.data[j];
  }
  return NULL;
}

/*
 * rmsNormGrad(x, gain, rinv, dy, dx, dgain, rows, d):
 *   dx_k = rinv*gain_k*dy_k - x_k * rinv^3 / d * sum_j dy_j*gain_j*x_j,   dgain_k = sum_rows dy_k*x_k*rinv.
 */
static napi_value RmsNormGrad(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 8) return throw_type(env, "rmsNormGrad(x, gain, rinv, dy, dx, dgain, rows, d): expected 8 arguments");
  F32View x, g, r, dy, dx, dg;
  int64_t rows = 0, d = 0;
  uint64_t needX = 0, needG = 0, needR = 0;
  if (!get_view(env, argv[0], "x", &x) || !get_view(env, argv[1], "gain", &g) || !get_view(env, argv[2], "rinv", &r) ||
      !get_view(env, argv[3], "dy", &dy) || !get_view(env, argv[4], "dx", &dx) || !get_view(env, argv[5], "dgain", &dg) ||
      !get_int(env, argv[6], "rows", 1, MAX_DIM, &rows) || !get_int(env, argv[7], "d", 1, MAX_DIM, &d))
    return NULL;
  if (!fits(env, &x, "x", 1, 0, rows, d, &needX) || !fits(env, &dy, "dy", 1, 0, rows, d, &needX) ||
      !fits(env, &dx, "dx", 1, 0, rows, d, &needX) || !fits(env, &g, "gain", 1, 0, 1, d, &needG) ||
      !fits(env, &dg, "dgain", 1, 0, 1, d, &needG) || !fits(env, &r, "rinv", 1, 0, rows, 1, &needR))
    return NULL;
  if (!disjoint(&dx, needX, &x, needX) || !disjoint(&dx, needX, &dy, needX) || !disjoint(&dg, needG, &g, needG) ||
      !disjoint(&dx, needX, &dg, needG))
    return throw_range(env, "dx/dgain: overlap an input; write into separate buffers");
  /* dgain sums over every row: float64 accumulators, so it is no less exact than a float32 reduction. */
  double* acc = calloc((size_t)d, sizeof(double));
  if (acc == NULL) return throw_range(env, "dgain: out of memory for the accumulators");
  for (int64_t i = 0; i < rows; i++) {
    const float* xr = x.data + i * d;
    const float* dyr = dy.data + i * d;
    float* dxr = dx.data + i * d;
    const double ri = r.data[i];
    double s = 0;
    for (int64_t j = 0; j < d; j++) s += (double)dyr[j] * g.data[j] * xr[j];
    const float c = (float)(ri * ri * ri * s / (double)d);
    const float rf = (float)ri;
    for (int64_t j = 0; j < d; j++) {
      dxr[j] = rf * g.data[j] * dyr[j] - xr[j] * c;
      acc[j] += (double)dyr[j] * xr[j] * ri;
    }
  }
  for (int64_t j = 0; j < d; j++) dg.data[j] = (float)acc[j];
  free(acc);
  return NULL;
}

/* setThreads(n): OpenBLAS worker threads for later calls. */
static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t n = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1) return throw_type(env, "setThreads(n): expected 1 argument");
  if (!get_int(env, argv[0], "threads", 1, 1024, &n)) return NULL;
  openblas_set_num_threads((int)n);
  return NULL;
}

static void set_str(napi_env env, napi_value obj, const char* key, const char* s) {
  napi_value v;
  napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, key, v);
}

static void set_int(napi_env env, napi_value obj, const char* key, int x) {
  napi_value v;
  napi_create_int32(env, x, &v);
  napi_set_named_property(env, obj, key, v);
}

/* getConfig(): what OpenBLAS reports about itself at this moment. */
static napi_value GetConfig(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj;
  napi_create_object(env, &obj);
  set_str(env, obj, "buildConfig", openblas_get_config());
  set_str(env, obj, "coreName", openblas_get_corename());
  set_int(env, obj, "threads", openblas_get_num_threads());
  set_int(env, obj, "processors", openblas_get_num_procs());
  /* 0 sequential, 1 pthreads, 2 OpenMP (openblas_get_parallel) */
  set_int(env, obj, "parallel", openblas_get_parallel());
  set_int(env, obj, "intBytes", (int)sizeof(blasint));
  return obj;
}

/*
 * fmaPeak(iterations): single-core float32 FMA peak in FLOP/s, from a register-only loop: 12
 * independent 8-wide accumulators (enough to cover FMA latency × throughput on AVX2 cores), no
 * memory traffic. The ceiling the benchmark's GFLOP/s are a fraction of. 0 when the CPU lacks FMA.
 */
#if defined(__x86_64__)
#include <immintrin.h>
#include <time.h>
#define FMA_ACCUMULATORS 12
__attribute__((target("avx2,fma"))) static double fma_loop(int64_t iterations, float* sink) {
  __m256 acc[FMA_ACCUMULATORS];
  for (int i = 0; i < FMA_ACCUMULATORS; i++) acc[i] = _mm256_set1_ps(1.0f + (float)i * 1e-3f);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  struct timespec t0, t1;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0); /* CPU time: robust to other jobs on the core */
  for (int64_t n = 0; n < iterations; n++) {
    for (int i = 0; i < FMA_ACCUMULATORS; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
  __m256 sum = acc[0];
  for (int i = 1; i < FMA_ACCUMULATORS; i++) sum = _mm256_add_ps(sum, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, sum);
  *sink = out[0];
  const double seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  return seconds > 0 ? (double)iterations * FMA_ACCUMULATORS * 8 * 2 / seconds : 0;
}
#endif

static napi_value FmaPeak(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int64_t iterations = 0;
  if (argc < 1 || !get_int(env, argv[0], "iterations", 1, INT64_C(1) << 40, &iterations)) {
    if (argc < 1) return throw_type(env, "fmaPeak(iterations): expected 1 argument");
    return NULL;
  }
  double flops = 0;
#if defined(__x86_64__)
  float sink = 0;
  if (__builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2")) flops = fma_loop(iterations, &sink);
#endif
  napi_value out;
  napi_create_double(env, flops, &out);
  return out;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, Sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sgemmBatched", NULL, SgemmBatched, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"softmaxCrossEntropy", NULL, SoftmaxCrossEntropy, NULL, NULL, NULL, napi_enumerable, NULL},
      {"softmaxCrossEntropyGrad", NULL, SoftmaxCrossEntropyGrad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"rmsNorm", NULL, RmsNorm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"rmsNormGrad", NULL, RmsNormGrad, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getConfig", NULL, GetConfig, NULL, NULL, NULL, napi_enumerable, NULL},
      {"fmaPeak", NULL, FmaPeak, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
