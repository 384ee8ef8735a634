import * as tf from "@tensorflow/tfjs";
import { wasmGemm, type BatchedGemmFn, type GemmFn, type WasmBackendLike } from "./gemm";
import { unsortedSegmentSumConfig } from "./segmentSum";
import { registerHeapOps } from "./heapOps";
import { registerCrossEntropyKernels, type CrossEntropyImpl } from "./crossEntropy";
import { registerRmsNormKernels, type RmsNormImpl } from "./rmsNorm";

/**
 * A `BatchMatMul` kernel for the wasm backend that keeps every product on the fast 2-D path:
 * batched and transposed products become a loop of `gemm` calls on zero-copy offsets into the
 * wasm heap (the stock kernel falls to a naive loop at ~3.5 GFLOP/s for exactly these cases;
 * see /work/shared/performance.md). Batch dimensions must be equal or one side must be 1.
 */

export interface FastKernelOptions {
  /** The 2-D product; default `wasmGemm` (XNNPACK). A native BLAS swaps in here. */
  gemm?: GemmFn;
  /** Batched products in one call (a native BLAS); default: a loop of `gemm` calls. */
  gemmBatched?: BatchedGemmFn;
  /** Fused softmax cross-entropy loops (a native library); default: the generic tfjs formulation. */
  crossEntropy?: CrossEntropyImpl;
  /** Fused RMSNorm loops (a native library); default: the generic tfjs formulation. */
  rmsNorm?: RmsNormImpl;
}

interface KernelArgs {
  inputs: { a?: tf.TensorInfo; b?: tf.TensorInfo };
  backend: unknown;
  attrs?: { transposeA?: boolean; transposeB?: boolean };
}

const prod = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

/** The kernel function, closed over the gemm implementation. */
export function makeBatchMatMul(gemm: GemmFn = wasmGemm, gemmBatched?: BatchedGemmFn): (args: KernelArgs) => tf.TensorInfo {
  return (args) => {
    const { a, b } = args.inputs;
    if (!a || !b) throw new Error("BatchMatMul: inputs a and b are required");
    if (a.dtype !== "float32" || b.dtype !== "float32") throw new Error("BatchMatMul: float32 inputs only");
    const backend = args.backend as WasmBackendLike & { makeOutput(shape: number[], dtype: string): tf.TensorInfo };
    const transA = args.attrs?.transposeA ?? false;
    const transB = args.attrs?.transposeB ?? false;
    const ra = a.shape.length;
    const rb = b.shape.length;
    if (ra < 2 || rb < 2) throw new Error(`BatchMatMul: rank ≥ 2 required, got ${ra} and ${rb}`);
    const m = transA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const k = transA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const kb = transB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
    const n = transB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    if (k !== kb) throw new Error(`BatchMatMul: inner dimensions ${k} and ${kb} of shapes [${a.shape}] and [${b.shape}] differ`);
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = prod(outerA);
    const batchB = prod(outerB);
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
      throw new Error(`BatchMatMul: batch dims [${outerA}] and [${outerB}] must match or be 1`);
    }
    const outer = batchA >= batchB ? (outerA.length >= outerB.length ? outerA : outerB) : outerB;
    const batch = Math.max(batchA, batchB);
    const out = backend.makeOutput([...outer, m, n], "float32");
    const aOff = backend.dataIdMap.get(a.dataId)!.memoryOffset;
    const bOff = backend.dataIdMap.get(b.dataId)!.memoryOffset;
    const cOff = backend.dataIdMap.get(out.dataId)!.memoryOffset;
    // Byte strides between batch elements; 0 broadcasts a single matrix.
    const aStride = batchA === 1 ? 0 : m * k * 4;
    const bStride = batchB === 1 ? 0 : k * n * 4;
    if (gemmBatched && batch > 1) {
      // One call for the whole batch: per-call overhead dominates attention's small products.
      gemmBatched(backend, aOff, bOff, cOff, batch, m, n, k, transA, transB, aStride, bStride);
      return out;
    }
    for (let i = 0; i < batch; i++) {
      gemm(backend, aOff + i * aStride, bOff + i * bStride, cOff + i * m * n * 4, m, n, k, transA, transB);
    }
    return out;
  };
}

/**
 * Register the fast kernels for the wasm backend (idempotent): BatchMatMul replaces the stock
 * kernel; UnsortedSegmentSum (gather's gradient) is one the wasm backend lacks.
 * Call after `tf.setBackend("wasm")`, from an entry point only.
 */
export function registerWasmKernels(options: FastKernelOptions = {}): void {
  const kernels: tf.KernelConfig[] = [
    { kernelName: tf.BatchMatMul, backendName: "wasm", kernelFunc: makeBatchMatMul(options.gemm, options.gemmBatched) as unknown as tf.KernelFunc },
    unsortedSegmentSumConfig,
  ];
  for (const k of kernels) {
    if (tf.getKernel(k.kernelName, "wasm")) tf.unregisterKernel(k.kernelName, "wasm");
    tf.registerKernel(k);
  }
  registerHeapOps();
  registerCrossEntropyKernels(options.crossEntropy);
  registerRmsNormKernels(options.rmsNorm);
}
