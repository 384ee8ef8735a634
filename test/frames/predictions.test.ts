import assert from "node:assert/strict";
import { test } from "node:test";
import { predictionsFrame } from "../../lib/frames/predictions";

/** Float rounding of x^exponent only. */
const RTOL = 1e-12;

test("predictionsFrame(targets, laws) predicts each law at each budget with percentile intervals from the draws", () => {
  // Paper Eq. 1 at C = 1e20 (paper.md §2 table): η_opt = 9.860e-4, B_opt = 1.017e6 tokens.
  const coefficient = Array.from({ length: 101 }, (_, i) => 0.2 + 0.002 * i); // 0.2 … 0.4
  const exponent = coefficient.map(() => 0.3271);
  const df = predictionsFrame([{ label: "1e20", compute: 1e20 }, { label: "1e17", compute: 1e17 }], {
    batchTokens: { coefficient: 0.292, exponent: 0.3271, draws: { coefficient, exponent } },
    learningRate: { coefficient: 0.3118, exponent: -0.125 },
  });
  assert.deepEqual(df.columns, ["label", "compute", "batchTokens", "batchTokensLo", "batchTokensHi", "learningRate", "learningRateLo", "learningRateHi"]);
  assert.deepEqual(df.shape, [2, 8]);
  const [label, compute, b, bLo, bHi, lr, lrLo, lrHi] = df.values[0] as [string, number, number, number, number, number, number, number];
  assert.equal(label, "1e20");
  assert.equal(compute, 1e20);
  assert.equal(Number(b.toPrecision(4)), 1.017e6);
  assert.equal(Number(lr.toPrecision(4)), 9.86e-4);
  const scale = 1e20 ** 0.3271;
  assert.ok(Math.abs(bLo / ((0.2 + 0.002 * 2.5) * scale) - 1) < RTOL, "2.5th percentile of the coefficient draws");
  assert.ok(Math.abs(bHi / ((0.2 + 0.002 * 97.5) * scale) - 1) < RTOL, "97.5th percentile");
  assert.ok(Number.isNaN(lrLo) && Number.isNaN(lrHi), "no draws, no interval");
});
