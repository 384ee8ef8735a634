import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { applyRope, attention, attentionTables, disposeTables, type AttentionTables } from "../../lib/train/attention";
import { selectBackend } from "../../lib/train/backend";
import { agrees, directionalChecks, randomTensor } from "./gradcheck";

/** float32 agreement of two formulations of the same value (a few ulps of O(1) numbers). */
const SAME_VALUE_TOL = 1e-5;

const SEQ = 5;
const HEAD = 4;
let tables: Record<number, AttentionTables> = {};

before(async () => {
  await selectBackend("cpu");
  tables = { 1: attentionTables(SEQ, HEAD, 1), 2: attentionTables(SEQ, HEAD, 2), 4: attentionTables(SEQ, HEAD, 4) };
});
after(() => Object.values(tables).forEach(disposeTables));

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

test("applyRope(x) makes query·key depend only on the position offset", () => {
  const q = randomTensor([1, 1, 1, HEAD], 1);
  const k = randomTensor([1, 1, 1, HEAD], 2);
  const dotAt = (tq: number, tk: number): number =>
    tf.tidy(() => {
      const put = (v: tf.Tensor, t: number): tf.Tensor4D => tf.tile(v, [1, SEQ, 1, 1]).mul(tf.oneHot([t], SEQ).reshape([1, SEQ, 1, 1])) as tf.Tensor4D;
      const rq = applyRope(put(q, tq), tables[1]!).sum(1);
      const rk = applyRope(put(k, tk), tables[1]!).sum(1);
      return tf.sum(tf.mul(rq, rk)).dataSync()[0]!;
    });
  assert.ok(Math.abs(dotAt(1, 3) - dotAt(2, 4)) < SAME_VALUE_TOL);
  assert.ok(Math.abs(dotAt(0, 0) - tf.tidy(() => tf.sum(tf.mul(q, k)).dataSync()[0]!)) < SAME_VALUE_TOL, "position 0 is the identity");
  assert.ok(Math.abs(dotAt(1, 3) - dotAt(1, 2)) > 1e-3, "different offsets give different products");
  tf.dispose([q, k]);
});

function inputsFor(heads: number, kvHeads: number, seed: number): tf.Tensor[] {
  const d = heads * HEAD;
  return [
    randomTensor([2 * SEQ, d], seed),
    randomTensor([d, d], seed + 1, 0.4),
    randomTensor([d, kvHeads * HEAD], seed + 2, 0.4),
    randomTensor([d, kvHeads * HEAD], seed + 3, 0.4),
    randomTensor([d, d], seed + 4, 0.4),
  ];
}

for (const [heads, kvHeads] of [[2, 2], [4, 2], [4, 1]] as const) {
  test(`attention(x, …) gradients match finite differences (heads ${heads}, kv heads ${kvHeads})`, () => {
    const dims = { batch: 2, seq: SEQ, heads, kvHeads, headSize: HEAD };
    const inputs = inputsFor(heads, kvHeads, 10 * heads + kvHeads);
    const f = (x: tf.Tensor, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, o: tf.Tensor): tf.Tensor =>
      attention(x as tf.Tensor2D, q as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, o as tf.Tensor2D, dims, tables[heads / kvHeads]!);
    for (const c of directionalChecks(f as (...xs: tf.Tensor[]) => tf.Tensor, inputs, 7)) {
      assert.ok(agrees(c), `input ${c.input}: analytic ${c.analytic} vs finite difference ${c.numeric}`);
    }
    tf.dispose(inputs);
  });
}

test("attention(x, …) is causal: later tokens do not change earlier outputs", () => {
  const [x, wq, wk, wv, wo] = inputsFor(4, 2, 40) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const dims = { batch: 2, seq: SEQ, heads: 4, kvHeads: 2, headSize: HEAD };
  const changed = tf.tidy(() => x.add(tf.oneHot([SEQ - 1], 2 * SEQ).reshape([2 * SEQ, 1]).mul(3))) as tf.Tensor2D; // last token of sequence 0
  const a = attention(x, wq, wk, wv, wo, dims, tables[2]!);
  const b = attention(changed, wq, wk, wv, wo, dims, tables[2]!);
  assert.ok(maxAbsDiff(a.slice([0, 0], [SEQ - 1, -1]), b.slice([0, 0], [SEQ - 1, -1])) < SAME_VALUE_TOL);
  assert.ok(maxAbsDiff(a.slice([SEQ - 1, 0], [1, -1]), b.slice([SEQ - 1, 0], [1, -1])) > 1e-3);
  assert.ok(maxAbsDiff(a.slice([SEQ, 0], [SEQ, -1]), b.slice([SEQ, 0], [SEQ, -1])) < SAME_VALUE_TOL, "sequences are independent");
  tf.dispose([x, wq, wk, wv, wo, changed, a, b]);
});

test("attention(x, …) with grouped KV heads equals multi-head attention with shared K/V columns", () => {
  const [x, wq, wk, wv, wo] = inputsFor(4, 2, 50) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  // Query head h uses KV head floor(h / 2): replicate each KV head's columns for its two query heads.
  const widen = (w: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => tf.concat([0, 0, 1, 1].map((g) => w.slice([0, g * HEAD], [-1, HEAD])), 1) as tf.Tensor2D);
  const wkFull = widen(wk);
  const wvFull = widen(wv);
  const gqa = attention(x, wq, wk, wv, wo, { batch: 2, seq: SEQ, heads: 4, kvHeads: 2, headSize: HEAD }, tables[2]!);
  const mha = attention(x, wq, wkFull, wvFull, wo, { batch: 2, seq: SEQ, heads: 4, kvHeads: 4, headSize: HEAD }, tables[1]!);
  assert.ok(maxAbsDiff(gqa, mha) < SAME_VALUE_TOL);
  tf.dispose([x, wq, wk, wv, wo, wkFull, wvFull, gqa, mha]);
});
