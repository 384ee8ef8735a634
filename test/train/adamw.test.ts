import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createAdamW } from "../../lib/train/adamw";
import { selectBackend } from "../../lib/train/backend";
import { ownedVariable } from "../../lib/train/model";

/** float32 storage of O(1) values, compared with a float64 hand computation. */
const ADAM_TOL = 1e-6;


const OPTIONS = { beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1, clipNorm: 1 };

/** One reference AdamW update in float64 (PyTorch semantics). */
function reference(p: number, g: number, m: number, v: number, t: number, lr: number, decay: boolean): { p: number; m: number; v: number } {
  const m1 = OPTIONS.beta1 * m + (1 - OPTIONS.beta1) * g;
  const v1 = OPTIONS.beta2 * v + (1 - OPTIONS.beta2) * g * g;
  const update = m1 / (1 - OPTIONS.beta1 ** t) / (Math.sqrt(v1 / (1 - OPTIONS.beta2 ** t)) + OPTIONS.epsilon);
  return { p: (decay ? p * (1 - lr * OPTIONS.weightDecay) : p) - lr * update, m: m1, v: v1 };
}

async function checkAgainstReference(backend: "cpu" | "wasm"): Promise<void> {
  await selectBackend(backend);
  const matrix = ownedVariable(tf.tensor2d([[0.5, -1], [2, 0.25]]));
  const gain = ownedVariable(tf.tensor1d([1, 1]));
  const opt = createAdamW([matrix, gain], OPTIONS);
  const steps = [
    { lr: 0.1, gm: [3, 0, -4, 0], gg: [0, 0] }, // global norm 5 → clipped by 1/5
    { lr: 0.05, gm: [0.1, 0.2, 0, -0.3], gg: [0.4, -0.1] }, // norm ≈ 0.57: no clipping
  ];
  let p = [0.5, -1, 2, 0.25, 1, 1];
  let m = p.map(() => 0);
  let v = p.map(() => 0);
  steps.forEach(({ lr, gm, gg }, s) => {
    const g = [...gm, ...gg];
    const norm = Math.sqrt(g.reduce((a, x) => a + x * x, 0));
    const clip = Math.min(1, OPTIONS.clipNorm / (norm + 1e-6));
    const grads = [tf.tensor2d(gm, [2, 2]), tf.tensor1d(gg)];
    const info = opt.step(grads, lr);
    tf.dispose(grads);
    assert.ok(Math.abs(info.gradNorm - norm) < ADAM_TOL * norm);
    const next = p.map((pi, i) => reference(pi, g[i]! * clip, m[i]!, v[i]!, s + 1, lr, i < 4));
    p = next.map((r) => r.p);
    m = next.map((r) => r.m);
    v = next.map((r) => r.v);
    const got = [...matrix.dataSync(), ...gain.dataSync()];
    got.forEach((x, i) => assert.ok(Math.abs(x - p[i]!) < ADAM_TOL, `step ${s + 1} param ${i}: ${x} vs ${p[i]}`));
  });
  // The gain with zero gradient at step 1 is not decayed: it stays exactly 1.
  assert.equal(opt.steps, 2);
  opt.dispose();
  tf.dispose([matrix, gain]);
  assert.equal(tf.memory().numTensors, 0);
}

test("createAdamW(...).step clips the global norm, decays matrices only, and bias-corrects moments", () => checkAgainstReference("cpu"));

test("createAdamW(...).step on wasm (fused in place on the heap) matches the same float64 reference", () => checkAgainstReference("wasm"));

test("createAdamW(...).step on wasm never writes into data another tensor shares (it falls back to the tfjs update)", async () => {
  await selectBackend("wasm");
  const initial = tf.tensor2d([[0.5, -1], [2, 0.25]]);
  const shared = tf.variable(initial); // shares initial's heap data
  const opt = createAdamW([shared], OPTIONS);
  const grads = [tf.tensor2d([[0.1, 0.2], [0, -0.3]])];
  opt.step(grads, 0.1);
  assert.deepEqual([...initial.dataSync()], [0.5, -1, 2, 0.25], "the other tensor is untouched");
  const g = [0.1, 0.2, 0, -0.3];
  const norm = Math.sqrt(g.reduce((a, x) => a + x * x, 0));
  const clip = Math.min(1, OPTIONS.clipNorm / (norm + 1e-6));
  const want = [0.5, -1, 2, 0.25].map((p, i) => reference(p, g[i]! * clip, 0, 0, 1, 0.1, true).p);
  [...shared.dataSync()].forEach((x, i) => assert.ok(Math.abs(x - want[i]!) < ADAM_TOL, `param ${i}: ${x} vs ${want[i]}`));
  opt.dispose();
  tf.dispose([initial, shared, ...grads]);
});
