import type { TrainConfig } from "./config";
import type { Rng } from "../util/random";

/**
 * Weight initialisation. Matrices are normal(0, σ); RMSNorm gains start at 1.
 *
 * σ = init.std (paper §2: 0.006) by default. With `init.scaleWithWidth`, σ = std·sqrt(4096/dModel):
 * the paper's 0.006 belongs to its 7B width (d_model 4096, where 0.006 ≈ 0.38/√d), and the same
 * 0.38/√d rule gives tiny models (d 64 → σ 0.048) activations of a comparable scale.
 */

/** d_model at which the paper's init std was set (DeepSeek LLM 7B, Table 2). */
export const INIT_REFERENCE_WIDTH = 4096;

/** The std actually used for matrices of a model of width dModel. */
export function initStd(init: TrainConfig["init"], dModel: number): number {
  return init.scaleWithWidth ? init.std * Math.sqrt(INIT_REFERENCE_WIDTH / dModel) : init.std;
}

/** `size` draws from normal(0, std), from the caller's seeded stream. */
export function normalArray(rng: Rng, size: number, std: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal() * std;
  return out;
}

