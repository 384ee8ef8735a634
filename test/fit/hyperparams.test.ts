import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../../lib/util/random";
import { FitError } from "../../lib/util/errors";
import { budgetOptimum, fitHyperparams } from "../../lib/fit/hyperparams";
import type { RunPoint } from "../../lib/fit/types";

/** Exact quadratic surfaces and symmetric clouds must come back to rounding. */
const NOISELESS_TOL = 1e-9;
/** Spec: mean exponent error over 200 replications below 0.005. */
const MAX_BIAS = 0.005;
/** Spec: 95% intervals cover the truth 90–99% of the time. */
const COVERAGE = [0.9, 0.99] as const;
const REPLICATIONS = 200;
/** Fewer than the default 1000 resamples: 200 replications × 2 laws must stay a few seconds on 2 shared cores. */
const RESAMPLES_PER_REPLICATION = 200;

// DeepSeek LLM Eq. 1 (paper.md §3.1): η_opt = 0.3118·C^−0.1250, B_opt = 0.2920·C^0.3271.
const ETA = { k: 0.3118, a: -0.125 }, BATCH = { k: 0.292, a: 0.3271 };
const BUDGETS = [1e17, 3e17, 1e18, 3e18, 1e19, 3e19, 1e20, 3e20];
/** Loss bowl: L = L0·(1 + κ·(Δln B² + Δln η²)), the same shape at every budget. */
const L0 = 1.2;

const run = (compute: number, du: number, dv: number, kappa: number, noise: number): RunPoint => {
  const batchTokens = BATCH.k * compute ** BATCH.a * Math.exp(du);
  const learningRate = ETA.k * compute ** ETA.a * Math.exp(dv);
  return { compute, modelScale: 1e8, tokens: compute / 1e8, batchTokens, learningRate, loss: L0 * (1 + kappa * (du * du + dv * dv)) * Math.exp(noise), status: "ok" };
};

test("fitHyperparams(points) recovers B_opt(C), η_opt(C) and each budget's optimum on a noiseless grid", () => {
  const pts: RunPoint[] = [];
  const steps = [-1, -0.5, 0, 0.5, 1];
  // κ = 0.008: only the centre and its four ±0.5 neighbours lie within 0.25 %, a symmetric cloud.
  for (const c of BUDGETS) for (const du of steps) for (const dv of steps) pts.push(run(c, du, dv, 0.008, 0));
  const fit = fitHyperparams(pts, { resamples: 100 });
  assert.equal(fit.nearOptimal.kept.length, 5 * BUDGETS.length);
  assert.ok(Math.abs(fit.batch.params.exponent - BATCH.a) < NOISELESS_TOL);
  assert.ok(Math.abs(fit.batch.params.coefficient / BATCH.k - 1) < NOISELESS_TOL);
  assert.ok(Math.abs(fit.learningRate.params.exponent - ETA.a) < NOISELESS_TOL);
  assert.ok(Math.abs(fit.learningRate.params.coefficient / ETA.k - 1) < NOISELESS_TOL);
  assert.equal(fit.perBudget.length, BUDGETS.length);
  for (const b of fit.perBudget) {
    assert.equal(b.status, "ok");
    assert.ok(Math.abs(b.batchTokens / (BATCH.k * b.compute ** BATCH.a) - 1) < NOISELESS_TOL);
    assert.ok(Math.abs(b.learningRate / (ETA.k * b.compute ** ETA.a) - 1) < NOISELESS_TOL);
  }
  assert.equal(fit.status, "ok");
});

