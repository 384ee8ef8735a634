import * as tf from "@tensorflow/tfjs";
import type { TrainConfig } from "./config";
import { ownedVariable } from "./model";
import type { WasmBackendLike } from "./kernels/gemm";

/**
 * AdamW (Loshchilov & Hutter) as in PyTorch: global-norm clipping of the gradients, bias-corrected
 * moments, and decoupled weight decay p ← p − lr·wd·p applied to matrices only (rank ≥ 2: the
 * embedding, projections and head), never to RMSNorm gains. Defaults from `config.optimizer`
 * (paper §2: β 0.9/0.95, weight decay 0.1, clip 1.0).
 *
 * With `runs` R, every variable carries a leading runs axis and each run is its own optimizer: its
 * own learning rate, its own global gradient norm and clip, and a run marked inactive (diverged,
 * frozen) is left untouched, parameters and moments alike.
 */

/** Added to the gradient norm before dividing (PyTorch clip_grad_norm_ uses 1e-6). */
const CLIP_NORM_EPSILON = 1e-6;

export interface AdamWStepInfo {
  /** Global L2 norm of the gradients before clipping (run 0's). */
  gradNorm: number;
  /** Each run's global L2 gradient norm before clipping, [R]. */
  gradNorms: number[];
}

export interface AdamW {
  /**
   * One update of every variable with its gradient (same order as construction), at learning rate
   * `lr` (one per run, or one for all); runs with `active[r] === false` are not updated.
   */
  step(grads: readonly tf.Tensor[], lr: number | readonly number[], active?: readonly boolean[]): AdamWStepInfo;
  /** Updates done so far. */
  readonly steps: number;
  dispose(): void;
}

/** Element offsets of tensors on the wasm heap (the variables own their buffers; nothing else aliases them). */
interface HeapAccess {
  view(t: tf.Tensor): Float32Array;
  offset(t: tf.Tensor): number;
  /** True when no other tensor shares `t`'s data, so it may be written in place. */
  exclusive(t: tf.Tensor): boolean;
}

type HeapBackendRef = WasmBackendLike & { refCount(dataId: object): number };

function heapOf(backend: HeapBackendRef): HeapAccess {
  return {
    exclusive: (t) => backend.refCount(t.dataId) === 1,
    // HEAPF32 is replaced when the heap grows; no allocation happens during the update.
    view: () => backend.wasm.HEAPF32,
    offset: (t) => {
      const info = backend.dataIdMap.get(t.dataId);
      if (!info) throw new Error("AdamW.step: a tensor is not on the wasm heap");
      return info.memoryOffset / 4;
    },
  };
}

function sumSquares(h: Float32Array, at: number, size: number): number {
  let sum = 0;
  for (let i = at, end = at + size; i < end; i++) sum += h[i]! * h[i]!;
  return sum;
}

