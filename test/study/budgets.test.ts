import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeHyperparams } from "../../lib/analysis/hyperparams";
import { analyzeIsoflop } from "../../lib/analysis/isoflop";
import type { RunPoint } from "../../lib/fit/types";
import { hyperparamsBudgets, isoflopBudgets, lossCurveRow } from "../../lib/study/budgets";

/**
 * Synthetic runs with a known optimum. Hyperparameters: loss = L(C)·(1 + 0.004·(Δln B² + Δln η²)) on a
 * 5 × 5 grid at ×2 steps around B* = 0.1·C^0.3, η* = 0.5·C^−0.1: the 4 axis neighbours are 0.19% above
 * the best (inside 0.25%), the diagonals 0.38% (outside), and the surface is exactly quadratic, so its
 * optimum is (B*, η*). IsoFLOP: loss = L(C) + 0.02·(ln M − ln M*)² with M* = 0.2·C^0.5.
 */
const BUDGETS = [1e10, 1e11, 1e12, 1e13];
const lossAt = (c: number): number => 2 + 50 * c ** -0.2;
const STEPS = [-2, -1, 0, 1, 2];

function hyperparamPoints(): RunPoint[] {
  return BUDGETS.flatMap((c) => STEPS.flatMap((i) => STEPS.map((j) => {
    const batchTokens = 0.1 * c ** 0.3 * 2 ** i, learningRate = 0.5 * c ** -0.1 * 2 ** j;
    const loss = lossAt(c) * (1 + 0.004 * ((i * Math.LN2) ** 2 + (j * Math.LN2) ** 2));
    return { compute: c, modelScale: 1e5, tokens: c / 1e5, batchTokens, learningRate, loss, status: "ok" };
  })));
}

test("hyperparamsBudgets(analysis) gives each budget's best run, its 5 near-optimal runs and the quadratic optimum at the truth", () => {
  const rows = hyperparamsBudgets(analyzeHyperparams(hyperparamPoints(), { resamples: 50 }));
  assert.deepEqual(rows.map((r) => r.compute), BUDGETS);
  for (const r of rows) {
    assert.equal(r.runs, 25);
    assert.equal(r.nearOptimalRuns, 5, "the best and its 4 axis neighbours");
    assert.ok(Math.abs(r.best.loss / lossAt(r.compute) - 1) < 1e-12);
    assert.ok(Math.abs(r.best.batchTokens / (0.1 * r.compute ** 0.3) - 1) < 1e-9);
    assert.equal(r.quadratic.status, "ok");
    assert.ok(Math.abs(r.quadratic.batchTokens / (0.1 * r.compute ** 0.3) - 1) < 1e-6, `${r.quadratic.batchTokens}`);
    assert.ok(Math.abs(r.quadratic.learningRate / (0.5 * r.compute ** -0.1) - 1) < 1e-6, `${r.quadratic.learningRate}`);
  }
  assert.deepEqual(hyperparamsBudgets(null), []);
});

test("isoflopBudgets(analysis) puts each vertex at the true M_opt, and lossCurveRow carries L(C) through the minima", () => {
  const points: RunPoint[] = BUDGETS.flatMap((c) => [-3, -2, -1, 0, 1, 2, 3].map((k) => {
    const modelScale = 0.2 * c ** 0.5 * Math.exp(0.45 * k + 0.1);
    return { compute: c, modelScale, tokens: c / modelScale, batchTokens: 1024, learningRate: 1e-3, loss: lossAt(c) + 0.02 * Math.log(modelScale / (0.2 * c ** 0.5)) ** 2, status: "ok" };
  }));
  const a = analyzeIsoflop(points, { resamples: 50 });
  const rows = isoflopBudgets(a);
  assert.equal(rows.length, BUDGETS.length);
  for (const r of rows) {
    assert.equal(r.status, "ok");
    assert.equal(r.runs, 7);
    assert.ok(Math.abs(r.modelScale / (0.2 * r.compute ** 0.5) - 1) < 1e-6, `vertex ${r.modelScale}`);
    // The grid is offset by e^0.1 from M*, so the best run sits next to the vertex, not on it.
    assert.ok(Math.abs(r.bestRunModelScale / (0.2 * r.compute ** 0.5) - Math.exp(0.1)) < 1e-9);
  }
  const curve = lossCurveRow(a);
  assert.ok(curve);
  assert.equal(curve.form, "saturating");
  assert.ok(Math.abs(curve.alpha - 0.2) < 1e-3, `α ${curve.alpha}`);
  assert.ok(Math.abs(curve.E - 2) < 1e-2, `E ${curve.E}`);
  assert.equal(lossCurveRow(null), null);
});
