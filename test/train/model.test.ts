import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { countParams, createModel, windowLoss, type Model } from "../../lib/train/model";
import { batchGradients } from "../../lib/train/step";
import { createAdamW } from "../../lib/train/adamw";
import { selectBackend } from "../../lib/train/backend";
import { loadNativeGemm } from "../../lib/native/wasmGemm";
import { nativeKernels } from "../../lib/train/blasSetup";
import { builtParams } from "../../lib/model/count";
import type { ModelShape } from "../../lib/model/shape";
import { createRng } from "../../lib/util/random";
import { FD_ATOL, FD_RTOL, FD_STEP } from "./gradcheck";

/** wasm vs cpu: float32 sums in different orders through two blocks (relative to the largest value). */
const BACKEND_RTOL = 1e-4;

const TINY: ModelShape = { layers: 2, dModel: 16, heads: 4, kvHeads: 2, ffn: 24, seq: 6, vocab: 256 };
const INIT = { std: 0.006, scaleWithWidth: true };

function windowsFor(shape: ModelShape, count: number, seed: number): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length: count * (shape.seq + 1) }, () => rng.int(shape.vocab));
}

test("createModel(shape) has exactly builtParams(shape) parameters, with GQA and odd FFN widths", async () => {
  await selectBackend("cpu");
  const shapes: ModelShape[] = [
    { layers: 2, dModel: 64, heads: 2, kvHeads: 2, ffn: 176, seq: 32, vocab: 256 },
    { layers: 3, dModel: 64, heads: 8, kvHeads: 2, ffn: 171, seq: 16, vocab: 256 },
    { layers: 1, dModel: 48, heads: 6, kvHeads: 1, ffn: 100, seq: 8, vocab: 300 },
    { layers: 4, dModel: 128, heads: 4, kvHeads: 4, ffn: 344, seq: 64, vocab: 256 },
  ];
  for (const shape of shapes) {
    const model = createModel(shape, INIT, 0);
    assert.equal(countParams(model), builtParams(shape), JSON.stringify(shape));
    model.dispose();
  }
  assert.equal(tf.memory().numTensors, 0);
});

test("batchGradients(model, windows) matches a finite difference of the whole model's loss", async () => {
  await selectBackend("cpu");
  const model = createModel(TINY, INIT, 1);
  const windows = windowsFor(TINY, 3, 2);
  const { grads } = batchGradients(model, windows, [3]);
  const rng = createRng(3);
  const directions = model.named.map(([, v]) => tf.tensor(Float32Array.from({ length: v.size }, () => rng.normal()), v.shape));
  const analytic = tf.tidy(() => tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, directions[i]!)))).dataSync()[0]!);
  const originals = model.named.map(([, v]) => v.clone());
  const lossAt = (sign: number): number => {
    model.named.forEach(([, v], i) => v.assign(tf.tidy(() => tf.add(originals[i]!, tf.mul(directions[i]!, sign * FD_STEP)))));
    return tf.tidy(() => windowLoss(model, windows, 3).dataSync()[0]!);
  };
  const numeric = (lossAt(1) - lossAt(-1)) / (2 * FD_STEP);
  assert.ok(Math.abs(analytic - numeric) <= FD_ATOL + FD_RTOL * Math.abs(numeric), `analytic ${analytic} vs finite difference ${numeric}`);
  assert.ok(Math.abs(numeric) > 1e-2, "direction is informative");
  tf.dispose([...grads, ...directions, ...originals]);
  model.dispose();
});

test("batchGradients over micro-batches equals the full-batch gradient, and leaks no tensors", async () => {
  await selectBackend("cpu");
  const model = createModel(TINY, INIT, 4);
  const windows = windowsFor(TINY, 5, 5);
  const before = tf.memory().numTensors;
  const full = batchGradients(model, windows, [5]);
  const split = batchGradients(model, windows, [2, 3]);
  assert.ok(Math.abs(full.losses[0]! - split.losses[0]!) < 1e-5 * full.losses[0]!);
  full.grads.forEach((g, i) => {
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(g, split.grads[i]!))).dataSync()[0]!);
    const scale = tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]!);
    assert.ok(diff <= BACKEND_RTOL * scale + 1e-9, `${model.named[i]![0]}: ${diff} vs scale ${scale}`);
  });
  tf.dispose([...full.grads, ...split.grads]);
  assert.equal(tf.memory().numTensors, before, "no tensors left behind by a step");
  model.dispose();
});

interface StepRecord {
  lossBefore: number;
  grads: Float32Array[];
  lossAfter: number;
}

function oneStep(model: Model, windows: Int32Array): StepRecord {
  const opt = createAdamW(model.named.map(([, v]) => v), { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1, clipNorm: 1 }, model.runs);
  const { losses, grads } = batchGradients(model, windows, [4]);
  const arrays = grads.map((g) => g.dataSync() as Float32Array);
  opt.step(grads, 1e-3);
  tf.dispose(grads);
  opt.dispose();
  const lossAfter = tf.tidy(() => windowLoss(model, windows, 4).dataSync()[0]!);
  return { lossBefore: losses[0]!, grads: arrays, lossAfter };
}

test("wasm (XNNPACK), wasm+openblas and cpu agree on the forward loss, gradients and a training step", async (t) => {
  const shape: ModelShape = { ...TINY, dModel: 32, heads: 4, kvHeads: 2, ffn: 88, seq: 16 };
  const windows = windowsFor(shape, 4, 6);
  const native = loadNativeGemm();
  const records: Array<[string, StepRecord]> = [];
  for (const name of ["cpu", "wasm", "wasm+openblas"] as const) {
    if (name === "wasm+openblas" && !native.gemm) {
      t.diagnostic(`native BLAS addon unavailable: ${native.reason}`);
      continue;
    }
    // Every native hook: products, batched products, fused cross-entropy and RMSNorm.
    const kernels = name === "wasm+openblas" ? nativeKernels(native) : {};
    assert.equal((await selectBackend(name === "cpu" ? "cpu" : "wasm", kernels)).name, name === "cpu" ? "cpu" : "wasm");
    const model = createModel(shape, INIT, 7);
    records.push([name, oneStep(model, windows)]);
    model.dispose();
  }
  const [, cpu] = records[0]!;
  assert.ok(cpu.lossAfter < cpu.lossBefore, "the step lowers the loss on its own batch");
  for (const [name, other] of records.slice(1)) {
    assert.ok(Math.abs(cpu.lossBefore - other.lossBefore) < BACKEND_RTOL * cpu.lossBefore, `${name}: ${cpu.lossBefore} vs ${other.lossBefore}`);
    assert.ok(Math.abs(cpu.lossAfter - other.lossAfter) < BACKEND_RTOL * cpu.lossAfter, `${name}: ${cpu.lossAfter} vs ${other.lossAfter}`);
    cpu.grads.forEach((g, i) => {
      const scale = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const diff = g.reduce((m, v, j) => Math.max(m, Math.abs(v - other.grads[i]![j]!)), 0);
      assert.ok(diff <= BACKEND_RTOL * scale + 1e-9, `${name} gradient ${i}: ${diff} vs scale ${scale}`);
    });
  }
});
