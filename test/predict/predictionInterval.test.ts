import assert from "node:assert/strict";
import { test } from "node:test";
import { parseLaws } from "../../lib/laws/lawsFile";
import { predict } from "../../lib/predict/predict";
import { ConfigError } from "../../lib/util/errors";

/** A laws file's predictionDraws give `predict` the prediction interval for a budget, beside the law's interval. */

/** Float error of k·C^a·e^o. */
const REL_TOL = 1e-9;

test("predict(…) gives the law interval from draws and the prediction interval from the paired new-budget offsets", () => {
  // The law is certain (every draw equal); a new budget's ln offset is uniform on [−0.2, 0.2] over 1001 draws.
  const n = 1001, k = 0.3, a = 0.33;
  const offsets = Array.from({ length: n }, (_, i) => -0.2 + (0.4 * i) / (n - 1));
  const laws = parseLaws({ batch: { coefficient: k, exponent: a, draws: { coefficient: Array(n).fill(k), exponent: Array(n).fill(a) }, predictionDraws: offsets } });
  const p = predict({ compute: 1e21 }, { laws });
  const value = k * 1e21 ** a;
  assert.ok(Math.abs(p.intervals.batchTokens![0] / value - 1) < REL_TOL && Math.abs(p.intervals.batchTokens![1] / value - 1) < REL_TOL, "law interval collapses to the line");
  // 2.5% and 97.5% quantiles of a uniform on [−0.2, 0.2]: ±0.19.
  assert.ok(Math.abs(p.predictionIntervals.batchTokens![0] / (value * Math.exp(-0.19)) - 1) < REL_TOL);
  assert.ok(Math.abs(p.predictionIntervals.batchTokens![1] / (value * Math.exp(0.19)) - 1) < REL_TOL);
  assert.ok(Math.abs(p.predictionIntervals.batchSequences![1] * p.seq / p.predictionIntervals.batchTokens![1] - 1) < REL_TOL);
  assert.equal(p.predictionIntervals.learningRate, undefined, "no law, no interval");
});

test("parseLaws refuses predictionDraws that are not paired with draws", () => {
  assert.throws(() => parseLaws({ batch: { coefficient: 1, exponent: 0.3, draws: { coefficient: [1], exponent: [0.3] }, predictionDraws: [0, 0.1] } }, "laws.json"), (e: unknown) => e instanceof ConfigError && /paired with draws/.test(e.message));
});
