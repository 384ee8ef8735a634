import * as tf from "@tensorflow/tfjs";
import { createRng } from "../../lib/util/random";

/**
 * Finite-difference gradient checks shared by the train tests (not a test file itself).
 * For an objective L(xs) = Σ f(xs) ⊙ r with a fixed random r, compare the analytic directional
 * derivative ⟨∇ₓL, u⟩ with the central difference (L(x + hu) − L(x − hu)) / 2h along a random u.
 */

/** Central-difference step: large enough that float32 rounding of L (~1e-7·|L|) stays ≪ h². */
export const FD_STEP = 1e-2;
/** Relative tolerance: central-difference truncation O(h²) plus float32 rounding / h. */
export const FD_RTOL = 1e-2;
/** Absolute floor for directional derivatives near zero (same rounding argument, |L| ≲ 10). */
export const FD_ATOL = 2e-3;

export function randomTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.normal() * scale;
  return tf.tensor(data, shape);
}

export interface DirectionalCheck {
  input: number;
  analytic: number;
  numeric: number;
}

/** One directional check per input of `f`; returns analytic and numeric values. */
export function directionalChecks(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): DirectionalCheck[] {
  return tf.tidy(() => {
    const probe = f(...inputs);
    const r = randomTensor(probe.shape, seed + 1000);
    const objective = (...xs: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(f(...xs), r));
    const grads = tf.grads(objective)(inputs);
    return inputs.map((x, i) => {
      const u = randomTensor(x.shape, seed + 2000 + i);
      const analytic = tf.sum(tf.mul(grads[i]!, u)).dataSync()[0]!;
      const shifted = (sign: number): number => {
        const xs = inputs.map((y, j) => (j === i ? tf.add(y, tf.mul(u, sign * FD_STEP)) : y));
        return objective(...xs).dataSync()[0]!;
      };
      const numeric = (shifted(1) - shifted(-1)) / (2 * FD_STEP);
      return { input: i, analytic, numeric };
    });
  });
}

/** True when the analytic and numeric directional derivatives agree within FD_ATOL + FD_RTOL·|numeric|. */
export function agrees(c: DirectionalCheck): boolean {
  return Math.abs(c.analytic - c.numeric) <= FD_ATOL + FD_RTOL * Math.abs(c.numeric);
}
