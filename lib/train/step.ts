import * as tf from "@tensorflow/tfjs";
import { windowLoss, type Model } from "./model";

/**
 * Loss and gradients of one optimizer step, accumulated over micro-batches (tfjs keeps every
 * intermediate until the gradient call returns, and the wasm heap is 4 GB). Each micro-batch's
 * gradient is weighted by its share of the sequences, so the result is the full-batch mean.
 */
export interface StepGradients {
  /** Mean training loss of the batch, nats per token. */
  loss: number;
  /** One gradient per `model.named` variable, same order; the caller disposes them. */
  grads: tf.Tensor[];
}

/** windows: sum(microSizes) × (seq+1) ids. */
export function batchGradients(model: Model, windows: Int32Array, microSizes: readonly number[]): StepGradients {
  const vars = model.named.map(([, v]) => v);
  const total = microSizes.reduce((a, b) => a + b, 0);
  const width = model.shape.seq + 1;
  let acc: tf.Tensor[] | undefined;
  let loss = 0;
  let offset = 0;
  for (const count of microSizes) {
    const part = windows.subarray(offset * width, (offset + count) * width);
    offset += count;
    const weight = count / total;
    const { value, grads } = tf.variableGrads(() => windowLoss(model, part, count), vars);
    loss += weight * value.dataSync()[0]!;
    value.dispose();
    const ordered = vars.map((v) => grads[v.name]!);
    const next = tf.tidy(() => ordered.map((g, i) => (acc ? tf.add(acc[i]!, tf.mul(g, weight)) : weight === 1 ? g.clone() : tf.mul(g, weight))));
    tf.dispose(ordered);
    if (acc) tf.dispose(acc);
    acc = next;
  }
  return { loss, grads: acc ?? [] };
}
