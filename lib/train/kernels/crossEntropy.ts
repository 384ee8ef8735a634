import * as tf from "@tensorflow/tfjs";
import { heapOffset, type HeapBackend } from "./heapOps";

/**
 * Softmax cross-entropy as two wasm-heap kernels, one pass over the logits each way, replacing the
 * ~10 tfjs kernels of the generic formulation (logSoftmax, exp, one-hot, multiply, sum, …) that
 * the profile of the tiny sweep shape put at ~25% of a step (vocab 256 makes logits the widest
 * activation of a small model):
 *
 *   forward:  loss = mean_r [logΣ_v exp z[r,v] − z[r, y_r]],  probs = softmax(z) (kept for backward)
 *   backward: dz = (probs − onehot(y)) · dy / rows
 *
 * The loops run in native code (JS's Math.exp measured ~25 ns/element here, slower than the stock
 * kernels); sums are float64, stored as float32, so results agree with the tfjs path to float32
 * rounding. Without the native addon the kernels are not registered and the generic path runs.
 */

export const SOFTMAX_XENT = "ScalingSoftmaxCrossEntropy";
export const SOFTMAX_XENT_GRAD = "ScalingSoftmaxCrossEntropyGrad";

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: unknown;
}

/** The two loops, in native code (lib/native's OpenBLAS addon carries them). */
export interface CrossEntropyImpl {
  /** Writes softmax(logits) into probs; returns the mean loss in nats. */
  softmaxCrossEntropy(logits: Float32Array, targets: Int32Array, probs: Float32Array, rows: number, vocab: number): number;
  /** grad = (probs − onehot(targets))·scale. */
  softmaxCrossEntropyGrad(probs: Float32Array, targets: Int32Array, grad: Float32Array, rows: number, vocab: number, scale: number): void;
}

const f32 = (backend: HeapBackend, t: tf.TensorInfo, size: number): Float32Array =>
  new Float32Array(backend.wasm.HEAPF32.buffer, heapOffset(backend, t), size);
const i32 = (backend: HeapBackend, t: tf.TensorInfo, size: number): Int32Array =>
  new Int32Array(backend.wasm.HEAPF32.buffer, heapOffset(backend, t), size);

/** inputs: logits [rows, vocab] float32, targets [rows] int32 → [loss [], probs [rows, vocab]]. */
function forward(impl: CrossEntropyImpl): (args: KernelArgs) => tf.TensorInfo[] {
  return (args) => {
    const { logits, targets } = args.inputs as { logits: tf.TensorInfo; targets: tf.TensorInfo };
    const backend = args.backend as HeapBackend;
    const [rows, vocab] = logits.shape as [number, number];
    const loss = backend.makeOutput([], "float32");
    const probs = backend.makeOutput([rows, vocab], "float32");
    // Views after the allocations above: an allocation may replace the heap buffer.
    const value = impl.softmaxCrossEntropy(f32(backend, logits, rows * vocab), i32(backend, targets, rows), f32(backend, probs, rows * vocab), rows, vocab);
    f32(backend, loss, 1)[0] = value;
    return [loss, probs];
  };
}

/** inputs: probs [rows, vocab], targets [rows] int32, dy [] → dlogits [rows, vocab]. */
function backward(impl: CrossEntropyImpl): (args: KernelArgs) => tf.TensorInfo {
  return (args) => {
    const { probs, targets, dy } = args.inputs as { probs: tf.TensorInfo; targets: tf.TensorInfo; dy: tf.TensorInfo };
    const backend = args.backend as HeapBackend;
    const [rows, vocab] = probs.shape as [number, number];
    const out = backend.makeOutput([rows, vocab], "float32");
    const scale = f32(backend, dy, 1)[0]! / rows;
    impl.softmaxCrossEntropyGrad(f32(backend, probs, rows * vocab), i32(backend, targets, rows), f32(backend, out, rows * vocab), rows, vocab, scale);
    return out;
  };
}

/**
 * Register both kernels for the wasm backend with `impl`, or remove them when `impl` is undefined
 * (then `crossEntropy` in ../blocks uses the generic tfjs formulation). Idempotent.
 */
export function registerCrossEntropyKernels(impl: CrossEntropyImpl | undefined): void {
  for (const name of [SOFTMAX_XENT, SOFTMAX_XENT_GRAD]) if (tf.getKernel(name, "wasm")) tf.unregisterKernel(name, "wasm");
  if (!impl) return;
  tf.registerKernel({ kernelName: SOFTMAX_XENT, backendName: "wasm", kernelFunc: forward(impl) as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: SOFTMAX_XENT_GRAD, backendName: "wasm", kernelFunc: backward(impl) as unknown as tf.KernelFunc });
}

/** True when the active backend has the fused kernels. */
export const hasFusedCrossEntropy = (): boolean => tf.getBackend() === "wasm" && tf.getKernel(SOFTMAX_XENT, "wasm") !== undefined;

/** Mean softmax cross-entropy (nats) with the fused kernels.  logits [rows, vocab], targets [rows] int32. */
export function fusedCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const run = (name: string, inputs: Record<string, tf.Tensor>): tf.Tensor | tf.Tensor[] =>
    tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, {}) as unknown as tf.Tensor | tf.Tensor[];
  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [z, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [value, probs] = run(SOFTMAX_XENT, { logits: z, targets: y }) as [tf.Scalar, tf.Tensor];
    save([probs, y]);
    return {
      value,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const [p, target] = saved as [tf.Tensor, tf.Tensor];
        // Targets are data, not parameters: their gradient is zero (float32, as tfjs requires).
        return [run(SOFTMAX_XENT_GRAD, { probs: p, targets: target, dy }) as tf.Tensor, tf.zeros(target.shape)];
      },
    };
  });
  return loss(logits, targets) as tf.Scalar;
}
