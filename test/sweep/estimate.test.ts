import { test } from "node:test";
import assert from "node:assert/strict";
import { fitCost, makespan, predictSeconds, type CostCoefficients, type CostSample } from "../../lib/sweep/estimate";

/** Noiseless synthetic samples: the solve is exact up to float round-off of normal equations. */
const COEFF_TOL = 1e-6;

const truth: CostCoefficients = { fixedSeconds: 4, perStepSeconds: 0.005, perTokenSeconds: 2e-6, perFlopSeconds: 1 / 3e9 };
const features: Omit<CostSample, "seconds">[] = [
  { steps: 40, tokens: 10_240, flopsPerToken: 1e5 },
  { steps: 40, tokens: 40_960, flopsPerToken: 1e5 },
  { steps: 120, tokens: 30_720, flopsPerToken: 1e5 },
  { steps: 40, tokens: 20_480, flopsPerToken: 4e5 },
  { steps: 30, tokens: 30_720, flopsPerToken: 4e5 },
  { steps: 100, tokens: 25_600, flopsPerToken: 4e5 },
];

test("fitCost(samples) recovers the coefficients of noiseless synthetic timings", () => {
  const fitted = fitCost(features.map((f) => ({ ...f, seconds: predictSeconds(truth, f) })));
  for (const k of Object.keys(truth) as (keyof CostCoefficients)[]) {
    assert.ok(Math.abs(fitted[k] / truth[k] - 1) < COEFF_TOL, `${k}: ${fitted[k]} vs ${truth[k]}`);
  }
});

test("fitCost(samples) drops a term that would come out negative and refits the rest", () => {
  // No per-step cost in the truth and a small negative wobble: the fit must not return a negative rate.
  const noStep = { ...truth, perStepSeconds: 0 };
  const samples = features.map((f, i) => ({ ...f, seconds: predictSeconds(noStep, f) * (1 + (i % 2 ? -1e-3 : 1e-3)) }));
  const fitted = fitCost(samples);
  assert.ok(Object.values(fitted).every((v) => v >= 0));
  for (const s of samples) assert.ok(Math.abs(predictSeconds(fitted, s) / s.seconds - 1) < 0.01);
});

test("fitCost(samples) refuses timings that do not grow with the work", () => {
  // The calibration a fresh machine produced: the first two (cold) runs slowest, the rest flat.
  const seconds = [3.24, 3.351, 1.723, 1.731, 2.036, 2.129];
  assert.throws(() => fitCost(features.map((f, i) => ({ ...f, seconds: seconds[i]! }))), /did not grow with their work/);
});

test("makespan(seconds, workers) assigns each run to the first free worker in order", () => {
  assert.equal(makespan([3, 3, 3, 3], 2), 6);
  assert.equal(makespan([5, 1, 1, 1], 2), 5);
  assert.equal(makespan([1, 1, 1, 5], 2), 6); // 1|1, then 2|1, then the 5 goes to the worker free at 1
  assert.equal(makespan([2, 2, 2], 1), 6);
  assert.equal(makespan([], 2), 0);
});

test("estimateSweep with groups pays process start and per-step cost once per group, per-token work once per run", async () => {
  const { estimateSweep, predictGroupSeconds, costFeatures } = await import("../../lib/sweep/estimate");
  const { expandSpec } = await import("../../lib/sweep/expand");
  const { resolveSpec } = await import("../../lib/sweep/resolve");
  const { parseSpec } = await import("../../lib/sweep/spec");
  const { groupPlans } = await import("../../lib/sweep/group");
  const c: CostCoefficients = { fixedSeconds: 2, perStepSeconds: 0.01, perTokenSeconds: 1e-6, perFlopSeconds: 1e-11 };
  const plans = expandSpec(resolveSpec(parseSpec({
    name: "e", corpus: "en-prose", seq: 32, family: { headSize: 8 }, budgets: [1e8], seeds: [0, 1], eval: { windows: 8, points: 1 },
    design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: [128, 256] }, learningRate: { values: [1e-3, 3e-3, 1e-2] } },
  }), {})).runs;
  const groups = groupPlans(plans);
  assert.equal(groups.length, 2);
  const alone = estimateSweep(plans, c, 2);
  const grouped = estimateSweep(plans, c, 2, groups);
  // By hand: each group of 6 costs fixed + steps·perStep once and 6× its per-token work.
  const byHand = groups.map((g) => {
    const f = costFeatures(g[0]!);
    return c.fixedSeconds + f.steps * c.perStepSeconds + 6 * f.tokens * (c.perTokenSeconds + c.perFlopSeconds * f.flopsPerToken);
  });
  groups.forEach((g, i) => assert.ok(Math.abs(predictGroupSeconds(c, costFeatures(g[0]!), g.length) - byHand[i]!) < 1e-9));
  assert.ok(Math.abs(grouped.wallSeconds - Math.max(...byHand)) < 1e-9, "two groups on two workers: the longer one");
  const runSeconds = grouped.budgets.reduce((s, b) => s + b.runSeconds, 0);
  assert.ok(Math.abs(runSeconds - byHand[0]! - byHand[1]!) < 1e-9, "runs' shares add up to their groups");
  assert.ok(grouped.wallSeconds < alone.wallSeconds, "grouping saves the fixed and per-step costs of 10 processes");
});
