import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../../lib/util/random";
import { FitError } from "../../lib/util/errors";
import { fitIsoflop, fitIsoflopBudget } from "../../lib/fit/isoflop";
import type { RunPoint } from "../../lib/fit/types";

/** Noiseless profiles sampled symmetrically around the optimum come back to rounding. */
const NOISELESS_TOL = 1e-9;
/** Spec: mean exponent error over 200 replications below 0.005. */
const MAX_BIAS = 0.005;
/** Spec: 95% intervals cover the truth 90–99% of the time. */
const COVERAGE = [0.9, 0.99] as const;
const REPLICATIONS = 200;
/** Each draw refits 8 parabolas: 200 (not 1000) resamples keep 200 replications to seconds on 2 shared cores. */
const RESAMPLES_PER_REPLICATION = 200;

// Epoch's refit of Chinchilla (paper.md §7.3), with M = 6N so C = M·D = 6ND.
const E = 1.8172, A = 482.01, B = 2085.43, ALPHA = 0.3478, BETA = 0.3658;
/** Chinchilla Eq. 4: N_opt ∝ C^(β/(α+β)), hence M_opt = 6·N_opt has the same exponent, D_opt the rest. */
const M_EXPONENT = BETA / (ALPHA + BETA);
const G = ((ALPHA * A) / (BETA * B)) ** (1 / (ALPHA + BETA));
const BUDGETS = [1e17, 3e17, 1e18, 3e18, 1e19, 3e19, 1e20, 3e20];

/** `perBudget` runs per budget at ln N offsets evenly spread over ±`halfWidth` around the true optimum (+`shift`). */
function isoflopRuns(perBudget: number, halfWidth: number, noise: (i: number) => number, shift = 0): RunPoint[] {
  const pts: RunPoint[] = [];
  for (const C of BUDGETS) {
    const nOpt = G * (C / 6) ** M_EXPONENT;
    for (let i = 0; i < perBudget; i++) {
      const N = nOpt * Math.exp(shift - halfWidth + (2 * halfWidth * i) / (perBudget - 1));
      const D = C / (6 * N);
      const loss = (E + A / N ** ALPHA + B / D ** BETA) * Math.exp(noise(pts.length));
      pts.push({ compute: C, modelScale: 6 * N, tokens: D, batchTokens: 1e5, learningRate: 1e-3, loss, status: "ok" });
    }
  }
  return pts;
}

test("fitIsoflop(points) recovers the analytic M_opt(C) and D_opt(C) exponents on noiseless data", () => {
  // The profile has the same shape at every budget (only scaled), so the parabola's vertex sits at a
  // constant offset from the truth and the exponents are exact even though a parabola is an approximation.
  const fit = fitIsoflop(isoflopRuns(9, 1.2, () => 0), { resamples: 50 });
  assert.ok(Math.abs(fit.modelScale.params.exponent - M_EXPONENT) < NOISELESS_TOL);
  assert.ok(Math.abs(fit.tokens.params.exponent - (1 - M_EXPONENT)) < NOISELESS_TOL);
  assert.equal(fit.budgets.length, BUDGETS.length);
  for (const b of fit.budgets) {
    assert.equal(b.status, "ok");
    assert.ok(Math.abs(b.modelScale * b.tokens - b.compute) / b.compute < NOISELESS_TOL);
    // A symmetric grid around the optimum puts the vertex within a few percent of the true M_opt.
    assert.ok(Math.abs(Math.log(b.modelScale / (6 * G * (b.compute / 6) ** M_EXPONENT))) < 0.05);
  }
  assert.equal(fit.status, "ok");
});

