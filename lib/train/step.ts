import * as tf from "@tensorflow/tfjs";
import { windowLoss, type Model } from "./model";

/**
 * Loss and gradients of one optimizer step, accumulated over micro-batches (tfjs keeps every
 * intermediate until the gradient call returns, and the wasm heap is 4 GB). Each micro-batch's
 * gradient is weighted by its share of the sequences, so the result is the full-batch mean. With R
 * runs the objective is the sum of the runs' own mean losses: runs share no parameter, so each
 * run's gradient is exactly the gradient of its own loss.
 */
export interface StepGradients {
  /** Mean training loss of each run's batch, nats per token, [R]. */
  losses: number[];
  /** One gradient per `model.named` variable (with the runs axis), same order; the caller disposes them. */
  grads: tf.Tensor[];
}

/** Windows [first, first + count) of every run's batch of `perRun` windows, run after run. */
export function runSlices(windows: Int32Array, runs: number, perRun: number, first: number, count: number, width: number): Int32Array {
  if (runs === 1) return windows.subarray(first * width, (first + count) * width);
  const out = new Int32Array(runs * count * width);
  for (let r = 0; r < runs; r++) out.set(windows.subarray((r * perRun + first) * width, (r * perRun + first + count) * width), r * count * width);
  return out;
}

/** windows: R × sum(microSizes) × (seq+1) ids, each run's batch contiguous. */
export function batchGradients(model: Model, windows: Int32Array, microSizes: readonly number[]): StepGradients {
  const vars = model.named.map(([, v]) => v);
  const total = microSizes.reduce((a, b) => a + b, 0);
  const width = model.shape.seq + 1;
  const losses = new Array<number>(model.runs).fill(0);
  let acc: tf.Tensor[] | undefined;
  let offset = 0;
  for (const count of microSizes) {
    const part = runSlices(windows, model.runs, total, offset, count, width);
    offset += count;
    const weight = count / total;
    let perRun: tf.Tensor1D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      perRun = tf.keep(windowLoss(model, part, count));
      return tf.sum(perRun);
    }, vars);
    perRun!.dataSync().forEach((l, r) => (losses[r] += weight * l));
    tf.dispose([value, perRun!]);
    const ordered = vars.map((v) => grads[v.name]!);
    const next = tf.tidy(() => ordered.map((g, i) => (acc ? tf.add(acc[i]!, tf.mul(g, weight)) : weight === 1 ? g.clone() : tf.mul(g, weight))));
    tf.dispose(ordered);
    if (acc) tf.dispose(acc);
    acc = next;
  }
  return { losses, grads: acc ?? [] };
}
