import * as tf from "@tensorflow/tfjs";

/**
 * Causal self-attention with rotary position embeddings and grouped KV heads. Query heads are
 * grouped by the KV head they share (query head h uses KV head floor(h / (heads/kvHeads))), and
 * each group's queries are stacked along the time axis, so one batched product per group serves
 * all of its heads with no repeated K/V tensor.
 */

/** RoPE base θ (DeepSeek LLM / LLaMA configs: rope_theta = 10000). */
export const ROPE_BASE = 10000;

/** Additive mask for disallowed (future) keys: finite so 0·mask stays finite in gradients. */
const MASK_VALUE = -1e9;

/** Constant tensors an attention layer needs; owned by the model and disposed with it. */
export interface AttentionTables {
  /** cos(t·θ_j) [seq, 1, headSize], j over the two rotated halves. */
  cos: tf.Tensor3D;
  /** sin(t·θ_j) [seq, 1, headSize]. */
  sin: tf.Tensor3D;
  /** rotate-half as a matrix R [headSize, headSize]: x·R = [−x₂, x₁] (a 2-D product instead of `Reverse`). */
  rotate: tf.Tensor2D;
  /** Causal additive mask [groupSize·seq, seq]: 0 where key ≤ query position, MASK_VALUE after. */
  mask: tf.Tensor2D;
}

export interface AttentionDims {
  batch: number;
  seq: number;
  heads: number;
  kvHeads: number;
  headSize: number;
}

/** Build the RoPE tables and causal mask for one (seq, headSize, heads/kvHeads). headSize must be even. */
export function attentionTables(seq: number, headSize: number, groupSize: number): AttentionTables {
  const half = headSize / 2;
  const cos = new Float32Array(seq * headSize);
  const sin = new Float32Array(seq * headSize);
  for (let t = 0; t < seq; t++) {
    for (let j = 0; j < headSize; j++) {
      const angle = t * Math.pow(ROPE_BASE, (-2 * (j % half)) / headSize);
      cos[t * headSize + j] = Math.cos(angle);
      sin[t * headSize + j] = Math.sin(angle);
    }
  }
  const rotate = new Float32Array(headSize * headSize);
  for (let j = 0; j < half; j++) {
    rotate[(j + half) * headSize + j] = -1; // out_j = −x_{j+half}
    rotate[j * headSize + j + half] = 1; // out_{j+half} = x_j
  }
  const mask = new Float32Array(groupSize * seq * seq);
  for (let r = 0; r < groupSize; r++) {
    for (let t = 0; t < seq; t++) for (let s = t + 1; s < seq; s++) mask[(r * seq + t) * seq + s] = MASK_VALUE;
  }
  return {
    cos: tf.tensor3d(cos, [seq, 1, headSize]),
    sin: tf.tensor3d(sin, [seq, 1, headSize]),
    rotate: tf.tensor2d(rotate, [headSize, headSize]),
    mask: tf.tensor2d(mask, [groupSize * seq, seq]),
  };
}

export function disposeTables(t: AttentionTables): void {
  tf.dispose([t.cos, t.sin, t.rotate, t.mask]);
}

/** Rotary embedding of x [batch, seq, heads, headSize] (rotate-half convention). */
export function applyRope(x: tf.Tensor4D, tables: AttentionTables): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, t, h, hs] = x.shape;
    const rotated = tf.matMul(tf.reshape(x, [b * t * h, hs]) as tf.Tensor2D, tables.rotate).reshape([b, t, h, hs]);
    return tf.add(tf.mul(x, tables.cos), tf.mul(rotated, tables.sin)) as tf.Tensor4D;
  });
}

/**
 * Causal attention. x [batch·seq, d]; Wq, Wo [d, d]; Wk, Wv [d, kvHeads·headSize] → [batch·seq, d].
 * Or R runs in lockstep: x [R, batch·seq, d] and every weight with a leading R → [R, batch·seq, d];
 * the projections are batched products over R and the attention itself runs over R·batch sequences.
 */
export function attention<T extends tf.Tensor2D | tf.Tensor3D>(x: T, wq: T, wk: T, wv: T, wo: T, dims: AttentionDims, tables: AttentionTables): T {
  return tf.tidy(() => {
    const { seq: t, heads: h, kvHeads: kv, headSize: hs } = dims;
    const b = dims.batch * (x.rank === 3 ? x.shape[0]! : 1); // sequences over all runs
    const group = h / kv;
    const scale = 1 / Math.sqrt(hs);
    const q = applyRope(tf.reshape(tf.matMul(x, wq), [b, t, h, hs]) as tf.Tensor4D, tables);
    const k = applyRope(tf.reshape(tf.matMul(x, wk), [b, t, kv, hs]) as tf.Tensor4D, tables);
    const v = tf.reshape(tf.matMul(x, wv), [b, t, kv, hs]);
    // [b, t, kv, group, hs] → [b, kv, group·t, hs]: each KV head's query group stacked along time.
    const qg = tf.reshape(tf.transpose(tf.reshape(tf.mul(q, scale), [b, t, kv, group, hs]), [0, 2, 3, 1, 4]), [b, kv, group * t, hs]);
    const kt = tf.transpose(k, [0, 2, 1, 3]); // [b, kv, t, hs]
    const vt = tf.transpose(v, [0, 2, 1, 3]); // [b, kv, t, hs]
    const scores = tf.add(tf.matMul(qg, kt, false, true), tables.mask); // [b, kv, group·t, t]
    const probs = tf.softmax(scores);
    const o = tf.matMul(probs, vt); // [b, kv, group·t, hs]
    const merged = tf.reshape(tf.transpose(tf.reshape(o, [b, kv, group, t, hs]), [0, 3, 1, 2, 4]), x.shape);
    return tf.matMul(merged as T, wo) as T;
  });
}
