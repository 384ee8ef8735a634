import * as tf from "@tensorflow/tfjs";
import type { WasmBackendLike } from "./gemm";

/**
 * `UnsortedSegmentSum` for the wasm backend, which lacks it: the gradient of `tf.gather`, so the
 * embedding can be a gather (O(rows·d)) instead of a one-hot product (O(rows·vocab·d)).
 * out[segmentIds[i], :] += x[i, :], computed in place on the wasm heap.
 */

interface SegmentSumArgs {
  inputs: { x?: tf.TensorInfo; segmentIds?: tf.TensorInfo };
  backend: unknown;
  attrs?: { numSegments?: number };
}

export function unsortedSegmentSum(args: SegmentSumArgs): tf.TensorInfo {
  const { x, segmentIds } = args.inputs;
  const numSegments = args.attrs?.numSegments;
  if (!x || !segmentIds || numSegments === undefined) throw new Error("UnsortedSegmentSum: x, segmentIds and numSegments are required");
  if (x.dtype !== "float32" || segmentIds.dtype !== "int32") throw new Error("UnsortedSegmentSum: float32 x and int32 segmentIds only");
  const backend = args.backend as WasmBackendLike & { makeOutput(shape: number[], dtype: string): tf.TensorInfo };
  const rows = segmentIds.shape.reduce((p, d) => p * d, 1);
  const inner = x.shape.slice(segmentIds.shape.length).reduce((p, d) => p * d, 1);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], "float32");
  const heap = backend.wasm.HEAPF32; // taken after makeOutput's malloc (the heap may have grown)
  const ids = new Int32Array(heap.buffer, backend.dataIdMap.get(segmentIds.dataId)!.memoryOffset, rows);
  const src = backend.dataIdMap.get(x.dataId)!.memoryOffset / 4;
  const dst = backend.dataIdMap.get(out.dataId)!.memoryOffset / 4;
  heap.fill(0, dst, dst + numSegments * inner);
  for (let i = 0; i < rows; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= numSegments) continue; // TensorFlow drops out-of-range ids
    const o = dst + id * inner;
    const s = src + i * inner;
    for (let j = 0; j < inner; j++) heap[o + j] += heap[s + j]!;
  }
  return out;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};
