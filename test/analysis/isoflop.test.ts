import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeIsoflop, fitLossPoints, isoflopJson, predictLoss } from "../../lib/analysis/isoflop";
import { isoflopRuns, lossAt, TRUE_LAWS, TRUE_LOSS } from "./synthetic";

/** Exact parabolas: vertices equal the truth up to float rounding in ln M. */
const EXACT = 1e-9;
/** L(C) is a 3-parameter nonlinear least-squares fit on 5 noiseless points (L-BFGS stopping tolerance). */
const LOSS_CURVE_REL = 1e-3;
/** Coefficients and held-out predictions go through exp() of log-log fits: a few ulps of ln C ≈ 40. */
const LOG_FIT_REL = 1e-6;

test("analyzeIsoflop(points) recovers M_opt = 0.1715·C^0.5243 and D_opt exponent 1 − a on noiseless parabolas", () => {
  const a = analyzeIsoflop(isoflopRuns(), { resamples: 50 });
  assert.ok(a.fit, a.error);
  assert.ok(Math.abs(a.fit.modelScale.params.exponent - TRUE_LAWS.modelScale.exponent) < EXACT);
  assert.ok(Math.abs(a.fit.tokens.params.exponent - (1 - TRUE_LAWS.modelScale.exponent)) < EXACT);
  assert.ok(Math.abs(a.fit.modelScale.params.coefficient / TRUE_LAWS.modelScale.coefficient - 1) < LOG_FIT_REL);
  assert.deepEqual(a.fit.budgets.map((b) => b.status), ["ok", "ok", "ok", "ok", "ok"]);
});

test("analyzeIsoflop(points) fits the saturating L(C) = E + A·C^−α through 5 budget minima", () => {
  const a = analyzeIsoflop(isoflopRuns(), { resamples: 20 });
  assert.equal(a.lossCurve?.form, "saturating");
  assert.ok(a.lossCurve!.points.every((p) => p.source === "vertex"));
  for (const p of a.lossCurve!.points) assert.ok(Math.abs(p.loss - lossAt(p.compute)) < EXACT);
  const { E, alpha } = a.lossCurve!.params;
  assert.ok(Math.abs(E / TRUE_LOSS.E - 1) < LOSS_CURVE_REL, `E ${E}`);
  assert.ok(Math.abs(alpha / TRUE_LOSS.alpha - 1) < LOSS_CURVE_REL, `α ${alpha}`);
  assert.ok(Math.abs(predictLoss(a.lossCurve!, 1e21).value / lossAt(1e21) - 1) < LOSS_CURVE_REL);
});

test("analyzeIsoflop(points) holds out each budget and predicts its M_opt with ~0 error", () => {
  const a = analyzeIsoflop(isoflopRuns(), { resamples: 0 });
  assert.equal(a.leaveOneOut?.length, 5);
  for (const h of a.leaveOneOut!) assert.ok(Math.abs(h.modelScale.relativeError) < LOG_FIT_REL);
});

test("fitLossPoints(points) with 3 budgets falls back to a pure power law and says so", () => {
  const pts = [1e17, 1e18, 1e19].map((c) => ({ compute: c, loss: 5 * c ** -0.05, source: "vertex" as const }));
  const curve = fitLossPoints(pts, { resamples: 30 });
  assert.equal(curve.form, "power");
  assert.equal(curve.status, "warning");
  assert.match(curve.warnings.join(" "), /pure power law/);
  assert.ok(Math.abs(curve.params.alpha - 0.05) < EXACT);
  assert.ok(Math.abs(curve.params.A / 5 - 1) < LOG_FIT_REL);
  const p = predictLoss(curve, 1e23);
  assert.ok(p.interval && p.interval[0] <= p.value && p.value <= p.interval[1]);
});

test("analyzeIsoflop(points) with one budget returns no fit, no L(C), and the reasons", () => {
  const a = analyzeIsoflop(isoflopRuns([1e18]), { resamples: 0 });
  assert.equal(a.fit, null);
  assert.match(a.error ?? "", /budget\(s\)/);
  assert.equal(a.lossCurve, null);
  assert.match(a.lossCurveNote ?? "", /needs ≥ 2/);
  const j = isoflopJson(a);
  assert.equal(j.status, "not-fitted");
  assert.equal(j.keys.length, 7);
});

test("fitLossPoints(points) with 5 budgets and no floor (E collapses) fits the pure power law instead, with draws for intervals", () => {
  const pts = [3e10, 7e10, 1.7e11, 4.2e11, 1e12].map((c) => ({ compute: c, loss: 13 * c ** -0.06, source: "vertex" as const }));
  const curve = fitLossPoints(pts, { resamples: 30 });
  assert.equal(curve.form, "power");
  assert.match(curve.warnings.join(" "), /put E at .* ≈ 0 .*pure power law/);
  assert.ok(Math.abs(curve.params.alpha - 0.06) < EXACT, `α ${curve.params.alpha}`);
  assert.ok(Math.abs(curve.params.A / 13 - 1) < LOG_FIT_REL);
  assert.ok(curve.draws && curve.draws.coefficient.length > 0, "bootstrap draws give the prediction interval");
  // A floor in the data keeps the saturating form.
  assert.equal(fitLossPoints(pts.map((p) => ({ ...p, loss: 1.5 + p.loss })), { resamples: 30 }).form, "saturating");
});
