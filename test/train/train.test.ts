import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { train, evalSteps } from "../../lib/train/train";
import type { TrainConfigInput } from "../../lib/train/config";
import { ConfigError } from "../../lib/util/errors";
import { modelScaleExact } from "../../lib/model/count";
import { loadNativeGemm } from "../../lib/native/wasmGemm";

/** A fixture small enough for seconds on wasm: 1 block, d 32, 32-token windows of en-prose. */
const BASE: TrainConfigInput = {
  shape: { layers: 1, dModel: 32, heads: 2, kvHeads: 1, ffn: 88, seq: 32, vocab: 256 },
  tokens: 40 * 256,
  batchTokens: 256,
  learningRate: 1e-2,
  schedule: { kind: "constant", warmup: { steps: 2 } },
  init: { std: 0.006, scaleWithWidth: true },
  corpus: "en-prose",
  backend: "wasm",
  seed: 3,
  eval: { windows: 8, points: 1 },
};

/** Uniform prediction over 256 bytes is 8 bits/byte; a model that learned anything is well below. */
const UNIFORM_BITS_PER_BYTE = 8;

test("train(config) lowers the loss within a few dozen steps and reports the run", async () => {
  const counts: number[] = [];
  const r = await train(BASE, { onProgress: () => counts.push(tf.memory().numTensors) });
  assert.equal(r.status, "ok");
  assert.equal(r.steps, 40);
  assert.equal(r.tokens, 40 * 256);
  assert.equal(r.modelScale, modelScaleExact(r.config.shape));
  assert.equal(r.compute, r.modelScale * r.tokens);
  assert.match(r.backend.name, /^wasm(\+openblas)?$/);
  assert.equal(r.backend.blas?.path, r.backend.name === "wasm" ? "wasm" : "native");
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(r.curve.slice(0, 3).map((p) => p.loss));
  const last = mean(r.curve.slice(-3).map((p) => p.loss));
  assert.ok(first > 5 && first < 6, `starts near ln 256 = 5.55 nats (got ${first})`);
  assert.ok(last < first - 1, `loss falls by more than a nat: ${first} → ${last}`);
  assert.ok(r.bitsPerByte !== null && r.bitsPerByte < UNIFORM_BITS_PER_BYTE - 1.5, `bits per byte ${r.bitsPerByte}`);
  assert.deepEqual(r.evals.map((e) => e.step), [20, 40]);
  assert.ok(new Set(counts).size === 1, `tensor count is flat across steps: ${[...new Set(counts)]}`);
});

test("train(config) with the same seed and backend gives the same losses; another seed does not", async () => {
  const short = { ...BASE, tokens: 6 * 256 };
  const a = await train(short);
  const b = await train(short);
  const c = await train({ ...short, seed: 4 });
  assert.deepEqual(a.curve, b.curve);
  assert.equal(a.bitsPerByte, b.bitsPerByte);
  assert.notDeepEqual(a.curve.map((p) => p.loss), c.curve.map((p) => p.loss));
});

test("train(config) ends a run with a huge learning rate as diverged, without leaking tensors", async () => {
  const before = tf.memory().numTensors;
  const r = await train({ ...BASE, learningRate: 50 });
  assert.equal(r.status, "diverged");
  assert.ok(r.error && /loss/.test(r.error));
  assert.ok(r.steps < 40);
  assert.equal(r.bitsPerByte, null);
  assert.equal(tf.memory().numTensors, before);
});

test("train(config) rejects untrainable configs with the field and the fix", async () => {
  const bad: Array<[string, TrainConfigInput]> = [
    ["shape.heads", { ...BASE, shape: { ...BASE.shape, heads: 3 } }],
    ["shape.kvHeads", { ...BASE, shape: { ...BASE.shape, kvHeads: 3, heads: 2 } }],
    ["shape.ffn", { ...BASE, shape: { ...BASE.shape, ffn: 85.3 } }],
    ["shape.heads", { ...BASE, shape: { ...BASE.shape, dModel: 30, heads: 10, kvHeads: 10 } }], // odd head size 3
    ["batchTokens", { ...BASE, batchTokens: 100 }],
    ["batchTokens", { ...BASE, batchTokens: 16 }],
    ["tokens", { ...BASE, tokens: 200 }],
    ["learningRate", { ...BASE, learningRate: -1 }],
    ["backend", { ...BASE, backend: "gpu" as never }],
    ["blas", { ...BASE, blas: "mkl" as never }],
    ["blasThreads", { ...BASE, blasThreads: 0 }],
  ];
  for (const [path, config] of bad) {
    await assert.rejects(train(config), (e: unknown) => e instanceof ConfigError && e.path === path && e.message.split("\n").length === 1, path);
  }
  await assert.rejects(train({ ...BASE, extra: 1 } as never), (e: unknown) => e instanceof ConfigError && /extra/.test(e.message));
});

test("evalSteps(points, steps) spreads the evaluations and always ends at the last step", () => {
  assert.deepEqual([...evalSteps(4, 73)].sort((a, b) => a - b), [15, 29, 44, 58, 73]);
  assert.deepEqual([...evalSteps(0, 10)], [10]);
  assert.deepEqual([...evalSteps(3, 2)].sort((a, b) => a - b), [1, 2]);
});

/** Two float32 GEMMs (XNNPACK vs OpenBLAS) round differently; six steps keep losses within this. */
const GEMM_SWAP_TOL = 1e-3;

test("train(config) with blas native, auto and {gemm} follows the blas wasm run and records the path", async (t) => {
  const native = loadNativeGemm();
  if (!native.gemm) {
    t.skip(`native BLAS addon unavailable: ${native.reason}`);
    return;
  }
  const short = { ...BASE, tokens: 6 * 256 };
  const reference = await train({ ...short, blas: "wasm" });
  assert.equal(reference.backend.name, "wasm");
  assert.deepEqual(reference.backend.blas, { path: "wasm" });
  assert.equal(reference.config.blas, "wasm");
  const runs = [
    await train({ ...short, blas: "native", blasThreads: 1 }),
    await train(short),
    await train(short, { gemm: { name: "openblas", fn: native.gemm } }),
  ];
  for (const run of runs) {
    assert.equal(run.backend.name, "wasm+openblas");
    assert.equal(run.backend.blas?.path, "native");
    run.curve.forEach((p, i) => assert.ok(Math.abs(p.loss - reference.curve[i]!.loss) < GEMM_SWAP_TOL, `step ${i}: ${p.loss} vs ${reference.curve[i]!.loss}`));
  }
  assert.equal(runs[0]!.backend.blas?.threads, 1);
  assert.equal(runs[0]!.backend.blas?.coreName, native.config.openblas.coreName);
  // An absent `blas` stays absent in the resolved config, so run keys of existing configs do not change.
  assert.equal("blas" in runs[1]!.config, false);
});
