import type { GemmFn } from "../train/kernels/gemm";
import { loadNativeBlas, type NativeBlas, type NativeBlasConfig } from "./blas";

/**
 * The native BLAS behind the training engine's 2-D product hook (`GemmFn` in
 * lib/train/kernels/gemm.ts): operands are read and written in place on the tfjs wasm heap, and
 * transposes go to OpenBLAS as flags instead of being materialised in scratch.
 *
 * Use at an entry point: `registerWasmKernels({ gemm: loadNativeGemm().gemm })` (undefined keeps
 * the wasm/XNNPACK product).
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

export type NativeGemmLoad =
  | { gemm: GemmFn; config: NativeBlasConfig; reason?: undefined }
  | { gemm: undefined; config?: undefined; reason: string };

/** The native `GemmFn` when the addon loads, else `gemm: undefined` and why (never throws). */
export function loadNativeGemm(): NativeGemmLoad {
  const loaded = loadNativeBlas();
  return loaded.ok ? { gemm: nativeGemm(loaded.blas), config: loaded.config } : { gemm: undefined, reason: loaded.reason };
}
