import * as tf from "@tensorflow/tfjs";
import type { WasmBackendLike } from "./gemm";

/**
 * Wasm kernels that replace stock ones whose cost the training profile showed to be overhead, not
 * arithmetic (tiny sweep shape 2×64, seq 128, 4096 tokens/step; numbers in native/README.md):
 * - `GatherV2` (the embedding lookup): the stock kernel spends ~190 ns per element on index math;
 *   rows are copied here as contiguous blocks on the heap.
 * - `Identity` and same-dtype `Cast` (issued by tfjs-core's gradients, e.g. every Multiply's
 *   `cast(b, 'float32')`): the stock kernels copy the tensor; here they share its data with a
 *   reference count, exactly as the stock `Reshape` does. Data on the heap is immutable to tfjs,
 *   so sharing is safe; in-place writers (lib/train/adamw) check the reference count first.
 */

/** The extra backend surface these kernels use (BackendWasm). */
export interface HeapBackend extends WasmBackendLike {
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  incRef(dataId: object): void;
}

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

type Kernel = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** Byte offset of a tensor on the heap (throws for data that lives elsewhere, e.g. strings). */
export function heapOffset(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const info = backend.dataIdMap.get(t.dataId);
  if (!info) throw new Error("tensor data is not on the wasm heap");
  return info.memoryOffset;
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Zero-copy identity: a second reference to the same heap data. */
function shareData(backend: HeapBackend, x: tf.TensorInfo, dtype = x.dtype): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype };
}

function makeIdentity(stock: Kernel): Kernel {
  return (args) => {
    const x = args.inputs.x!;
    return x.dtype === "string" ? stock(args) : shareData(args.backend as HeapBackend, x);
  };
}

function makeCast(stock: Kernel): Kernel {
  return (args) => {
    const x = args.inputs.x!;
    const dtype = args.attrs?.dtype as tf.DataType | undefined;
    return dtype === x.dtype && x.dtype !== "string" ? shareData(args.backend as HeapBackend, x) : stock(args);
  };
}

/** rows of a float32 table [rows, cols] by int32 ids; everything else goes to the stock kernel. */
function makeGather(stock: Kernel): Kernel {
  return (args) => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const axis = Number(args.attrs?.axis ?? 0);
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (x.dtype !== "float32" || indices.dtype !== "int32" || x.shape.length !== 2 || batchDims !== 0 || (axis !== 0 && axis !== -2)) return stock(args);
    const backend = args.backend as HeapBackend;
    const [rows, cols] = x.shape as [number, number];
    const count = size(indices.shape);
    const out = backend.makeOutput([...indices.shape, cols], "float32");
    // Views after makeOutput: an allocation may grow (and replace) the heap buffer.
    const buffer = backend.wasm.HEAPF32.buffer;
    const heap = new Float32Array(buffer);
    const ids = new Int32Array(buffer, heapOffset(backend, indices), count);
    const src = heapOffset(backend, x) / 4;
    const dst = heapOffset(backend, out) / 4;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (id < 0 || id >= rows) throw new Error(`GatherV2: index ${id} at position ${i} is outside [0, ${rows})`);
      heap.copyWithin(dst + i * cols, src + id * cols, src + (id + 1) * cols);
    }
    return out;
  };
}

/** Register the replacements for the wasm backend (idempotent: the stock kernels are kept to delegate to). */
export function registerHeapOps(): void {
  const replace = (name: string, make: (stock: Kernel) => Kernel): void => {
    const current = tf.getKernel(name, "wasm");
    if (!current) return;
    const stock = (STOCK.get(name) ?? current.kernelFunc) as unknown as Kernel;
    STOCK.set(name, stock);
    tf.unregisterKernel(name, "wasm");
    tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: make(stock) as unknown as tf.KernelFunc });
  };
  replace(tf.GatherV2, makeGather);
  replace(tf.Identity, makeIdentity);
  replace(tf.Cast, makeCast);
}

// The stock kernel functions, kept once per process so re-registering never wraps a wrapper
// (the kernel registry itself is process-global in tfjs).
const STOCK = new Map<string, Kernel>();
