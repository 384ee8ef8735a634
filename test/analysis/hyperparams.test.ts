import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeHyperparams, hyperparamsJson } from "../../lib/analysis/hyperparams";
import { hyperparamRuns, TRUE_LAWS } from "./synthetic";

/** Noiseless data whose cloud is the exact optimum: only float rounding separates fit and truth. */
const EXACT = 1e-9;
/** Coefficients go through exp(intercept) of a log-log fit: relative error of a few ulps of ln C ≈ 40. */
const COEFFICIENT_REL = 1e-6;

test("analyzeHyperparams(points) recovers the B_opt and η_opt exponents and coefficients on noiseless data", () => {
  const a = analyzeHyperparams(hyperparamRuns(), { resamples: 50 });
  assert.ok(a.fit, a.error);
  assert.ok(Math.abs(a.fit.batch.params.exponent - TRUE_LAWS.batch.exponent) < EXACT);
  assert.ok(Math.abs(a.fit.learningRate.params.exponent - TRUE_LAWS.learningRate.exponent) < EXACT);
  assert.ok(Math.abs(a.fit.batch.params.coefficient / TRUE_LAWS.batch.coefficient - 1) < COEFFICIENT_REL);
  assert.ok(Math.abs(a.fit.learningRate.params.coefficient / TRUE_LAWS.learningRate.coefficient - 1) < COEFFICIENT_REL);
  assert.equal(a.keys.length, 125);
});

test("analyzeHyperparams(points) holds out each budget and predicts it with ~0 error on noiseless data", () => {
  const a = analyzeHyperparams(hyperparamRuns(), { resamples: 0 });
  assert.ok(a.leaveOneOut);
  assert.equal(a.leaveOneOut.length, 5);
  for (const h of a.leaveOneOut) {
    assert.ok(Math.abs(h.batch.relativeError) < COEFFICIENT_REL, `batch at ${h.compute}: ${h.batch.relativeError}`);
    assert.ok(Math.abs(h.learningRate.relativeError) < COEFFICIENT_REL);
  }
});

test("analyzeHyperparams(points) cross-checks every budget with an in-range quadratic optimum", () => {
  const a = analyzeHyperparams(hyperparamRuns(), { resamples: 0 });
  assert.deepEqual(a.fit?.perBudget.map((b) => b.status), ["ok", "ok", "ok", "ok", "ok"]);
  for (const b of a.fit!.perBudget) assert.ok(Math.abs(b.batchTokens / (TRUE_LAWS.batch.coefficient * b.compute ** TRUE_LAWS.batch.exponent) - 1) < COEFFICIENT_REL);
});

test("analyzeHyperparams(points) with one budget returns no fit and says why, instead of throwing", () => {
  const a = analyzeHyperparams(hyperparamRuns([1e18]), { resamples: 0 });
  assert.equal(a.fit, null);
  assert.match(a.error ?? "", /1 budget\(s\).*≥ 2/);
  assert.equal(hyperparamsJson(a).status, "not-fitted");
});

test("hyperparamsJson(analysis) lists the run keys used, the near-optimal keys and why the others were dropped", () => {
  const points = hyperparamRuns([1e17, 1e18]);
  const j = hyperparamsJson(analyzeHyperparams(points, { resamples: 10 }));
  assert.deepEqual(j.keys, points.map((p) => p.key));
  assert.deepEqual(j.nearOptimal?.keys, ["hp-0-0-0", "hp-1-0-0"]);
  assert.equal(j.nearOptimal?.dropped.length, 48);
  assert.match(j.nearOptimal!.dropped[0]!.reason, /exceeds best/);
  assert.equal(j.batch?.draws.coefficient.length, 10);
  assert.match(j.leaveOneOutNote ?? "", /leave-one-out needs ≥ 3/);
});
