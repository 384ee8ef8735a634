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
#include <stdio.h>

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

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, Sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sgemmBatched", NULL, SgemmBatched, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getConfig", NULL, GetConfig, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
