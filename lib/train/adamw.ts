import * as tf from "@tensorflow/tfjs";
import type { TrainConfig } from "./config";
import { ownedVariable } from "./model";

/**
 * AdamW (Loshchilov & Hutter) as in PyTorch: global-norm clipping of the gradients, bias-corrected
 * moments, and decoupled weight decay p ← p − lr·wd·p applied to matrices only (rank ≥ 2: the
 * embedding, projections and head), never to RMSNorm gains. Defaults from `config.optimizer`
 * (paper §2: β 0.9/0.95, weight decay 0.1, clip 1.0).
 */

/** Added to the gradient norm before dividing (PyTorch clip_grad_norm_ uses 1e-6). */
const CLIP_NORM_EPSILON = 1e-6;

export interface AdamWStepInfo {
  /** Global L2 norm of the gradients before clipping. */
  gradNorm: number;
}

export interface AdamW {
  /** One update of every variable with its gradient (same order as construction), at learning rate `lr`. */
  step(grads: readonly tf.Tensor[], lr: number): AdamWStepInfo;
  /** Updates done so far. */
  readonly steps: number;
  dispose(): void;
}

export function createAdamW(variables: readonly tf.Variable[], options: TrainConfig["optimizer"]): AdamW {
  const { beta1, beta2, epsilon, weightDecay, clipNorm } = options;
  const m = variables.map((v) => ownedVariable(tf.zerosLike(v), false));
  const s = variables.map((v) => ownedVariable(tf.zerosLike(v), false));
  let t = 0;
  return {
    get steps() {
      return t;
    },
    step(grads, lr) {
      if (grads.length !== variables.length) throw new Error(`AdamW.step: ${grads.length} gradients for ${variables.length} variables`);
      t += 1;
      const gradNorm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
      const clip = clipNorm > 0 ? Math.min(1, clipNorm / (gradNorm + CLIP_NORM_EPSILON)) : 1;
      const correction1 = 1 - Math.pow(beta1, t);
      const correction2 = 1 - Math.pow(beta2, t);
      tf.tidy(() => {
        variables.forEach((p, i) => {
          const g = clip === 1 ? grads[i]! : tf.mul(grads[i]!, clip);
          const mi = m[i]!;
          const si = s[i]!;
          mi.assign(tf.add(tf.mul(mi, beta1), tf.mul(g, 1 - beta1)));
          si.assign(tf.add(tf.mul(si, beta2), tf.mul(tf.square(g), 1 - beta2)));
          const update = tf.div(tf.div(mi, correction1), tf.add(tf.sqrt(tf.div(si, correction2)), epsilon));
          const decayed = p.rank >= 2 && weightDecay > 0 ? tf.mul(p, 1 - lr * weightDecay) : p;
          p.assign(tf.sub(decayed, tf.mul(update, lr)));
        });
      });
      return { gradNorm };
    },
    dispose() {
      tf.dispose([...m, ...s]);
    },
  };
}
