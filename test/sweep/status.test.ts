import { test } from "node:test";
import assert from "node:assert/strict";
import { parseSpec } from "../../lib/sweep/spec";
import { resolveSpec } from "../../lib/sweep/resolve";
import { expandSpec, SWEEP_CODE_VERSION } from "../../lib/sweep/expand";
import { failedRecord, type RunRecord } from "../../lib/sweep/record";
import { sweepStatus } from "../../lib/sweep/status";

test("sweepStatus(plans, records) counts done, diverged, failed, pending per budget and stale records apart", () => {
  const spec = resolveSpec(
    parseSpec({
      name: "unit-status",
      seq: 32,
      family: { headSize: 8 },
      budgets: [2e8, 4e8],
      design: { kind: "hyperparams", modelScale: 26_400, batchTokens: { values: [64, 128] }, learningRate: { values: [1e-3] } },
    }),
    {},
  );
  const { runs } = expandSpec(spec);
  const at = (i: number, status: RunRecord["status"]): RunRecord => ({ ...failedRecord(runs[i]!, "x", SWEEP_CODE_VERSION, 1, 1), status });
  const stale = { ...at(0, "ok"), key: "not-planned" };
  const status = sweepStatus(runs, [at(0, "ok"), at(1, "diverged"), at(2, "failed"), stale]);
  assert.deepEqual(status.budgets, [
    { budget: 2e8, planned: 2, ok: 1, diverged: 1, failed: 0, pending: 0 },
    { budget: 4e8, planned: 2, ok: 0, diverged: 0, failed: 1, pending: 1 },
  ]);
  assert.equal(status.stale, 1);
});
