import assert from "node:assert/strict";
import { test } from "node:test";
import { RUN_COLUMNS, runsFrame } from "../../lib/frames/runs";
import { hyperparamRuns } from "../figures/fixtures";

test("runsFrame(points) has one row per run in the RunPoint column order", () => {
  const runs = hyperparamRuns();
  const df = runsFrame(runs);
  assert.deepEqual(df.columns, [...RUN_COLUMNS]);
  assert.deepEqual(df.shape, [runs.length, RUN_COLUMNS.length]);
  const first = runs[0]!;
  assert.deepEqual(df.values[0], [first.key, first.compute, first.modelScale, first.tokens, first.batchTokens, first.learningRate, first.loss, first.status]);
  assert.deepEqual(df.column("loss").values, runs.map((r) => r.loss));
});

test("runsFrame([]) is an empty frame that still has the columns", () => {
  const df = runsFrame([]);
  assert.deepEqual(df.columns, [...RUN_COLUMNS]);
  assert.equal(df.shape[0], 0);
});
