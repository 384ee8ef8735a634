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
 * With a runs axis (logits [R, rows, vocab]) the loss is each run's own mean, [R], and the
 * gradient scales each run's rows by its own dy.
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

/** Runs R (1 without a runs axis), rows per run and vocabulary of logits [(R,) rows, vocab]. */
function dimsOf(logits: tf.TensorInfo): { runs: number; rows: number; vocab: number } {
  const [rows, vocab] = logits.shape.slice(-2) as [number, number];
  return { runs: logits.shape.length === 3 ? logits.shape[0]! : 1, rows, vocab };
}

/** inputs: logits [(R,) rows, vocab] float32, targets [R·rows] int32 → [loss [] or [R], probs like logits]. */
function forward(impl: CrossEntropyImpl): (args: KernelArgs) => tf.TensorInfo[] {
  return (args) => {
    const { logits, targets } = args.inputs as { logits: tf.TensorInfo; targets: tf.TensorInfo };
    const backend = args.backend as HeapBackend;
    const { runs, rows, vocab } = dimsOf(logits);
    const loss = backend.makeOutput(logits.shape.length === 3 ? [runs] : [], "float32");
    const probs = backend.makeOutput([...logits.shape], "float32");
    // Views after the allocations above: an allocation may replace the heap buffer.
    const values = f32(backend, loss, runs);
    for (let r = 0; r < runs; r++) {
      const z = f32(backend, logits, runs * rows * vocab).subarray(r * rows * vocab, (r + 1) * rows * vocab);
      const p = f32(backend, probs, runs * rows * vocab).subarray(r * rows * vocab, (r + 1) * rows * vocab);
      values[r] = impl.softmaxCrossEntropy(z, i32(backend, targets, runs * rows).subarray(r * rows, (r + 1) * rows), p, rows, vocab);
    }
    return [loss, probs];
  };
}

/** inputs: probs [(R,) rows, vocab], targets [R·rows] int32, dy [] or [R] → dlogits like probs. */
function backward(impl: CrossEntropyImpl): (args: KernelArgs) => tf.TensorInfo {
  return (args) => {
    const { probs, targets, dy } = args.inputs as { probs: tf.TensorInfo; targets: tf.TensorInfo; dy: tf.TensorInfo };
    const backend = args.backend as HeapBackend;
    const { runs, rows, vocab } = dimsOf(probs);
    const out = backend.makeOutput([...probs.shape], "float32");
    const dys = f32(backend, dy, runs);
    for (let r = 0; r < runs; r++) {
      const part = (t: tf.TensorInfo): Float32Array => f32(backend, t, runs * rows * vocab).subarray(r * rows * vocab, (r + 1) * rows * vocab);
      impl.softmaxCrossEntropyGrad(part(probs), i32(backend, targets, runs * rows).subarray(r * rows, (r + 1) * rows), part(out), rows, vocab, dys[r]! / rows);
    }
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

/** Mean softmax cross-entropy (nats) with the fused kernels.  logits [(R,) rows, vocab], targets [R·rows] int32 → [] or [R]. */
export function fusedCrossEntropy(logits: tf.Tensor2D | tf.Tensor3D, targets: tf.Tensor1D): tf.Scalar | tf.Tensor1D {
  const run = (name: string, inputs: Record<string, tf.Tensor>): tf.Tensor | tf.Tensor[] =>
    tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, {}) as unknown as tf.Tensor | tf.Tensor[];
  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [z, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [value, probs] = run(SOFTMAX_XENT, { logits: z, targets: y }) as [tf.Tensor, tf.Tensor];
    save([probs, y]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, target] = saved as [tf.Tensor, tf.Tensor];
        // Targets are data, not parameters: their gradient is zero (float32, as tfjs requires).
        return [run(SOFTMAX_XENT_GRAD, { probs: p, targets: target, dy }) as tf.Tensor, tf.zeros(target.shape)];
      },
    };
  });
  return loss(logits, targets) as tf.Scalar | tf.Tensor1D;
}
