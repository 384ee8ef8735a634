import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../../lib/util/random";
import { FitError } from "../../lib/util/errors";
import { fitLossCurve, predictLossCurve } from "../../lib/fit/lossCurve";

/** Noiseless L(C) must come back to ~1e-9 (L-BFGS runs to its gradient tolerance of 1e-12). */
const NOISELESS_TOL = 1e-9;
/** Spec: mean exponent error over 200 replications below 0.005. */
const MAX_BIAS = 0.005;
/** Spec: 95% intervals cover the truth 90–99% of the time. */
const COVERAGE = [0.9, 0.99] as const;
const REPLICATIONS = 200;
/** Each resample is an L-BFGS refit: 100 (not 200) keeps 200 replications to seconds on 2 shared cores. */
const RESAMPLES_PER_REPLICATION = 100;

// Bits per byte falling from ~2.4 at 1e15 FLOPs to ~1.14 at 1e19.
const TRUE = { E: 0.9, A: 1500, alpha: 0.2 };
const C = Array.from({ length: 20 }, (_, i) => 10 ** (15 + (4 * i) / 19));

test("fitLossCurve(compute, loss) recovers E, A, α on noiseless data", () => {
  const fit = fitLossCurve(C, C.map((c) => predictLossCurve(TRUE, c)), { resamples: 20 });
  assert.ok(Math.abs(fit.params.alpha - TRUE.alpha) < NOISELESS_TOL, `α ${fit.params.alpha}`);
  assert.ok(Math.abs(fit.params.E / TRUE.E - 1) < NOISELESS_TOL, `E ${fit.params.E}`);
  assert.ok(Math.abs(fit.params.A / TRUE.A - 1) < NOISELESS_TOL, `A ${fit.params.A}`);
  assert.equal(fit.status, "ok");
  assert.ok(fit.residuals.every((r) => Math.abs(r) < NOISELESS_TOL));
});

test("fitLossCurve(compute, loss) is unbiased in α and covers it under 0.3% lognormal noise", (t) => {
  let err = 0, cov = 0;
  for (let r = 0; r < REPLICATIONS; r++) {
    const rng = createRng(7000 + r);
    const fit = fitLossCurve(C, C.map((c) => predictLossCurve(TRUE, c) * Math.exp(0.003 * rng.normal())), { seed: r, resamples: RESAMPLES_PER_REPLICATION });
    err += fit.params.alpha - TRUE.alpha;
    const [lo, hi] = fit.intervals.alpha;
    if (lo <= TRUE.alpha && TRUE.alpha <= hi) cov++;
  }
  const bias = err / REPLICATIONS, c = cov / REPLICATIONS;
  t.diagnostic(`alpha: bias ${bias.toExponential(2)}, coverage ${c}`);
  assert.ok(Math.abs(bias) < MAX_BIAS, `bias ${bias}`);
  assert.ok(c >= COVERAGE[0] && c <= COVERAGE[1], `coverage ${c}`);
});

test("fitLossCurve is seeded and throws FitError on degenerate input", () => {
  const rng = createRng(2);
  const loss = C.map((c) => predictLossCurve(TRUE, c) * Math.exp(0.003 * rng.normal()));
  assert.deepEqual(fitLossCurve(C, loss, { seed: 4, resamples: 30 }), fitLossCurve(C, loss, { seed: 4, resamples: 30 }));
  assert.throws(() => fitLossCurve(C, loss.slice(1)), (e: unknown) => e instanceof FitError && /compute: length/.test(e.message));
  assert.throws(() => fitLossCurve([1, 2, 3], [3, 2, 1]), (e: unknown) => e instanceof FitError && /compute: 3 points/.test(e.message));
  assert.throws(() => fitLossCurve(C, loss.map((v, i) => (i === 4 ? 0 : v))), (e: unknown) => e instanceof FitError && /loss\[4\]/.test(e.message));
});

test("fitLossCurve(compute, loss) on a pure power law (no floor) warns that E collapsed to 0 and is not identified", () => {
  // 5 budgets of L = 13·C^−0.06, as the study's en-prose minima nearly are.
  const compute = [3e10, 7e10, 1.7e11, 4.2e11, 1e12];
  const fit = fitLossCurve(compute, compute.map((c) => 13 * c ** -0.06), { resamples: 20 });
  assert.ok(fit.params.E < 1e-3 * 2.3, `E ${fit.params.E}`);
  assert.equal(fit.status, "warning");
  assert.match(fit.warnings.join(" "), /E = .* collapsed to 0/);
});
