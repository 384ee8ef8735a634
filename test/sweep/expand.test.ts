import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSpec, type SweepSpecInput } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, logSpace, SWEEP_CODE_VERSION } from "../../lib/sweep/expand";
import { deepseekLaws } from "../../lib/laws/lawsFile";
import { modelScaleExact } from "../../lib/model/count";
import { contentKey } from "../../lib/util/hash";

/** Float round-off of a product of a few doubles. */
const REL_EPS = 1e-12;

const resolve = (input: SweepSpecInput) => resolveSpec(parseSpec(input), { deepseek: deepseekLaws });

const isoflop: SweepSpecInput = {
  name: "unit-isoflop",
  seq: 32,
  family: { headSize: 8 },
  budgets: [1e9, 1e10, 1e11],
  design: { kind: "isoflop", centre: { law: "deepseek" }, count: 5, span: 8 },
};

/** M of the 1-layer, 16-wide, seq-32 shape of the head-size-8 family (N₁ = 3376; 6N₁ + 12·16·32). */
const M_D16 = 26_400;

test("logSpace(min, max, count) spaces values evenly in log and hits both ends", () => {
  assert.deepEqual(logSpace(1, 16, 5).map((v) => Math.round(v * 1e9) / 1e9), [1, 2, 4, 8, 16]);
  assert.deepEqual(logSpace(4, 4, 1), [4]);
});

test("expandSpec(isoflop) realises every cell within the budget tolerance with D = C/M in whole steps", () => {
  const spec = resolve(isoflop);
  const { runs } = expandSpec(spec);
  assert.ok(runs.length >= 9, `${runs.length} runs`);
  for (const r of runs) {
    const { config } = r;
    assert.equal(r.modelScale, modelScaleExact(config.shape));
    assert.equal(config.batchTokens % config.shape.seq, 0, "batch is whole sequences");
    assert.equal(config.tokens, r.steps * config.batchTokens, "tokens are whole steps");
    assert.ok(Math.abs(r.realisedCompute / (r.modelScale * config.tokens) - 1) < REL_EPS);
    assert.ok(Math.abs(r.realisedCompute / r.cell.budget - 1) <= spec.budgetTolerance, `${r.realisedCompute} vs ${r.cell.budget}`);
    // Eq. 1 sets B and η at the cell's budget.
    assert.ok(Math.abs(config.learningRate / (0.3118 * r.cell.budget ** -0.125) - 1) < REL_EPS);
    assert.ok(Math.abs(r.cell.targetBatchTokens / (0.292 * r.cell.budget ** 0.3271) - 1) < REL_EPS);
  }
  // Eq. 4 centres the M grid: the middle cell targets M_opt(C).
  const middle = runs.find((r) => r.cell.budget === 1e11 && r.cell.grid[1] === 2);
  assert.ok(middle && Math.abs(middle.cell.targetModelScale / (0.1715 * 1e11 ** 0.5243) - 1) < REL_EPS);
});

test("expandSpec(spec) keys are content addresses: deterministic, unique, and bound to the code version", () => {
  const spec = resolve(isoflop);
  const a = expandSpec(spec).runs;
  const b = expandSpec(resolve(isoflop)).runs;
  assert.deepEqual(a.map((r) => r.key), b.map((r) => r.key));
  assert.equal(new Set(a.map((r) => r.key)).size, a.length);
  for (const r of a) assert.equal(r.key, contentKey({ config: r.config, codeVersion: SWEEP_CODE_VERSION }));
  const other = expandSpec(spec, "other-version").runs;
  assert.ok(other.every((r, i) => r.key !== a[i]!.key));
});

test("expandSpec(hyperparams) crosses batch and learning-rate axes per budget, one shape per budget", () => {
  const spec = resolve({
    name: "unit-hyper",
    seq: 32,
    family: { headSize: 8 },
    budgets: [2e8, 6e8],
    seeds: [0, 1],
    design: { kind: "hyperparams", modelScale: M_D16, batchTokens: { values: [64, 128] }, learningRate: { law: "deepseek", factors: [0.5, 1, 2] } },
  });
  const { runs, skipped } = expandSpec(spec);
  assert.equal(skipped.length, 0);
  assert.equal(runs.length, 2 * 2 * 3 * 2);
  for (const budget of [2e8, 6e8]) {
    const here = runs.filter((r) => r.cell.budget === budget);
    assert.equal(new Set(here.map((r) => r.modelScale)).size, 1);
    assert.deepEqual([...new Set(here.map((r) => r.config.batchTokens))].sort((x, y) => x - y), [64, 128]);
    const lrs = [...new Set(here.map((r) => r.config.learningRate))].sort((x, y) => x - y);
    const eq1 = 0.3118 * budget ** -0.125;
    lrs.forEach((lr, i) => assert.ok(Math.abs(lr / (eq1 * [0.5, 1, 2][i]!) - 1) < REL_EPS));
  }
  assert.deepEqual([...new Set(runs.map((r) => r.config.seed))], [0, 1]);
});

test("expandSpec(spec) skips unrealisable cells with the reason: batch below a sequence, under one step, budget missed", () => {
  const spec = resolve({
    name: "unit-skip",
    seq: 32,
    family: { headSize: 8 },
    budgets: [2e8],
    // 2e8 / (26400·64) = 118.4 steps (0.3% off); ·6400: 1.18 steps → 1 (15% off); ·64000: 0.12 steps.
    design: { kind: "hyperparams", modelScale: M_D16, batchTokens: { values: [16, 64, 6400, 64000] }, learningRate: { values: [1e-3] } },
  });
  const { runs, skipped } = expandSpec(spec);
  assert.deepEqual(runs.map((r) => r.config.batchTokens), [64]);
  assert.equal(runs[0]!.steps, 118);
  const reasons = skipped.map((s) => [s.cell.targetBatchTokens, s.reason] as const);
  assert.match(reasons[0]![1], /below one sequence/);
  assert.match(reasons[1]![1], /% off the budget/);
  assert.match(reasons[2]![1], /less than one step/);
  assert.deepEqual(reasons.map(([b]) => b), [16, 6400, 64000]);
});
