import * as tf from "@tensorflow/tfjs";
import type { TrainConfig } from "./config";
import { ownedVariable } from "./model";
import type { WasmBackendLike } from "./kernels/gemm";

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
      const correction1 = 1 - Math.pow(beta1, t);
      const correction2 = 1 - Math.pow(beta2, t);
      const heap = tf.getBackend() === "wasm" ? heapOf(tf.backend() as unknown as HeapBackendRef) : undefined;
      if (heap && [...variables, ...m, ...s].every((v) => heap.exclusive(v))) {
        // Fused in place on the wasm heap: one pass per variable instead of ~12 tfjs kernels.
        const gradNorm = Math.sqrt(grads.reduce((sum, g) => sum + sumSquares(heap.view(g), heap.offset(g), g.size), 0));
        const clip = clipNorm > 0 ? Math.min(1, clipNorm / (gradNorm + CLIP_NORM_EPSILON)) : 1;
        const h = heap.view(variables[0]!);
        variables.forEach((p, i) => {
          const decay = p.rank >= 2 && weightDecay > 0 ? 1 - lr * weightDecay : 1;
          fusedUpdate(h, heap.offset(p), heap.offset(grads[i]!), heap.offset(m[i]!), heap.offset(s[i]!), p.size, {
            clip, lr, decay, beta1, beta2, epsilon, correction1, correction2,
          });
        });
        return { gradNorm };
      }
      const gradNorm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
      const clip = clipNorm > 0 ? Math.min(1, clipNorm / (gradNorm + CLIP_NORM_EPSILON)) : 1;
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
