import { test } from "node:test";
import assert from "node:assert/strict";
import { FitError } from "../../lib/util/errors";
import { leaveOneOutHyperparams, leaveOneOutIsoflop, leaveOneOutLossCurve } from "../../lib/fit/leaveOneOut";
import { predictLossCurve } from "../../lib/fit/lossCurve";
import type { RunPoint } from "../../lib/fit/types";

/** Exact laws extrapolate exactly; 1e-7 leaves room for nonlinear refits (converged to ~1e-12) amplified by extrapolation. */
const EXACT_TOL = 1e-7;
/** A budget pushed 10 % off the law must show about −10 %/(1.1) ≈ −9.1 % error when held out. */
const SHIFT = 1.1;

const BUDGETS = [1e17, 1e18, 1e19, 1e20, 1e21];

function hyperRuns(shiftAt?: number): RunPoint[] {
  const pts: RunPoint[] = [];
  for (const c of BUDGETS) for (const du of [-1, -0.5, 0, 0.5, 1]) for (const dv of [-1, -0.5, 0, 0.5, 1]) {
    const s = c === shiftAt ? SHIFT : 1;
    pts.push({ compute: c, modelScale: 1e8, tokens: c / 1e8, batchTokens: s * 0.292 * c ** 0.3271 * Math.exp(du), learningRate: 0.3118 * c ** -0.125 * Math.exp(dv), loss: 1 + 0.008 * (du * du + dv * dv), status: "ok" });
  }
  return pts;
}

function isoRuns(shiftAt?: number): RunPoint[] {
  const pts: RunPoint[] = [];
  for (const c of BUDGETS) {
    const mOpt = (c === shiftAt ? SHIFT : 1) * 0.1 * c ** 0.52;
    for (let i = -3; i <= 3; i++) {
      const x = 0.4 * i;
      pts.push({ compute: c, modelScale: mOpt * Math.exp(x), tokens: c / (mOpt * Math.exp(x)), batchTokens: 1, learningRate: 1, loss: 2 + 0.1 * x * x, status: "ok" });
    }
  }
  return pts;
}

test("leaveOneOutHyperparams(points) is exact on an exact law and finds a shifted budget", () => {
  for (const r of leaveOneOutHyperparams(hyperRuns())) {
    assert.ok(Math.abs(r.batch.relativeError) < EXACT_TOL && Math.abs(r.learningRate.relativeError) < EXACT_TOL);
  }
  const shifted = leaveOneOutHyperparams(hyperRuns(1e19)).find((r) => r.compute === 1e19)!;
  assert.ok(Math.abs(shifted.batch.relativeError - (1 / SHIFT - 1)) < EXACT_TOL, `${shifted.batch.relativeError}`);
  assert.ok(Math.abs(shifted.learningRate.relativeError) < EXACT_TOL);
});

test("leaveOneOutIsoflop(points) is exact on an exact law and finds a shifted budget", () => {
  const rows = leaveOneOutIsoflop(isoRuns());
  assert.equal(rows.length, BUDGETS.length);
  for (const r of rows) assert.ok(Math.abs(r.modelScale.relativeError) < EXACT_TOL && Math.abs(r.tokens.relativeError) < EXACT_TOL);
  const shifted = leaveOneOutIsoflop(isoRuns(1e20)).find((r) => r.compute === 1e20)!;
  assert.ok(Math.abs(shifted.modelScale.relativeError - (1 / SHIFT - 1)) < EXACT_TOL);
  assert.ok(Math.abs(shifted.tokens.relativeError - (SHIFT - 1)) < EXACT_TOL);
});

test("leaveOneOutLossCurve(compute, loss) is near-exact on an exact curve", () => {
  const p = { E: 0.9, A: 1500, alpha: 0.2 };
  const C = Array.from({ length: 9 }, (_, i) => 10 ** (15 + i / 2));
  const rows = leaveOneOutLossCurve(C, C.map((c) => predictLossCurve(p, c)));
  assert.equal(rows.length, 9);
  for (const r of rows) assert.ok(Math.abs(r.loss.relativeError) < EXACT_TOL, `${r.compute}: ${r.loss.relativeError}`);
});

test("leave-one-out throws FitError with fewer than 3 budgets", () => {
  assert.throws(() => leaveOneOutLossCurve([1, 1, 2, 2], [3, 3, 2, 2]), (e: unknown) => e instanceof FitError && /compute: 2 budgets/.test(e.message));
  assert.throws(() => leaveOneOutIsoflop(isoRuns().filter((p) => p.compute <= 1e18)), FitError);
});