interface UpdateScalars {
  clip: number;
  lr: number;
  /** 1 − lr·wd for decayed matrices, 1 otherwise. */
  decay: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

/** The same AdamW update as the tfjs path, element by element in float64, stored as float32. */
function fusedUpdate(h: Float32Array, p: number, g: number, m: number, s: number, size: number, c: UpdateScalars): void {
  const { clip, lr, decay, beta1, beta2, epsilon, correction1, correction2 } = c;
  for (let i = 0; i < size; i++) {
    const gi = h[g + i]! * clip;
    const mi = beta1 * h[m + i]! + (1 - beta1) * gi;
    const si = beta2 * h[s + i]! + (1 - beta2) * gi * gi;
    h[m + i] = mi;
    h[s + i] = si;
    h[p + i] = h[p + i]! * decay - (lr * (mi / correction1)) / (Math.sqrt(si / correction2) + epsilon);
  }
}

/**
 * `variables` carry a leading axis of `runs` runs when `runs` is given; without it they are one
 * run's tensors as they are (R = 1, no axis).
 */
export function createAdamW(variables: readonly tf.Variable[], options: TrainConfig["optimizer"], runs?: number): AdamW {
  const { beta1, beta2, epsilon, weightDecay, clipNorm } = options;
  const R = runs ?? 1;
  const axis = runs === undefined ? 0 : 1; // leading runs axis or none
  const m = variables.map((v) => ownedVariable(tf.zerosLike(v), false));
  const s = variables.map((v) => ownedVariable(tf.zerosLike(v), false));
  // Decoupled weight decay: matrices only (rank ≥ 2 per run), never RMSNorm gains.
  const decays = variables.map((p) => p.rank - axis >= 2 && weightDecay > 0);
  const clipOf = (norm: number): number => (clipNorm > 0 ? Math.min(1, clipNorm / (norm + CLIP_NORM_EPSILON)) : 1);
  let t = 0;
  return {
    get steps() {
      return t;
    },
    step(grads, lr, active) {
      if (grads.length !== variables.length) throw new Error(`AdamW.step: ${grads.length} gradients for ${variables.length} variables`);
      const lrs = typeof lr === "number" ? new Array<number>(R).fill(lr) : [...lr];
      if (lrs.length !== R || (active && active.length !== R)) throw new Error(`AdamW.step: ${lrs.length} learning rates and ${active?.length ?? R} flags for ${R} runs`);
      const on = active ?? new Array<boolean>(R).fill(true);
      t += 1;
      const correction1 = 1 - Math.pow(beta1, t);
      const correction2 = 1 - Math.pow(beta2, t);
      const heap = tf.getBackend() === "wasm" ? heapOf(tf.backend() as unknown as HeapBackendRef) : undefined;
      if (heap && [...variables, ...m, ...s].every((v) => heap.exclusive(v))) {
        // Fused in place on the wasm heap: one pass per variable and run instead of ~12 tfjs kernels.
        const per = variables.map((p) => p.size / R);
        const gradNorms = Array.from({ length: R }, (_, r) => Math.sqrt(grads.reduce((sum, g, i) => sum + sumSquares(heap.view(g), heap.offset(g) + r * per[i]!, per[i]!), 0)));
        const h = heap.view(variables[0]!);
        for (let r = 0; r < R; r++) {
          if (!on[r]) continue;
          const clip = clipOf(gradNorms[r]!);
          const lrr = lrs[r]!;
          variables.forEach((p, i) => {
            const at = r * per[i]!;
            fusedUpdate(h, heap.offset(p) + at, heap.offset(grads[i]!) + at, heap.offset(m[i]!) + at, heap.offset(s[i]!) + at, per[i]!, {
              clip, lr: lrr, decay: decays[i] ? 1 - lrr * weightDecay : 1, beta1, beta2, epsilon, correction1, correction2,
            });
          });
        }
        return { gradNorm: gradNorms[0]!, gradNorms };
      }
      const gradNorms = tf.tidy(() => {
        const squares = grads.map((g) => (axis === 0 ? tf.reshape(tf.sum(tf.square(g)), [1]) : tf.sum(tf.reshape(tf.square(g), [R, -1]), 1)));
        return Array.from(tf.sqrt(tf.addN(squares)).dataSync());
      });
      // Per-run scalars as [R, 1, …] tensors that broadcast over each variable's run slice.
      const perRun = (values: readonly number[], rank: number): tf.Tensor =>
        axis === 0 ? tf.scalar(values[0]!) : tf.reshape(tf.tensor1d([...values]), [R, ...new Array<number>(rank - 1).fill(1)]);
      tf.tidy(() => {
        variables.forEach((p, i) => {
          const g = tf.mul(grads[i]!, perRun(gradNorms.map(clipOf), p.rank));
          const lrT = perRun(lrs, p.rank);
          const mi = m[i]!;
          const si = s[i]!;
          const mNext = tf.add(tf.mul(mi, beta1), tf.mul(g, 1 - beta1));
          const sNext = tf.add(tf.mul(si, beta2), tf.mul(tf.square(g), 1 - beta2));
          const update = tf.div(tf.div(mNext, correction1), tf.add(tf.sqrt(tf.div(sNext, correction2)), epsilon));
          const decayed = decays[i] ? tf.mul(p, tf.sub(1, tf.mul(lrT, weightDecay))) : p;
          const pNext = tf.sub(decayed, tf.mul(update, lrT));
          // Frozen runs keep their parameters and moments (a NaN gradient must not reach them).
          const keep = on.every(Boolean) ? undefined : tf.broadcastTo(perRun(on.map((x) => (x ? 1 : 0)), p.rank), p.shape).cast("bool");
          const pick = (next: tf.Tensor, old: tf.Tensor): tf.Tensor => (keep ? tf.where(keep, next, old) : next);
          mi.assign(pick(mNext, mi));
          si.assign(pick(sNext, si));
          p.assign(pick(pNext, p));
        });
      });
      return { gradNorm: gradNorms[0]!, gradNorms };
    },
    dispose() {
      tf.dispose([...m, ...s]);
    },
  };
}
