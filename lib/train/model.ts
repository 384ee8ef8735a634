import * as tf from "@tensorflow/tfjs";
import type { ModelShape } from "../model/shape";
import type { TrainConfig } from "./config";
import { attention, attentionTables, disposeTables, type AttentionTables } from "./attention";
import { crossEntropy, embed, rmsNorm, swiglu } from "./blocks";
import { initStd, normalArray } from "./init";
import { createRng } from "../util/random";

/**
 * The decoder: byte embedding → layers × [x + Attn(RMSNorm(x)), x + SwiGLU(RMSNorm(x))] → RMSNorm →
 * untied output head. No biases. Every variable carries a leading runs axis R: R independent runs of
 * one shape train in lockstep as one batched computation (a single run is R = 1). Parameters per
 * run equal `builtParams(shape)` exactly.
 */

export interface LayerParams {
  attnNorm: tf.Variable<tf.Rank.R2>; // [R, d]
  wq: tf.Variable<tf.Rank.R3>; // [R, d, d]
  wk: tf.Variable<tf.Rank.R3>; // [R, d, kvHeads·headSize]
  wv: tf.Variable<tf.Rank.R3>; // [R, d, kvHeads·headSize]
  wo: tf.Variable<tf.Rank.R3>; // [R, d, d]
  ffnNorm: tf.Variable<tf.Rank.R2>; // [R, d]
  w1: tf.Variable<tf.Rank.R3>; // [R, d, ffn]
  w3: tf.Variable<tf.Rank.R3>; // [R, d, ffn]
  w2: tf.Variable<tf.Rank.R3>; // [R, ffn, d]
}

export interface Model {
  readonly shape: ModelShape;
  /** R: runs trained in lockstep. */
  readonly runs: number;
  readonly embedding: tf.Variable<tf.Rank.R3>; // [R, vocab, d]
  readonly layers: readonly LayerParams[];
  readonly finalNorm: tf.Variable<tf.Rank.R2>; // [R, d]
  readonly head: tf.Variable<tf.Rank.R3>; // [R, d, vocab]
  /** Every trainable variable with a stable dotted name, in a fixed order. */
  readonly named: ReadonlyArray<readonly [string, tf.Variable]>;
  readonly tables: AttentionTables;
  dispose(): void;
}

/**
 * Build a model with seeded normal(0, σ) matrices and unit gains (see ./init for σ). One seed per
 * run: run r draws its matrices from its own stream in the same order as a model built alone with
 * that seed, so a run's initial weights do not depend on its group.
 */
export function createModel(shape: ModelShape, init: TrainConfig["init"], seeds: number | readonly number[]): Model {
  const { dModel: d, heads, kvHeads, ffn, vocab } = shape;
  const headSize = d / heads;
  const kvWidth = kvHeads * headSize;
  const rngs = (typeof seeds === "number" ? [seeds] : seeds).map((s) => createRng(s));
  const runs = rngs.length;
  if (runs < 1) throw new Error("createModel: at least one seed is required");
  const std = initStd(init, d);
  const named: Array<readonly [string, tf.Variable]> = [];
  const matrix = (name: string, rows: number, cols: number): tf.Variable<tf.Rank.R3> => {
    const values = new Float32Array(runs * rows * cols);
    rngs.forEach((rng, r) => values.set(normalArray(rng, rows * cols, std), r * rows * cols));
    const v = ownedVariable(tf.tensor3d(values, [runs, rows, cols]));
    named.push([name, v]);
    return v;
  };
  const gain = (name: string): tf.Variable<tf.Rank.R2> => {
    const v = ownedVariable(tf.ones([runs, d]) as tf.Tensor2D);
    named.push([name, v]);
    return v;
  };
  const embedding = matrix("embedding", vocab, d);
  const layers: LayerParams[] = [];
  for (let i = 0; i < shape.layers; i++) {
    const p = `layers.${i}.`;
    layers.push({
      attnNorm: gain(p + "attnNorm"),
      wq: matrix(p + "wq", d, d),
      wk: matrix(p + "wk", d, kvWidth),
      wv: matrix(p + "wv", d, kvWidth),
      wo: matrix(p + "wo", d, d),
      ffnNorm: gain(p + "ffnNorm"),
      w1: matrix(p + "w1", d, ffn),
      w3: matrix(p + "w3", d, ffn),
      w2: matrix(p + "w2", ffn, d),
    });
  }
  const finalNorm = gain("finalNorm");
  const head = matrix("head", d, vocab);
  const tables = attentionTables(shape.seq, headSize, heads / kvHeads);
  return {
    shape,
    runs,
    embedding,
    layers,
    finalNorm,
    head,
    named,
    tables,
    dispose: () => {
      tf.dispose(named.map(([, v]) => v));
      disposeTables(tables);
    },
  };
}

