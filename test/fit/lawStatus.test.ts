import assert from "node:assert/strict";
import { test } from "node:test";
import { fitHyperparams } from "../../lib/fit/hyperparams";
import { predictPowerLaw } from "../../lib/fit/powerLaw";
import type { RunPoint } from "../../lib/fit/types";

/** A law's status from its own quality, one line per reason naming the law; cross-checks are notes. */

/** 5 × 5 grid per budget with its optimum at (B*, η*) and loss rising 2% per ln² (3 cells near-optimal on each axis). */
function grid(budgets: readonly { c: number; b: number; eta: number }[]): RunPoint[] {
  return budgets.flatMap(({ c, b, eta }) =>
    [-2, -1, 0, 1, 2].flatMap((i) =>
      [-2, -1, 0, 1, 2].map((j) => {
        const lb = Math.log(b) + 0.3 * i, le = Math.log(eta) + 0.3 * j;
        return { compute: c, modelScale: 1e8, tokens: c / 1e8, batchTokens: Math.exp(lb), learningRate: Math.exp(le), loss: 2 * (1 + 0.02 * ((0.3 * i) ** 2 + (0.3 * j) ** 2)), status: "ok" };
      }),
    ),
  );
}

test("a law whose budgets show no trend is a warning naming the law and each reason; its sibling stays ok", () => {
  // B follows C^0.33 exactly; η zig-zags by ±40% with no trend in C.
  const budgets = [1e17, 1e18, 1e19, 1e20, 1e21].map((c, k) => ({ c, b: 0.3 * c ** 0.33, eta: 1e-3 * Math.exp(k % 2 === 0 ? 0.35 : -0.35) }));
  const fit = fitHyperparams(grid(budgets), { resamples: 400 });
  assert.equal(fit.batch.status, "ok", fit.batch.warnings.join("; "));
  assert.equal(fit.learningRate.status, "warning");
  assert.equal(fit.status, "warning");
  const eta = fit.warnings.filter((w) => w.startsWith("learningRate: "));
  assert.ok(eta.some((w) => /R² = 0\.0\d+, the law explains \d+% of the variance of ln y over the budgets' optima/.test(w)), eta.join("; "));
  assert.ok(eta.some((w) => /exponent's interval .* spans 0/.test(w)), eta.join("; "));
  assert.ok(eta.some((w) => /budgets scatter about the law by sd/.test(w)), eta.join("; "));
  assert.ok(fit.warnings.every((w) => !/\n/.test(w)));
  assert.ok(!fit.warnings.some((w) => w.startsWith("batch: ")), "batch has no reason");
});

test("the quadratic cross-check is a note, not the laws' status", () => {
  // A slope in ln B puts each surface's vertex at ln offset 0.1/0.08 = 1.25, beyond the grid's ±0.6.
  const budgets = [1e17, 1e18, 1e19].map((c) => ({ c, b: 0.3 * c ** 0.33, eta: 1e-3 * c ** -0.1 }));
  const runs = grid(budgets).map((p) => ({ ...p, loss: p.loss - 0.1 * Math.log(p.batchTokens / (0.3 * p.compute ** 0.33)) }));
  const fit = fitHyperparams(runs, { resamples: 200 });
  assert.ok(fit.perBudget.every((b) => b.status === "outside-range"));
  assert.equal(fit.notes.filter((n) => /quadratic cross-check outside-range/.test(n)).length, 3);
  assert.ok(!fit.warnings.some((w) => /quadratic/.test(w)));
});

test("with 2 budgets the fit says the scatter cannot be estimated, and predictions have no prediction interval", () => {
  const fit = fitHyperparams(grid([1e18, 1e19].map((c) => ({ c, b: 0.3 * c ** 0.33, eta: 1e-3 }))), { resamples: 100 });
  assert.equal(fit.batch.scatter, null);
  assert.ok(fit.warnings.some((w) => /^batch: 2 budgets: their scatter about the law cannot be estimated .* no prediction interval/.test(w)), fit.warnings.join("; "));
  assert.equal(predictPowerLaw(fit.batch, 1e20).prediction, null);
});
