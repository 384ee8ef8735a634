import * as tf from "@tensorflow/tfjs";
import { fusedCrossEntropy, hasFusedCrossEntropy } from "./kernels/crossEntropy";
import { fusedRmsNorm, hasFusedRmsNorm } from "./kernels/rmsNorm";

/**
 * The transformer's building blocks as tensor functions (no state). Each takes either one run's
 * tensors (x [rows, in], weights [in, out]) or R runs of one shape in lockstep (x [R, rows, in],
 * weights [R, in, out]): a dense layer is then one batched product with equal batch dims, which
 * the wasm kernel sends to a single strided native GEMM call and tfjs-core's matmul gradient
 * handles without broadcasting.
 */

/** RMSNorm ε (DeepSeek LLM / LLaMA configs: rms_norm_eps = 1e-6). */
export const RMS_NORM_EPSILON = 1e-6;

/**
 * RMSNorm: x / sqrt(mean(x²) + ε) · gain.  x [rows, d], gain [d] → [rows, d]; or per run,
 * x [R, rows, d], gain [R, d] → [R, rows, d].
 */
export function rmsNorm<T extends tf.Tensor2D | tf.Tensor3D>(x: T, gain: tf.Tensor1D | tf.Tensor2D): T {
  // On wasm with the native addon: one fused pass each way (lib/train/kernels/rmsNorm).
  if (hasFusedRmsNorm()) return tf.tidy(() => fusedRmsNorm(x, gain, RMS_NORM_EPSILON));
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), -1, true); // [(R,) rows, 1]
    const g = gain.rank === 2 ? tf.expandDims(gain, 1) : gain; // [R, 1, d] broadcasts over rows
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, RMS_NORM_EPSILON))), g) as T;
  });
}

/** SwiGLU FFN: (silu(x·W1) ⊙ (x·W3))·W2.  x [(R,) rows, d], W1/W3 [(R,) d, ffn], W2 [(R,) ffn, d] → [(R,) rows, d]. */
export function swiglu<T extends tf.Tensor2D | tf.Tensor3D>(x: T, w1: T, w3: T, w2: T): T {
  return tf.tidy(() => {
    const gate = tf.matMul(x, w1); // [rows, ffn]
    const up = tf.matMul(x, w3); // [rows, ffn]
    const silu = tf.mul(gate, tf.sigmoid(gate));
    return tf.matMul(tf.mul(silu, up), w2) as T;
  });
}

/**
 * Embedding lookup: rows of E. Its gradient is `UnsortedSegmentSum`, which the wasm backend lacks;
 * `registerWasmKernels` adds it (a one-hot product would cost rows·vocab·d FLOPs each way).
 * ids [rows] int32, E [vocab, d] → [rows, d].
 */
export function embed(ids: tf.Tensor1D, table: tf.Tensor2D): tf.Tensor2D {
  return tf.gather(table, ids);
}

/**
 * Mean softmax cross-entropy in nats with a hand-written gradient (softmax − one-hot)/rows, which
 * avoids the Equal/Max chain of logSumExp's generic gradient.  logits [rows, vocab], targets [rows]
 * int32 → scalar; or per run, logits [R, rows, vocab], targets [R·rows] → [R] (each run's own mean,
 * so the gradient of their sum is every run's own gradient).
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar;
export function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor1D): tf.Tensor1D;
export function crossEntropy(logits: tf.Tensor2D | tf.Tensor3D, targets: tf.Tensor1D): tf.Scalar | tf.Tensor1D {
  // On wasm with the engine's kernels: one fused pass each way (lib/train/kernels/crossEntropy).
  if (hasFusedCrossEntropy()) return tf.tidy(() => fusedCrossEntropy(logits, targets));
  return tf.tidy(() => {
    const z3 = logits.rank === 3 ? logits : tf.expandDims(logits, 0);
    const [, rows, vocab] = z3.shape as [number, number, number];
    const oneHot = tf.reshape(tf.oneHot(targets, vocab).toFloat(), z3.shape);
    const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [z, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const logProbs = tf.logSoftmax(z); // [R, rows, vocab]
      save([logProbs, y]);
      const value = tf.div(tf.neg(tf.sum(tf.mul(logProbs, y), [1, 2])), rows) as tf.Tensor1D; // [R]
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [lp, target] = saved as [tf.Tensor, tf.Tensor];
          const g = tf.mul(tf.sub(tf.exp(lp), target), tf.reshape(tf.div(dy, rows), [-1, 1, 1]));
          return [g, tf.zerosLike(target)];
        },
      };
    });
    const perRun = loss(z3, oneHot) as tf.Tensor1D;
    return logits.rank === 3 ? perRun : (tf.reshape(perRun, []) as tf.Scalar);
  });
}