test("fitHyperparams(points) is unbiased and covers the true exponents on noisy random-search clouds", (t) => {
  let errB = 0, errEta = 0, covB = 0, covEta = 0;
  for (let r = 0; r < REPLICATIONS; r++) {
    const rng = createRng(5000 + r);
    const pts: RunPoint[] = [];
    // 60 random-search runs per budget, ±1.5 in ln B and ln η around the optimum, 0.1 % loss noise.
    for (const c of BUDGETS) for (let i = 0; i < 60; i++) pts.push(run(c, 3 * rng.next() - 1.5, 3 * rng.next() - 1.5, 0.005, 0.001 * rng.normal()));
    const fit = fitHyperparams(pts, { seed: r, resamples: RESAMPLES_PER_REPLICATION });
    errB += fit.batch.params.exponent - BATCH.a;
    errEta += fit.learningRate.params.exponent - ETA.a;
    const inB = fit.batch.intervals.exponent, inEta = fit.learningRate.intervals.exponent;
    if (inB[0] <= BATCH.a && BATCH.a <= inB[1]) covB++;
    if (inEta[0] <= ETA.a && ETA.a <= inEta[1]) covEta++;
  }
  const [biasB, biasEta, cB, cEta] = [errB / REPLICATIONS, errEta / REPLICATIONS, covB / REPLICATIONS, covEta / REPLICATIONS];
  t.diagnostic(`batch: bias ${biasB.toExponential(2)}, coverage ${cB}; learningRate: bias ${biasEta.toExponential(2)}, coverage ${cEta}`);
  assert.ok(Math.abs(biasB) < MAX_BIAS && Math.abs(biasEta) < MAX_BIAS, `biases ${biasB}, ${biasEta}`);
  assert.ok(cB >= COVERAGE[0] && cB <= COVERAGE[1], `batch coverage ${cB}`);
  assert.ok(cEta >= COVERAGE[0] && cEta <= COVERAGE[1], `learningRate coverage ${cEta}`);
});

test("fitHyperparams(points, {seed}) is deterministic", () => {
  const rng = createRng(1);
  const pts = BUDGETS.flatMap((c) => Array.from({ length: 30 }, () => run(c, 2 * rng.next() - 1, 2 * rng.next() - 1, 0.005, 0.001 * rng.normal())));
  assert.deepEqual(fitHyperparams(pts, { seed: 9, resamples: 100 }), fitHyperparams(pts, { seed: 9, resamples: 100 }));
});

test("budgetOptimum(compute, runs) flags too few points, non-convex surfaces and outside-range vertices", () => {
  const c = 1e18;
  assert.equal(budgetOptimum(c, [run(c, 0, 0, 0.01, 0), run(c, 1, 0, 0.01, 0)]).status, "too-few-points");
  const grid = (f: (du: number, dv: number) => number): RunPoint[] =>
    [-1, 0, 1].flatMap((du) => [-1, 0, 1].map((dv) => ({ ...run(c, du, dv, 0, 0), loss: f(du, dv) })));
  assert.equal(budgetOptimum(c, grid((du, dv) => 2 - du * du - dv * dv)).status, "not-convex");
  const shifted = budgetOptimum(c, grid((du, dv) => 2 + (du - 3) ** 2 + dv * dv));
  assert.equal(shifted.status, "outside-range");
  assert.ok(Math.abs(Math.log(shifted.batchTokens / (BATCH.k * c ** BATCH.a)) - 3) < NOISELESS_TOL);
});

test("fitHyperparams throws FitError on a single budget or a non-positive batch size", () => {
  const one = [run(1e18, 0, 0, 0.01, 0), run(1e18, 0.1, 0, 0.01, 0)];
  assert.throws(() => fitHyperparams(one), (e: unknown) => e instanceof FitError && /span 1 budget/.test(e.message));
  const bad = [run(1e18, 0, 0, 0.01, 0), { ...run(1e19, 0, 0, 0.01, 0), batchTokens: 0 }];
  assert.throws(() => fitHyperparams(bad), (e: unknown) => e instanceof FitError && /points\[1\]\.batchTokens/.test(e.message));
});

test("fitHyperparams(points) leaves failed runs out and says so", () => {
  const pts = BUDGETS.slice(0, 3).flatMap((c) => [-1, 0, 1].flatMap((du) => [-1, 0, 1].map((dv) => run(c, du, dv, 0.01, 0))));
  const failed = { ...run(1e18, 0.2, 0.2, 0, 0), loss: 0.1, status: "diverged" };
  const fit = fitHyperparams([...pts, failed], { resamples: 20 });
  assert.ok(fit.nearOptimal.dropped.some((d) => d.point === failed));
  assert.ok(!fit.nearOptimal.kept.includes(failed));
  assert.ok(fit.notes.some((w) => /status ≠ ok/.test(w)), "a note: failed runs do not bear on the laws");
});
