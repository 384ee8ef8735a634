import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../lib/train/backend";
import { transposeInto } from "../../lib/train/kernels/gemm";
import { randomTensor } from "./gradcheck";

/** Different summation orders of ≤ 200 products of O(1) float32 numbers differ by ≲ k·2⁻²⁴·|terms|. */
const MATMUL_TOL = 1e-4;

interface Case {
  a: number[];
  b: number[];
  ta: boolean;
  tb: boolean;
}

const CASES: Case[] = [
  { a: [7, 5], b: [5, 3], ta: false, tb: false },
  { a: [5, 7], b: [5, 3], ta: true, tb: false },
  { a: [7, 5], b: [3, 5], ta: false, tb: true },
  { a: [5, 7], b: [3, 5], ta: true, tb: true },
  { a: [4, 33, 65], b: [4, 65, 17], ta: false, tb: false },
  { a: [4, 65, 33], b: [4, 17, 65], ta: true, tb: true },
  { a: [2, 3, 9, 8], b: [2, 3, 9, 8], ta: false, tb: true },
  { a: [2, 3, 9, 8], b: [2, 3, 9, 6], ta: true, tb: false },
  { a: [3, 9, 8], b: [8, 6], ta: false, tb: false },
  { a: [9, 8], b: [3, 8, 6], ta: false, tb: false },
  { a: [1, 9, 8], b: [3, 6, 8], ta: false, tb: true },
  // Wide right operands: gemm runs these as Cᵀ = op(B)ᵀ·op(A)ᵀ (the cheaper packing).
  { a: [200, 8], b: [200, 64], ta: true, tb: false },
  { a: [8, 200], b: [200, 64], ta: false, tb: false },
  { a: [2, 8, 150], b: [2, 150, 40], ta: false, tb: false },
];

/** matMul results and gradients on the active backend, as plain arrays. */
function compute(c: Case, seed: number): { out: Float32Array; da: Float32Array; db: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const a = randomTensor(c.a, seed);
    const b = randomTensor(c.b, seed + 1);
    const out = tf.matMul(a, b, c.ta, c.tb);
    const r = randomTensor(out.shape, seed + 2);
    // tfjs-core's matMul gradient cannot un-broadcast batch dims, so gradients only for equal ranks.
    if (c.a.slice(0, -2).join() !== c.b.slice(0, -2).join()) return { out: out.dataSync() as Float32Array, da: new Float32Array(), db: new Float32Array(), shape: out.shape };
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, c.ta, c.tb), r)))([a, b]);
    return { out: out.dataSync() as Float32Array, da: da!.dataSync() as Float32Array, db: db!.dataSync() as Float32Array, shape: out.shape };
  });
}

const maxDiff = (x: Float32Array, y: Float32Array): number => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i]!)), 0);

test("registered wasm BatchMatMul gives the stock cpu results for every transpose and batch layout, with gradients", async () => {
  await selectBackend("cpu");
  const expected = CASES.map((c, i) => compute(c, 10 * i));
  const wasm = await selectBackend("wasm");
  assert.equal(wasm.name, "wasm");
  CASES.forEach((c, i) => {
    const got = compute(c, 10 * i);
    const want = expected[i]!;
    const label = `a [${c.a}] b [${c.b}] ta ${c.ta} tb ${c.tb}`;
    assert.deepEqual(got.shape, want.shape, label);
    assert.ok(maxDiff(got.out, want.out) < MATMUL_TOL, `${label}: product differs by ${maxDiff(got.out, want.out)}`);
    assert.ok(maxDiff(got.da, want.da) < MATMUL_TOL, `${label}: dA differs`);
    assert.ok(maxDiff(got.db, want.db) < MATMUL_TOL, `${label}: dB differs`);
  });
});

