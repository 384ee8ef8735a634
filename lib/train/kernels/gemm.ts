/**
 * The one 2-D product every heavy matmul of the wasm engine goes through:
 *
 *   C[m, n] = op(A) · op(B),  op(X) = Xᵀ when the trans flag is set,
 *
 * with A, B, C row-major float32 on the wasm heap at byte offsets. This wasm implementation
 * materialises transposes (cache-blocked) into scratch and runs the plain product on XNNPACK's
 * fast fully-connected path by registering zero-copy tensor views of the heap. A native BLAS can
 * replace it with the same signature (it would read `backend.wasm.HEAPF32.buffer` directly).
 */

/** The parts of tfjs-backend-wasm's `BackendWasm` (and its emscripten module) that the kernels use. */
export interface WasmBackendLike {
  wasm: {
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(offset: number): void;
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
  };
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { memoryOffset: number; id: number } | undefined };
}

/** A 2-D product on the wasm heap; offsets in bytes; A is [m,k] ([k,m] if transA), B [k,n] ([n,k] if transB). */
export type GemmFn = (
  backend: WasmBackendLike,
  aOffset: number,
  bOffset: number,
  cOffset: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
) => void;

/**
 * `batch` products of one shape in one call (e.g. attention's per-sequence, per-head products):
 * matrix i of A/B/C starts `i·stride…` bytes after the first; a stride of 0 reuses one matrix.
 * Optional: without it the kernel loops over `GemmFn`.
 */
export type BatchedGemmFn = (
  backend: WasmBackendLike,
  aOffset: number,
  bOffset: number,
  cOffset: number,
  batch: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  strideABytes: number,
  strideBBytes: number,
) => void;

type RawBatchMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, ta: number, tb: number, outId: number) => void;

// The cwrapped stock C++ entry, once per backend instance (a cache, not configuration).
const rawCache = new WeakMap<object, RawBatchMatMul>();

function rawBatchMatMul(backend: WasmBackendLike): RawBatchMatMul {
  let fn = rawCache.get(backend);
  if (!fn) {
    fn = backend.wasm.cwrap("BatchMatMul", null, ["number", "array", "number", "number", "array", "number", "number", "number", "number"]) as RawBatchMatMul;
    rawCache.set(backend, fn);
  }
  return fn;
}

const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/**
 * Tile edge of the blocked transpose. Measured on this machine over 8–64 tiles and both loop
 * orders: 64×64 tiles with contiguous writes were fastest (≈3.5 ns/element for 4096×256).
 */
const TRANSPOSE_BLOCK = 64;

/** dst[c, r] = src[r, c] for a rows×cols matrix; element offsets into one heap view. */
export function transposeInto(heap: Float32Array, src: number, dst: number, rows: number, cols: number): void {
  for (let r0 = 0; r0 < rows; r0 += TRANSPOSE_BLOCK) {
    const r1 = Math.min(rows, r0 + TRANSPOSE_BLOCK);
    for (let c0 = 0; c0 < cols; c0 += TRANSPOSE_BLOCK) {
      const c1 = Math.min(cols, c0 + TRANSPOSE_BLOCK);
      for (let c = c0; c < c1; c++) {
        const d = dst + c * rows;
        for (let r = r0; r < r1; r++) heap[d + r] = heap[src + r * cols + c]!;
      }
    }
  }
}

/**
 * Relative cost per element of XNNPACK packing the right operand (it re-packs on every call,
 * since it assumes static weights) versus one blocked JS transpose; measured on this machine
 * (64×4096×176 vs 176×4096×64 plain products: ~3× per element).
 */
const PACK_COST = 3;

/** Plain product on XNNPACK: C[m,n] = A[m,k]·B[k,n], all row-major at byte offsets, no transposes. */
function plainProduct(backend: WasmBackendLike, a: number, b: number, c: number, m: number, n: number, k: number): void {
  const { wasm } = backend;
  // Fresh ids for the views: XNNPACK caches packed weights per tensor id, and disposing the id
  // drops that cache, so a view can never see stale packed data.
  const aId = backend.dataIdNextNumber++;
  const bId = backend.dataIdNextNumber++;
  const cId = backend.dataIdNextNumber++;
  wasm.tfjs.registerTensor(aId, m * k, a);
  wasm.tfjs.registerTensor(bId, k * n, b);
  wasm.tfjs.registerTensor(cId, m * n, c);
  try {
    rawBatchMatMul(backend)(aId, shapeBytes([1, m, k]), 3, bId, shapeBytes([1, k, n]), 3, 0, 0, cId);
  } finally {
    wasm.tfjs.disposeData(aId);
    wasm.tfjs.disposeData(bId);
    wasm.tfjs.disposeData(cId);
  }
}

/**
 * The wasm/XNNPACK implementation of `GemmFn`. It runs either C = op(A)·op(B) or, when cheaper,
 * Cᵀ = op(B)ᵀ·op(A)ᵀ followed by one small transpose: XNNPACK packs its right operand ([k, n])
 * on every call, so it pays to put the narrower side there (weight gradients xᵀ·dy, k = batch·seq).
 */
export const wasmGemm: GemmFn = (backend, aOffset, bOffset, cOffset, m, n, k, transA, transB) => {
  const direct = (transA ? m * k : 0) + (transB ? k * n : 0) + PACK_COST * k * n;
  const swapped = (transB ? 0 : k * n) + (transA ? 0 : m * k) + PACK_COST * m * k + m * n;
  const { wasm } = backend;
  const scratch: number[] = [];
  const alloc = (floats: number): number => {
    const offset = wasm._malloc(floats * 4) >>> 0;
    scratch.push(offset);
    return offset;
  };
  try {
    if (direct <= swapped) {
      // Scratch for materialised transposes; malloc may grow the heap, so the view is taken afterwards.
      const a = transA ? alloc(m * k) : aOffset;
      const b = transB ? alloc(k * n) : bOffset;
      const heap = wasm.HEAPF32;
      if (transA) transposeInto(heap, aOffset / 4, a / 4, k, m);
      if (transB) transposeInto(heap, bOffset / 4, b / 4, n, k);
      plainProduct(backend, a, b, cOffset, m, n, k);
    } else {
      // Cᵀ[n, m] = op(B)ᵀ[n, k] · op(A)ᵀ[k, m]; a transposed operand is already stored that way.
      const left = transB ? bOffset : alloc(k * n);
      const right = transA ? aOffset : alloc(m * k);
      const ct = alloc(m * n);
      let heap = wasm.HEAPF32;
      if (!transB) transposeInto(heap, bOffset / 4, left / 4, k, n);
      if (!transA) transposeInto(heap, aOffset / 4, right / 4, m, k);
      plainProduct(backend, left, right, ct, n, m, k);
      heap = wasm.HEAPF32;
      transposeInto(heap, ct / 4, cOffset / 4, n, m);
    }
  } finally {
    for (const offset of scratch) wasm._free(offset);
  }
};
