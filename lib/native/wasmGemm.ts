import type { BatchedGemmFn, GemmFn } from "../train/kernels/gemm";
import { loadNativeBlas, type NativeBlas, type NativeBlasConfig } from "./blas";

/**
 * The native BLAS behind the training engine's product hooks (`GemmFn`, `BatchedGemmFn` in
 * lib/train/kernels/gemm.ts): operands are read and written in place on the tfjs wasm heap, and
 * transposes go to OpenBLAS as flags instead of being materialised in scratch.
 *
 * Use at an entry point: `registerWasmKernels(loadNativeGemm())` when `gemm` is defined (else the
 * wasm/XNNPACK product stays).
 */

/** A `GemmFn` that runs `blas.sgemm` on views of the backend's wasm heap. */
export function nativeGemm(blas: NativeBlas): GemmFn {
  return (backend, aOffset, bOffset, cOffset, m, n, k, transA, transB) => {
    // HEAPF32 is re-created by emscripten when the heap grows, so the buffer is read per call.
    const heap = backend.wasm.HEAPF32.buffer;
    blas.sgemm(
      new Float32Array(heap, aOffset, m * k),
      new Float32Array(heap, bOffset, k * n),
      new Float32Array(heap, cOffset, m * n),
      m,
      n,
      k,
      { transA, transB },
    );
  };
}

/** A `BatchedGemmFn` that runs `blas.sgemmBatched` (one native call for the whole batch). */
export function nativeGemmBatched(blas: NativeBlas): BatchedGemmFn {
  return (backend, aOffset, bOffset, cOffset, batch, m, n, k, transA, transB, strideABytes, strideBBytes) => {
    const heap = backend.wasm.HEAPF32.buffer;
    const strideA = strideABytes / 4;
    const strideB = strideBBytes / 4;
    blas.sgemmBatched(
      new Float32Array(heap, aOffset, (batch - 1) * strideA + m * k),
      new Float32Array(heap, bOffset, (batch - 1) * strideB + k * n),
      new Float32Array(heap, cOffset, batch * m * n),
      batch,
      m,
      n,
      k,
      { transA, transB, strideA, strideB, strideC: m * n },
    );
  };
}

export type NativeGemmLoad =
  | { gemm: GemmFn; gemmBatched: BatchedGemmFn; crossEntropy?: NativeBlas; rmsNorm?: NativeBlas; blas: NativeBlas; config: NativeBlasConfig; reason?: undefined }
  | { gemm: undefined; gemmBatched?: undefined; crossEntropy?: undefined; rmsNorm?: undefined; blas?: undefined; config?: undefined; reason: string };

/** The native kernel hooks (products, batched products, fused cross-entropy and RMSNorm) when the addon loads, else `gemm: undefined` and why (never throws). */
export function loadNativeGemm(): NativeGemmLoad {
  const loaded = loadNativeBlas();
  return loaded.ok
    ? {
        gemm: nativeGemm(loaded.blas),
        gemmBatched: nativeGemmBatched(loaded.blas),
        ...(loaded.blas.hasCrossEntropy ? { crossEntropy: loaded.blas } : {}),
        ...(loaded.blas.hasRmsNorm ? { rmsNorm: loaded.blas } : {}),
        blas: loaded.blas,
        config: loaded.config,
      }
    : { gemm: undefined, reason: loaded.reason };
}
