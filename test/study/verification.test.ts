import assert from "node:assert/strict";
import { test } from "node:test";
import type { LossCurveAnalysis } from "../../lib/analysis/isoflop";
import type { RunPoint } from "../../lib/fit/types";
import { lossInterval, verifyHeldOut } from "../../lib/study/verification";

/**
 * A constructed held-out budget with known answers: the laws predict B = 1000, η = 0.01, M = 1e5 at
 * C = 1e12; the grid's loss is a bowl whose minimum sits at (1000, 0.01) or off it, the M profile an
 * exact parabola in ln M whose vertex sits at 1e5 or 8× away, so every boolean is known in advance.
 */
const C = 1e12;
const laws = {
  batch: { coefficient: 1000 / C ** 0.3, exponent: 0.3 },
  learningRate: { coefficient: 0.01 / C ** -0.1, exponent: -0.1 },
  modelScale: { coefficient: 1e5 / C ** 0.5, exponent: 0.5 },
  tokens: { coefficient: 1e7 / C ** 0.5, exponent: 0.5 },
};
/** Relative tolerance of values computed through pow/exp/log round trips. */
const FLOAT_TOLERANCE = 1e-9;
const FACTORS = [0.5, 0.71, 1, 1.41, 2];

function grid(bestB: number, bestLr: number, curvature: number): RunPoint[] {
  return FACTORS.flatMap((fb) =>
    FACTORS.map((fl) => {
      const du = Math.log((1000 * fb) / bestB), dv = Math.log((0.01 * fl) / bestLr);
      return { compute: C, modelScale: 1e5, tokens: 1e7, batchTokens: 1000 * fb, learningRate: 0.01 * fl, loss: 1.2 * (1 + curvature * (du * du + dv * dv)), status: "ok", key: `g-${fb}-${fl}` };
    }),
  );
}

function profile(vertexM: number, curvature: number, minLoss: number): RunPoint[] {
  return [1 / 4, 1 / 2, 1, 2, 4].map((f) => {
    const m = 1e5 * f, x = Math.log(m / vertexM);
    return { compute: C, modelScale: m, tokens: C / m, batchTokens: 1000, learningRate: 0.01, loss: minLoss + curvature * x * x, status: "ok", key: `m-${f}` };
  });
}

const curve = (E: number, A: number, alpha: number, width: number): LossCurveAnalysis => ({
  form: "saturating",
  points: [],
  params: { E, A, alpha },
  intervals: { E: [E - width, E + width], A: [A, A], alpha: [alpha, alpha] },
  status: "ok",
  warnings: [],
  method: "constructed",
});

const base = { heldOutCompute: C, laws, lawSources: { batch: "fitted", learningRate: "fitted", modelScale: "fitted", tokens: "fitted" }, fittedBudgets: { isoflop: [1e10, 1e11] } };

test("verifyHeldOut(input) finds a prediction at the optimum inside every band and the loss inside its interval", () => {
  // L(C) = 1 + 0.2·(C/1e12)^… arranged so L(1e12) = 1.2 exactly, interval ±0.01 from E.
  const lossCurve = curve(1, 0.2 * C ** 0.1, 0.1, 0.01);
  const v = verifyHeldOut({ ...base, lossCurve, gridPoints: grid(1000, 0.01, 0.02), scalePoints: profile(1e5, 0.03, 1.2) });
  assert.ok(Math.abs(v.predicted.batchTokens! / 1000 - 1) < FLOAT_TOLERANCE);
  assert.equal(v.hyperparams?.predictedRun.nearOptimal, true);
  assert.equal(v.hyperparams?.insideBand, true);
  assert.equal(v.hyperparams?.predictedRun.excess, 0);
  assert.equal(v.modelScale?.predictedRun.nearOptimal, true);
  assert.equal(v.modelScale?.insideRegion, true);
  assert.equal(v.modelScale?.parabola?.predictedInside, true);
  // Parabola region: 0.03·x² ≤ 1.2·0.0025 ⇔ |x| ≤ 0.3162, so M ∈ 1e5·e^±0.3162.
  const [lo, hi] = v.modelScale!.parabola!.region;
  assert.ok(Math.abs(lo / (1e5 * Math.exp(-Math.sqrt(0.1))) - 1) < FLOAT_TOLERANCE && Math.abs(hi / (1e5 * Math.exp(Math.sqrt(0.1))) - 1) < FLOAT_TOLERANCE);
  assert.equal(v.loss?.measuredSource, "vertex");
  assert.ok(Math.abs(v.loss!.relativeError) < FLOAT_TOLERANCE, `relative error ${v.loss!.relativeError}`);
  assert.equal(v.loss?.insideInterval, true);
  assert.equal(v.loss?.intervalMethod, "parameter-box");
  assert.deepEqual(v.notes, []);
});

test("verifyHeldOut(input) flags a prediction 4× off the (B, η) optimum, 8× off the M vertex, and a loss outside its interval", () => {
  const lossCurve = curve(1.1, 0.2 * C ** 0.1, 0.1, 0.01); // predicts 1.3 ± 0.01, measured 1.2
  const v = verifyHeldOut({ ...base, lossCurve, gridPoints: grid(2000, 0.02, 0.02), scalePoints: profile(8e5, 0.03, 1.2) });
  assert.equal(v.hyperparams?.predictedRun.nearOptimal, false);
  assert.equal(v.hyperparams?.insideBand, false);
  // The grid's best run is its (2000, 0.02) corner; its near-optimal band holds only runs next to it.
  assert.deepEqual(v.hyperparams?.band.batchTokens[1], 2000);
  assert.equal(v.modelScale?.predictedRun.nearOptimal, false);
  assert.equal(v.modelScale?.insideRegion, false);
  // The vertex at 8e5 lies outside the sampled 2.5e4–4e5, so the parabola check is reported as unavailable.
  assert.equal(v.modelScale?.parabola, null);
  assert.ok(v.notes.some((n) => /outside-range/.test(n)));
  assert.equal(v.loss?.measuredSource, "best-run");
  assert.ok(Math.abs(v.loss!.predicted - 1.3) < FLOAT_TOLERANCE);
  assert.equal(v.loss?.insideInterval, false);
});

test("verifyHeldOut(input) with no held-out runs and no L(C) says what it could not check", () => {
  const v = verifyHeldOut({ ...base, lossCurve: null, gridPoints: [], scalePoints: [] });
  assert.equal(v.hyperparams, null);
  assert.equal(v.modelScale, null);
  assert.equal(v.loss, null);
  assert.equal(v.notes.length, 3);
});

test("lossInterval(curve, C) prefers bootstrap draws of the power form over the parameter box", () => {
  const c = { ...curve(0, 2, 0.1, 0), form: "power" as const, draws: { coefficient: [1.9, 2, 2.1], exponent: [-0.1, -0.1, -0.1] } };
  const p = lossInterval(c, 1e10);
  assert.equal(p.method, "bootstrap");
  assert.ok(p.interval![0] < p.value && p.value < p.interval![1]);
});
