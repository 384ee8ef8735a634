import assert from "node:assert/strict";
import { test } from "node:test";
import { polishLeastSquares } from "../../lib/fit/lmPolish";
import { fitLossCurve } from "../../lib/fit/lossCurve";

/** Noiseless data: the polished optimum must reproduce the generating parameters to this relative error. */
const NOISELESS_RTOL = 1e-6;

test("polishLeastSquares(model, x, y, start) recovers a saturating power law in log space from a perturbed start", () => {
  const truth = { E: 1.7, A: 400, alpha: 0.34 };
  const x = Array.from({ length: 12 }, (_, i) => 1e6 * 2 ** i);
  const lnY = x.map((v) => Math.log(truth.E + truth.A * v ** -truth.alpha));
  const model = ([e, a, al]: number[]) => (v: number) => Math.log(Math.exp(e!) + Math.exp(a! - al! * Math.log(v)));
  const got = polishLeastSquares(model, x, lnY, [Math.log(1.5), Math.log(300), 0.3]);
  assert.ok(got, "LM returned a result");
  const [e, a, al] = got.params as [number, number, number];
  assert.ok(Math.abs(Math.exp(e) / truth.E - 1) < NOISELESS_RTOL, `E ${Math.exp(e)}`);
  assert.ok(Math.abs(Math.exp(a) / truth.A - 1) < NOISELESS_RTOL, `A ${Math.exp(a)}`);
  assert.ok(Math.abs(al / truth.alpha - 1) < NOISELESS_RTOL, `alpha ${al}`);
  assert.ok(got.sse < 1e-20);
});

test("polishLeastSquares returns undefined instead of throwing when the model overflows", () => {
  const x = [1, 2, 3, 4];
  const got = polishLeastSquares(([a]) => (v) => Math.exp(a! * 1e6 * v), x, [1, 2, 3, 4], [1]);
  assert.equal(got, undefined);
});

test("fitLossCurve on noiseless data ends at an optimum (status ok) after the LM polish", () => {
  const C = [1e17, 3e17, 1e18, 3e18, 1e19, 3e19, 1e20, 3e20];
  const L = C.map((c) => 0.6 + 45 * c ** -0.09);
  const fit = fitLossCurve(C, L, { resamples: 20 });
  assert.equal(fit.status, "ok", fit.warnings.join("; "));
  assert.ok(Math.abs(fit.params.alpha / 0.09 - 1) < NOISELESS_RTOL);
});