/** A variable that owns its data: the initial tensor is released once the variable holds it. */
export function ownedVariable<R extends tf.Rank>(initial: tf.Tensor<R>, trainable = true): tf.Variable<R> {
  const v = tf.variable(initial, trainable);
  initial.dispose();
  return v;
}

/** Number of scalars in one run's variables. */
export function countParams(model: Model): number {
  return model.named.reduce((sum, [, v]) => sum + v.size, 0) / model.runs;
}

/**
 * Logits [R, batch·seq, vocab] for input ids [R·batch·seq] (int32, run-major), batch sequences of
 * shape.seq per run.
 */
export function forwardLogits(model: Model, ids: tf.Tensor1D, batch: number): tf.Tensor3D {
  return tf.tidy(() => {
    const { shape, runs } = model;
    const rows = batch * shape.seq;
    const dims = { batch, seq: shape.seq, heads: shape.heads, kvHeads: shape.kvHeads, headSize: shape.dModel / shape.heads };
    // One gather from the runs' tables stacked as [R·vocab, d]: run r's ids shifted by r·vocab.
    const offsets = tf.tensor2d(Int32Array.from({ length: runs }, (_, r) => r * shape.vocab), [runs, 1], "int32");
    const shifted = tf.reshape(tf.add(tf.reshape(ids, [runs, rows]), offsets), [runs * rows]) as tf.Tensor1D;
    const table = tf.reshape(model.embedding, [runs * shape.vocab, shape.dModel]) as tf.Tensor2D;
    let x = tf.reshape(embed(shifted, table), [runs, rows, shape.dModel]) as tf.Tensor3D;
    for (const l of model.layers) {
      x = tf.add(x, attention(rmsNorm(x, l.attnNorm), l.wq, l.wk, l.wv, l.wo, dims, model.tables));
      x = tf.add(x, swiglu(rmsNorm(x, l.ffnNorm), l.w1, l.w3, l.w2));
    }
    return tf.matMul(rmsNorm(x, model.finalNorm), model.head);
  });
}

/** Split `count` windows of seq+1 ids into inputs and next-token targets, each [count·seq]. */
export function splitWindows(windows: Int32Array, count: number, seq: number): { inputs: Int32Array; targets: Int32Array } {
  const inputs = new Int32Array(count * seq);
  const targets = new Int32Array(count * seq);
  for (let w = 0; w < count; w++) {
    const row = windows.subarray(w * (seq + 1), (w + 1) * (seq + 1));
    inputs.set(row.subarray(0, seq), w * seq);
    targets.set(row.subarray(1), w * seq);
  }
  return { inputs, targets };
}

/**
 * Each run's mean next-token loss (nats) [R] over `count` windows of seq+1 ids per run: `windows`
 * holds R·count windows, run after run.
 */
export function windowLoss(model: Model, windows: Int32Array, count: number): tf.Tensor1D {
  return tf.tidy(() => {
    const { inputs, targets } = splitWindows(windows, model.runs * count, model.shape.seq);
    const logits = forwardLogits(model, tf.tensor1d(inputs, "int32"), count);
    return crossEntropy(logits, tf.tensor1d(targets, "int32"));
  });
}