test("registered wasm BatchMatMul leaks no heap tensors and sees updated operands", async () => {
  await selectBackend("wasm");
  const a = randomTensor([16, 8], 1);
  const b = tf.variable(randomTensor([8, 4], 2));
  const before = tf.memory().numTensors;
  const first = tf.tidy(() => Float32Array.from(tf.matMul(a, b).dataSync()));
  tf.tidy(() => b.assign(tf.mul(b, 2)));
  const second = tf.tidy(() => Float32Array.from(tf.matMul(a, b).dataSync()));
  // XNNPACK caches packed weights per tensor id: a stale cache would return `first` again.
  assert.ok(maxDiff(second, first.map((v) => 2 * v)) < MATMUL_TOL);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([a, b]);
});

test("transposeInto(heap, src, dst, rows, cols) transposes across block edges", () => {
  const rows = 37;
  const cols = 70;
  const heap = new Float32Array(2 * rows * cols + 5);
  for (let i = 0; i < rows * cols; i++) heap[5 + i] = i;
  transposeInto(heap, 5, 5 + rows * cols, rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) assert.equal(heap[5 + rows * cols + c * rows + r], r * cols + c);
});

test("registered wasm UnsortedSegmentSum (gather's gradient) gives the stock cpu results", async () => {
  const ids = [3, 0, 3, 3, 5, 1, 0];
  const run = (): Float32Array[] =>
    tf.tidy(() => {
      const segmentIds = tf.tensor1d(ids, "int32");
      const x2 = randomTensor([7, 6], 40);
      const x3 = randomTensor([7, 2, 3], 41);
      const table = randomTensor([6, 4], 42);
      const [dTable] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, segmentIds), randomTensor([7, 4], 43))))([table]);
      return [tf.unsortedSegmentSum(x2, segmentIds, 6), tf.unsortedSegmentSum(x3, segmentIds, 6), dTable!].map((t) => Float32Array.from(t.dataSync()));
    });
  await selectBackend("cpu");
  const want = run();
  await selectBackend("wasm");
  const got = run();
  got.forEach((g, i) => assert.ok(maxDiff(g, want[i]!) < MATMUL_TOL, `output ${i}`));
  assert.ok(want[0]!.slice(2 * 6, 3 * 6).every((v) => v === 0), "segment 2 has no rows: zeros");
});

test("registered wasm GatherV2, Identity and Cast give the stock cpu results, share data instead of copying, and leak nothing", async () => {
  const run = (): Float32Array[] =>
    tf.tidy(() => {
      const table = randomTensor([6, 4], 50);
      const ids = tf.tensor1d([5, 0, 3, 3], "int32");
      const ids2 = tf.tensor2d([[1, 2], [4, 0]], [2, 2], "int32");
      const x3 = randomTensor([3, 4, 2], 51);
      return [
        tf.gather(table, ids), // the fast row copy
        tf.gather(table, ids2), // 2-D ids: still rows
        tf.gather(table, tf.tensor1d([3, 1], "int32"), 1), // axis 1: the stock kernel
        tf.gather(x3, tf.tensor1d([2, 0], "int32")), // 3-D table: the stock kernel
        tf.clone(table),
        tf.cast(table, "float32"),
        tf.cast(tf.cast(table, "int32"), "float32"), // a real cast still converts
      ].map((t) => Float32Array.from(t.dataSync()));
    });
  await selectBackend("cpu");
  const want = run();
  await selectBackend("wasm");
  const before = tf.memory().numTensors;
  const got = run();
  assert.equal(tf.memory().numTensors, before);
  got.forEach((g, i) => assert.deepEqual(g, want[i]!, `output ${i}`));
  const x = randomTensor([4, 4], 52);
  const y = tf.clone(x);
  const backend = tf.backend() as unknown as { refCount(id: object): number };
  assert.equal(backend.refCount(x.dataId), 2, "clone shares x's heap data");
  x.dispose();
  assert.equal(backend.refCount(y.dataId), 1);
  assert.deepEqual(Float32Array.from(y.dataSync()), Float32Array.from(randomTensor([4, 4], 52).dataSync()), "the clone outlives x");
  tf.disposeVariables();
  tf.dispose(y);
  assert.throws(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([3], "int32")).dataSync()), /index 3/);
});
