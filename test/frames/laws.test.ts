import assert from "node:assert/strict";
import { test } from "node:test";
import { LAW_COLUMNS, lawsFrame } from "../../lib/frames/laws";

test("lawsFrame(laws) has one row per law with intervals, r², n and status", () => {
  const df = lawsFrame({
    batchTokens: {
      params: { coefficient: 0.292, exponent: 0.3271 },
      intervals: { coefficient: [0.2, 0.4], exponent: [0.3, 0.35] },
      status: "ok",
      n: 40,
      r2: 0.97,
    },
    learningRate: { params: { coefficient: 0.3118, exponent: -0.125 } },
  });
  assert.deepEqual(df.columns, [...LAW_COLUMNS]);
  assert.deepEqual(df.shape, [2, LAW_COLUMNS.length]);
  assert.deepEqual(df.values[0], ["batchTokens", 0.292, 0.3271, 0.2, 0.4, 0.3, 0.35, 0.97, 40, "ok"]);
  const [name, coefficient, exponent, ...rest] = df.values[1] as unknown[];
  assert.deepEqual([name, coefficient, exponent], ["learningRate", 0.3118, -0.125]);
  assert.ok(rest.slice(0, 6).every((v) => Number.isNaN(v)), "missing intervals, r² and n are NaN");
  assert.equal(rest[6], "");
});