test("fitIsoflop(points) is unbiased and covers the true M_opt exponent under 0.2% loss noise", (t) => {
  let err = 0, covM = 0, covD = 0;
  for (let r = 0; r < REPLICATIONS; r++) {
    const rng = createRng(9000 + r);
    const fit = fitIsoflop(isoflopRuns(15, 1.2, () => 0.002 * rng.normal()), { seed: r, resamples: RESAMPLES_PER_REPLICATION });
    err += fit.modelScale.params.exponent - M_EXPONENT;
    const m = fit.modelScale.intervals.exponent, d = fit.tokens.intervals.exponent;
    if (m[0] <= M_EXPONENT && M_EXPONENT <= m[1]) covM++;
    if (d[0] <= 1 - M_EXPONENT && 1 - M_EXPONENT <= d[1]) covD++;
  }
  const bias = err / REPLICATIONS, cM = covM / REPLICATIONS, cD = covD / REPLICATIONS;
  t.diagnostic(`modelScale: bias ${bias.toExponential(2)}, coverage ${cM}; tokens coverage ${cD}`);
  assert.ok(Math.abs(bias) < MAX_BIAS, `bias ${bias}`);
  assert.ok(cM >= COVERAGE[0] && cM <= COVERAGE[1], `modelScale coverage ${cM}`);
  assert.ok(cD >= COVERAGE[0] && cD <= COVERAGE[1], `tokens coverage ${cD}`);
});

test("fitIsoflop(points, {seed}) is deterministic and pairs the two laws' draws", () => {
  const rng = createRng(3);
  const pts = isoflopRuns(9, 1.2, () => 0.003 * rng.normal());
  const a = fitIsoflop(pts, { seed: 5, resamples: 100 });
  assert.deepEqual(a, fitIsoflop(pts, { seed: 5, resamples: 100 }));
  // D = C/M in every draw, so the exponents of each draw sum to exactly 1.
  a.modelScale.draws.exponent.forEach((e, i) => assert.ok(Math.abs(e + a.tokens.draws.exponent[i]! - 1) < NOISELESS_TOL));
});

test("fitIsoflopBudget flags outside-range, not-convex and too-few-points budgets", () => {
  const C = 1e19;
  const at = (lnM: number, loss: number): RunPoint => ({ compute: C, modelScale: Math.exp(lnM), tokens: C / Math.exp(lnM), batchTokens: 1, learningRate: 1, loss, status: "ok" });
  const rising = fitIsoflopBudget(C, [20, 20.5, 21, 21.5].map((x) => at(x, 2 + 0.1 * (x - 19) ** 2)));
  assert.equal(rising.status, "outside-range");
  assert.ok(Math.abs(Math.log(rising.modelScale) - 19) < NOISELESS_TOL);
  const concave = fitIsoflopBudget(C, [20, 20.5, 21, 21.5].map((x) => at(x, 2 - 0.1 * (x - 20.7) ** 2)));
  assert.equal(concave.status, "not-convex");
  assert.equal(concave.modelScale, Math.exp(21.5)); // the lowest-loss run: farthest from the concave peak
  const two = fitIsoflopBudget(C, [at(20, 2), at(21, 1.9)]);
  assert.equal(two.status, "too-few-points");
  assert.equal(two.parabola, null);
  assert.equal(two.modelScale, Math.exp(21));
});

test("fitIsoflop(points) reports bad budgets, keeps them out of the laws, and throws below 2 good ones", () => {
  const pts = isoflopRuns(7, 1.2, () => 0);
  const lopsided = isoflopRuns(7, 0.6, () => 0, 2.5).filter((p) => p.compute === 1e17);
  const mixed = [...pts.filter((p) => p.compute !== 1e17), ...lopsided];
  const fit = fitIsoflop(mixed, { resamples: 20 });
  assert.equal(fit.budgets[0]!.status, "outside-range");
  assert.equal(fit.modelScale.n, BUDGETS.length - 1);
  assert.equal(fit.status, "warning");
  assert.ok(Math.abs(fit.modelScale.params.exponent - M_EXPONENT) < NOISELESS_TOL);
  const only = pts.filter((p) => p.compute === 1e18);
  assert.throws(() => fitIsoflop(only), (e: unknown) => e instanceof FitError && /points: 1 budget/.test(e.message));
  assert.throws(() => fitIsoflop([{ ...pts[0]!, modelScale: -1 }, ...pts]), (e: unknown) => e instanceof FitError && /points\[0\]\.modelScale/.test(e.message));
});
