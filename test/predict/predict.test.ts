import assert from "node:assert/strict";
import { test } from "node:test";
import { deepseekLaws, type Laws } from "../../lib/laws/lawsFile";
import { DEEPSEEK_67B, DEEPSEEK_7B, DEEPSEEK_FIGURE_ANNOTATIONS, DEEPSEEK_REFERENCES } from "../../lib/laws/reference";
import { modelScaleExact } from "../../lib/model/count";
import { TINY_FAMILY } from "../../lib/model/search";
import { compareReference, evaluateLaw, predict } from "../../lib/predict/predict";
import { ConfigError } from "../../lib/util/errors";

/** Task brief: Eq. 1's LR at each model's budget must match Table 2 within 2 %. Measured: 1.0 % (7B), 0.8 % (67B). */
const LR_REL_TOL = 0.02;
/** Table 2 batches are multiples of 256 sequences (2304 = 9·256, 4608 = 18·256): the prediction rounded to that grid. */
const BATCH_GRID_SEQUENCES = 256;
/** The shape search for M_opt in the paper family lands within its default matchTolerance (1 %). */
const SHAPE_REL_TOL = 0.01;

test("compareReference(7B/67B, deepseekLaws): Table 2 LR within 2 % of Eq. 1 at C = M_exact · 2T", () => {
  for (const ref of DEEPSEEK_REFERENCES) {
    const c = compareReference(ref, deepseekLaws);
    assert.equal(c.compute, modelScaleExact(ref.shape) * 2e12);
    assert.ok(Math.abs(c.ratio.learningRate! - 1) <= LR_REL_TOL, `${ref.name}: LR ratio ${c.ratio.learningRate}`);
  }
});

test("compareReference(7B/67B): Table 2 batch is Eq. 1's batch rounded to a 256-sequence step", () => {
  for (const ref of DEEPSEEK_REFERENCES) {
    const c = compareReference(ref, deepseekLaws);
    const predictedSequences = c.predicted.batchSequences!;
    assert.equal(ref.batchSequences % BATCH_GRID_SEQUENCES, 0);
    assert.ok(Math.abs(ref.batchSequences - predictedSequences) < BATCH_GRID_SEQUENCES, `${ref.name}: ${ref.batchSequences} vs ${predictedSequences}`);
  }
});

test("predict({shape, tokens: 2T}) reproduces the Figure 3 batch annotations 9.2M and 19.7M tokens", () => {
  const { figure3BatchTokens, figure3BatchPrecisionTokens } = DEEPSEEK_FIGURE_ANNOTATIONS;
  for (const ref of [DEEPSEEK_7B, DEEPSEEK_67B]) {
    const p = predict({ shape: ref.shape, tokens: ref.tokens });
    const annotated = figure3BatchTokens[ref.name as keyof typeof figure3BatchTokens];
    assert.equal(Math.round(p.batchTokens! / figure3BatchPrecisionTokens) * figure3BatchPrecisionTokens, annotated, ref.name);
  }
});

test("predict({compute: 4.5e23}) gives the Figure 4 annotation M_opt ≈ 4.3e11, D_opt ≈ 1.04e12, and a shape near M_opt", () => {
  const { figure4 } = DEEPSEEK_FIGURE_ANNOTATIONS;
  const p = predict({ compute: figure4.compute });
  assert.equal(Number(p.modelScale!.toPrecision(2)), figure4.modelScale);
  assert.equal(Number(p.tokens!.toPrecision(3)), figure4.tokens);
  assert.ok(Math.abs(p.shape!.relativeError) <= SHAPE_REL_TOL);
  assert.equal(p.seq, 4096);
  assert.equal(p.batchSequences, p.batchTokens! / 4096);
  assert.deepEqual(p.intervals, {}, "the paper's laws carry no intervals");
});

test("predict({shape, tokens}) uses C = M_exact·D and the given family", () => {
  const shape = { layers: 2, dModel: 64, heads: 4, kvHeads: 4, ffn: 176, seq: 256, vocab: 256 };
  const p = predict({ shape, tokens: 1e8 }, { family: TINY_FAMILY });
  assert.equal(p.compute, modelScaleExact(shape) * 1e8);
  assert.equal(p.seq, 256);
  assert.equal(p.shape!.shape.vocab, 256);
});

test("evaluateLaw(law with draws) is the 2.5–97.5 percentile of y over the draws", () => {
  // 101 exponents evenly spaced over b ± 0.02, constant coefficient: y is monotone in the exponent,
  // so sorted y are a·C^(exponents); the type-7 quantile at 0.025 of 101 points is halfway between
  // sorted indices 2 and 3 (97.5 %: between 97 and 98).
  const a = 0.3, b = 0.33, half = 0.02, c = 1e20;
  const exponents = Array.from({ length: 101 }, (_, i) => b - half + (2 * half * i) / 100);
  const y = exponents.map((e) => a * c ** e);
  const { value, interval } = evaluateLaw({ coefficient: a, exponent: b, draws: { coefficient: exponents.map(() => a), exponent: exponents } }, c);
  assert.equal(value, a * c ** b);
  assert.ok(Math.abs(interval![0] / ((y[2]! + y[3]!) / 2) - 1) < 1e-12);
  assert.ok(Math.abs(interval![1] / ((y[97]! + y[98]!) / 2) - 1) < 1e-12);
});

test("evaluateLaw(law with an interval box) takes the extreme corners", () => {
  const law = { coefficient: 1, exponent: 0.5, interval: { coefficient: [0.5, 2] as [number, number], exponent: [0.4, 0.6] as [number, number] } };
  assert.deepEqual(evaluateLaw(law, 1e4).interval, [0.5 * 1e4 ** 0.4, 2 * 1e4 ** 0.6]);
  // Below C = 1 the exponent's effect flips; the corners still bound y.
  assert.deepEqual(evaluateLaw(law, 1e-4).interval, [0.5 * 1e-4 ** 0.6, 2 * 1e-4 ** 0.4]);
});

test("predict(target, {laws}) leaves out what the laws do not carry and carries intervals through", () => {
  const laws: Laws = { batch: { coefficient: 0.292, exponent: 0.3271, interval: { coefficient: [0.2, 0.4], exponent: [0.32, 0.33] } } };
  const p = predict({ compute: 1e20 }, { laws, seq: 1024 });
  assert.equal(p.modelScale, null);
  assert.equal(p.shape, null);
  assert.equal(p.learningRate, null);
  assert.deepEqual(p.intervals.batchSequences, [p.intervals.batchTokens![0] / 1024, p.intervals.batchTokens![1] / 1024]);
  assert.ok(p.intervals.batchTokens![0] < p.batchTokens! && p.batchTokens! < p.intervals.batchTokens![1]);
});

test("predict rejects non-positive budgets and tokens naming the flag", () => {
  assert.throws(() => predict({ compute: 0 }), (e: unknown) => e instanceof ConfigError && e.path === "--compute");
  assert.throws(() => predict({ shape: DEEPSEEK_7B.shape, tokens: -5 }), (e: unknown) => e instanceof ConfigError && e.path === "--tokens");
});
