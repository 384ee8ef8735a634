import assert from "node:assert/strict";
import { test } from "node:test";
import { fitHyperparams } from "../../lib/fit/hyperparams";
import { olsLogLinear } from "../../lib/fit/ndForms";
import type { RunPoint } from "../../lib/fit/types";

/** Step Law's (N, D) forms beside the C laws, chosen by leave-one-budget-out error; budgets mixing models named. */

/** Step Law's exponents (arXiv 2503.04715): η = 1.79·N^−0.713·D^0.307, B = 0.58·D^0.571, with N read as M here. */
const STEP = { eta: { k: 1.79, a: -0.713, b: 0.307 }, batch: { k: 0.58, c: 0.571 } };
/** Noiseless cloud centred on the truth: only float error remains. */
const EXACT_TOL = 1e-6;

/** Budgets each train 3 models (M ×1/2, ×1, ×2); every (budget, model) has a 3 × 3 grid centred on Step Law's optimum. */
function runs(): RunPoint[] {
  return [1e18, 4e18, 1.6e19, 6.4e19, 2.56e20].flatMap((c) =>
    [0.5, 1, 2].flatMap((f) => {
      const m = 1e8 * (c / 1e18) ** 0.5 * f, d = c / m;
      const eta = STEP.eta.k * m ** STEP.eta.a * d ** STEP.eta.b, b = STEP.batch.k * d ** STEP.batch.c;
      return [-1, 0, 1].flatMap((i) => [-1, 0, 1].map((j) => ({ compute: c, modelScale: m, tokens: d, batchTokens: b * Math.exp(0.3 * i), learningRate: eta * Math.exp(0.3 * j), loss: 2 * (1 + 0.02 * (0.09 * i * i + 0.09 * j * j)), status: "ok" })));
    }),
  );
}

test("olsLogLinear recovers a plane and refuses collinear features", () => {
  const x1 = [0, 1, 2, 3, 4], x2 = [1, 0, 3, 1, 2];
  const fit = olsLogLinear([x1, x2], x1.map((v, i) => 0.5 + 2 * v - 0.7 * x2[i]!))!;
  assert.ok(Math.abs(fit.intercept - 0.5) < EXACT_TOL && Math.abs(fit.slopes[0]! - 2) < EXACT_TOL && Math.abs(fit.slopes[1]! + 0.7) < EXACT_TOL);
  assert.equal(olsLogLinear([x1, x1.map((v) => 2 * v)], x1), null);
});

test("on budgets that mix models under Step Law's truth, the (N, D) forms recover it and win leave-one-budget-out; the mixing is named", () => {
  const fit = fitHyperparams(runs(), { resamples: 50 });
  const eta = fit.forms.learningRate, batch = fit.forms.batch;
  const nd = eta.forms.find((f) => f.form === "η = k·M^a·D^b")!;
  assert.ok(Math.abs(nd.fit!.slopes[0]! - STEP.eta.a) < EXACT_TOL && Math.abs(nd.fit!.slopes[1]! - STEP.eta.b) < EXACT_TOL, JSON.stringify(nd.fit));
  assert.ok(nd.leaveOneOutRms! < EXACT_TOL, "the true form predicts every held-out budget");
  assert.equal(eta.chosen, "η = k·M^a·D^b");
  assert.equal(batch.chosen, "B = k·D^c");
  const c = eta.forms.find((f) => f.form === "η = k·C^a")!;
  assert.ok(c.leaveOneOutRms! > 0.1, `a law in C cannot separate 3 models per budget (LOBO ${c.leaveOneOutRms})`);
  assert.equal(fit.forms.mixedBudgets.length, 5);
  assert.ok(fit.notes.some((n) => /^budget 1\.000e\+18 mixes 3 models \(M 5\.00e\+7–2\.00e\+8\): a law in C gives them one answer/.test(n)), fit.notes.join("; "));
});
