import * as tf from "@tensorflow/tfjs";
import { fusedCrossEntropy, hasFusedCrossEntropy } from "./kernels/crossEntropy";
import { fusedRmsNorm, hasFusedRmsNorm } from "./kernels/rmsNorm";

/**
 * The transformer's building blocks as tensor functions (no state). Every dense layer is a 2-D
 * product [rows, in] × [in, out] (rows = batch·seq), the only form the wasm fast path and
 * tfjs-core's matmul gradient both handle.
 */

/** RMSNorm ε (DeepSeek LLM / LLaMA configs: rms_norm_eps = 1e-6). */
export const RMS_NORM_EPSILON = 1e-6;

/** RMSNorm: x / sqrt(mean(x²) + ε) · gain.  x [rows, d], gain [d] → [rows, d]. */
export function rmsNorm(x: tf.Tensor2D, gain: tf.Tensor1D): tf.Tensor2D {
  // On wasm with the native addon: one fused pass each way (lib/train/kernels/rmsNorm).
  if (hasFusedRmsNorm()) return tf.tidy(() => fusedRmsNorm(x, gain, RMS_NORM_EPSILON));
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), -1, true); // [rows, 1]
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, RMS_NORM_EPSILON))), gain) as tf.Tensor2D;
  });
}

/** SwiGLU FFN: (silu(x·W1) ⊙ (x·W3))·W2.  x [rows, d], W1/W3 [d, ffn], W2 [ffn, d] → [rows, d]. */
export function swiglu(x: tf.Tensor2D, w1: tf.Tensor2D, w3: tf.Tensor2D, w2: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const gate = tf.matMul(x, w1); // [rows, ffn]
    const up = tf.matMul(x, w3); // [rows, ffn]
    const silu = tf.mul(gate, tf.sigmoid(gate));
    return tf.matMul(tf.mul(silu, up), w2);
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
 * avoids the Equal/Max chain of logSumExp's generic gradient.  logits [rows, vocab], targets [rows] int32.
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  // On wasm with the engine's kernels: one fused pass each way (lib/train/kernels/crossEntropy).
  if (hasFusedCrossEntropy()) return tf.tidy(() => fusedCrossEntropy(logits, targets));
  return tf.tidy(() => {
    const oneHot = tf.oneHot(targets, logits.shape[1]).toFloat() as tf.Tensor2D;
    const rows = logits.shape[0];
    const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [z, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const logProbs = tf.logSoftmax(z); // [rows, vocab]
      save([logProbs, y]);
      const value = tf.div(tf.neg(tf.sum(tf.mul(logProbs, y))), rows) as tf.Scalar;
      return {
        value,
        gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
          const [lp, target] = saved as [tf.Tensor, tf.Tensor];
          const g = tf.mul(tf.sub(tf.exp(lp), target), tf.div(dy, rows));
          return [g, tf.zerosLike(target)];
        },
      };
    });
    return loss(logits, oneHot) as tf.Scalar;
  });
}
