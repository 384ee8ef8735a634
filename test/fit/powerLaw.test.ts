import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../../lib/util/random";
import { FitError } from "../../lib/util/errors";
import { fitPowerLaw, fitPowerLawGrouped, predictPowerLaw } from "../../lib/fit/powerLaw";
import { powerLawSummary } from "../../lib/fit/summary";

/** Noiseless data must come back to rounding: 1e-9 leaves ~6 orders above double epsilon after logs. */
const NOISELESS_TOL = 1e-9;
/** Spec: mean exponent error over 200 replications below 0.005. */
const MAX_BIAS = 0.005;
/** Spec: 95% intervals cover the truth 90–99% of the time (binomial spread at 200 reps is ±1.5%). */
const COVERAGE = [0.9, 0.99] as const;
const REPLICATIONS = 200;

// DeepSeek LLM Eq. 1: B_opt = 0.2920·C^0.3271 (paper.md §3.1).
const K = 0.292, A = 0.3271;
const logspace = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (n - 1)));

test("fitPowerLaw(x, y) recovers coefficient and exponent on noiseless data", () => {
  const x = logspace(17, 21, 12);
  const fit = fitPowerLaw(x, x.map((v) => K * v ** A), { resamples: 50 });
  assert.ok(Math.abs(fit.params.exponent - A) < NOISELESS_TOL);
  assert.ok(Math.abs(fit.params.coefficient / K - 1) < NOISELESS_TOL);
  assert.ok(Math.abs(fit.r2 - 1) < NOISELESS_TOL);
  assert.equal(fit.status, "ok");
  assert.equal(fit.residuals.length, 12);
  assert.ok(fit.residuals.every((r) => Math.abs(r) < NOISELESS_TOL));
});

test("fitPowerLaw(x, y) is unbiased and its 95% intervals cover the truth under 3% lognormal noise", (t) => {
  const x = logspace(17, 21, 20);
  const sigma = 0.03;
  let errSum = 0, covered = 0, coveredK = 0;
  for (let r = 0; r < REPLICATIONS; r++) {
    const rng = createRng(1000 + r);
    const y = x.map((v) => K * v ** A * Math.exp(sigma * rng.normal()));
    const fit = fitPowerLaw(x, y, { seed: r });
    errSum += fit.params.exponent - A;
    const [lo, hi] = fit.intervals.exponent;
    if (lo <= A && A <= hi) covered++;
    const [klo, khi] = fit.intervals.coefficient;
    if (klo <= K && K <= khi) coveredK++;
  }
  const bias = errSum / REPLICATIONS;
  assert.ok(Math.abs(bias) < MAX_BIAS, `bias ${bias}`);
  const cov = covered / REPLICATIONS, covK = coveredK / REPLICATIONS;
  t.diagnostic(`bias ${bias.toExponential(2)}, exponent coverage ${cov}, coefficient coverage ${covK}`);
  assert.ok(cov >= COVERAGE[0] && cov <= COVERAGE[1], `exponent coverage ${cov}`);
  assert.ok(covK >= COVERAGE[0] && covK <= COVERAGE[1], `coefficient coverage ${covK}`);
});

test("fitPowerLaw(x, y, {seed}) is deterministic per seed and differs across seeds", () => {
  const rng = createRng(7);
  const x = logspace(0, 3, 15);
  const y = x.map((v) => 2 * v ** 0.5 * Math.exp(0.05 * rng.normal()));
  const a = fitPowerLaw(x, y, { seed: 3 }), b = fitPowerLaw(x, y, { seed: 3 }), c = fitPowerLaw(x, y, { seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.intervals, c.intervals);
  assert.equal(a.draws.exponent.length, 1000);
});

test("fitPowerLaw throws FitError naming the field on degenerate input", () => {
  const bad: [number[], number[], RegExp][] = [
    [[1, 2, 3], [1, 2], /x: length 3 differs/],
    [[1], [1], /x: 1 points/],
    [[1, 0, 3], [1, 2, 3], /x\[1\]/],
    [[1, 2, 3], [1, -2, 3], /y\[1\]/],
    [[1, 2, NaN], [1, 2, 3], /x\[2\]/],
    [[5, 5, 5], [1, 2, 3], /x: all values are equal/],
  ];
  for (const [x, y, msg] of bad) assert.throws(() => fitPowerLaw(x, y), (e: unknown) => e instanceof FitError && msg.test(e.message));
  assert.throws(() => fitPowerLaw([1, 2], [1, 2], { confidence: 1.5 }), FitError);
});

test("fitPowerLawGrouped(x, y, groups) resamples within groups only", () => {
  // Duplicated points inside each group: any within-group resample reproduces the data exactly,
  // so every draw equals the point estimate, while a paired bootstrap moves.
  const x = [1e17, 1e17, 1e18, 1e18, 1e19, 1e19];
  const y = [2, 2, 5, 5, 9, 9];
  const grouped = fitPowerLawGrouped(x, y, x, { resamples: 200 });
  assert.ok(grouped.draws.exponent.every((a) => Math.abs(a - grouped.params.exponent) < NOISELESS_TOL));
  const paired = fitPowerLaw(x, y, { resamples: 200 });
  assert.ok(paired.draws.exponent.some((a) => Math.abs(a - paired.params.exponent) > 1e-3));
  assert.throws(() => fitPowerLawGrouped(x, y, [1, 2]), FitError);
});

test("predictPowerLaw(fit, x) returns k·x^a with an interval from the draws", () => {
  const rng = createRng(11);
  const x = logspace(17, 20, 20);
  const fit = fitPowerLaw(x, x.map((v) => K * v ** A * Math.exp(0.03 * rng.normal())), { resamples: 500 });
  const at = 1e22;
  const p = predictPowerLaw(fit, at);
  assert.ok(Math.abs(p.value / (fit.params.coefficient * at ** fit.params.exponent) - 1) < NOISELESS_TOL);
  assert.ok(p.interval[0] < p.value && p.value < p.interval[1]);
  // Extrapolating farther widens the relative interval.
  const near = predictPowerLaw(fit, 1e18);
  assert.ok(p.interval[1] / p.interval[0] > near.interval[1] / near.interval[0]);
  assert.throws(() => predictPowerLaw(fit, -1), FitError);
});

test("powerLawSummary(fit) gives the CLI's {coefficient, exponent, interval, r2, status}", () => {
  const x = logspace(0, 2, 6);
  const fit = fitPowerLaw(x, x.map((v) => 3 * v ** -0.125), { resamples: 10 });
  const s = powerLawSummary(fit);
  assert.deepEqual(Object.keys(s).sort(), ["coefficient", "exponent", "interval", "r2", "status"]);
  assert.deepEqual(Object.keys(s.interval).sort(), ["coefficient", "exponent"]);
  assert.ok(Math.abs(s.exponent + 0.125) < NOISELESS_TOL);
  assert.ok(Math.abs(s.coefficient - 3) < NOISELESS_TOL);
});
