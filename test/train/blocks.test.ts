import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { crossEntropy, embed, rmsNorm, swiglu, RMS_NORM_EPSILON } from "../../lib/train/blocks";
import { selectBackend } from "../../lib/train/backend";
import { agrees, directionalChecks, randomTensor } from "./gradcheck";

before(async () => {
  await selectBackend("cpu");
});

/** float32 forward values compared with a float64 JS reference. */
const FORWARD_TOL = 1e-5;

function assertGradients(name: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): void {
  for (const c of directionalChecks(f, inputs, seed)) {
    assert.ok(agrees(c), `${name} input ${c.input}: analytic ${c.analytic} vs finite difference ${c.numeric}`);
    assert.ok(Math.abs(c.numeric) > 1e-3, `${name} input ${c.input}: directional derivative ${c.numeric} is too small to test`);
  }
  tf.dispose(inputs);
}

test("rmsNorm(x, gain) matches x / sqrt(mean(x²) + ε) · gain", () => {
  const x = [1, -2, 3, 0.5];
  const g = [1, 2, 0.5, -1];
  const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / 4 + RMS_NORM_EPSILON);
  const got = tf.tidy(() => rmsNorm(tf.tensor2d([x]), tf.tensor1d(g)).dataSync());
  x.forEach((v, i) => assert.ok(Math.abs(got[i]! - (v / rms) * g[i]!) < FORWARD_TOL));
});

test("rmsNorm(x, gain) gradients match finite differences", () => {
  assertGradients("rmsNorm", (x, g) => rmsNorm(x as tf.Tensor2D, g as tf.Tensor1D), [randomTensor([6, 8], 1), randomTensor([8], 2)], 3);
});

test("swiglu(x, W1, W3, W2) gradients match finite differences", () => {
  const inputs = [randomTensor([5, 8], 4), randomTensor([8, 12], 5, 0.5), randomTensor([8, 12], 6, 0.5), randomTensor([12, 8], 7, 0.5)];
  assertGradients("swiglu", (x, a, b, c) => swiglu(x as tf.Tensor2D, a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D), inputs, 8);
});

test("embed(ids, E) selects rows and its table gradient matches finite differences", () => {
  const ids = tf.tensor1d([3, 0, 255, 3, 7], "int32");
  const table = randomTensor([256, 6], 9);
  const got = tf.tidy(() => embed(ids, table as tf.Tensor2D).arraySync());
  const rows = table.arraySync() as number[][];
  [3, 0, 255, 3, 7].forEach((id, i) => assert.deepEqual(got[i], rows[id]));
  assertGradients("embed", (e) => embed(ids, e as tf.Tensor2D), [table], 10);
  ids.dispose();
});

test("crossEntropy(logits, targets) equals mean −log softmax and its gradient matches finite differences", () => {
  const logits = randomTensor([4, 256], 11, 2);
  const targets = tf.tensor1d([1, 200, 37, 1], "int32");
  const z = logits.arraySync() as number[][];
  const expected =
    [1, 200, 37, 1].reduce((s, t, i) => {
      const row = z[i]!;
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
      return s + lse - row[t]!;
    }, 0) / 4;
  const got = tf.tidy(() => crossEntropy(logits as tf.Tensor2D, targets).dataSync()[0]!);
  assert.ok(Math.abs(got - expected) < FORWARD_TOL * Math.abs(expected), `${got} vs ${expected}`);
  // A scalar output: the gradcheck multiplies by a random scalar r, so the check covers dL/dz fully.
  assertGradients("crossEntropy", (l) => crossEntropy(l as tf.Tensor2D, targets), [logits], 12);
  targets.dispose();
});
