import assert from "node:assert/strict";
import { test } from "node:test";
import { lawBand, quantileSorted, type BandPoint } from "../../lib/figures/band";

/** (1 − 0.95)/2 · 100 is not exact in binary floating point; the band is exact up to that rounding. */
const FLOAT_TOL = 1e-12;

function assertBand(actual: BandPoint[], expected: BandPoint[]): void {
  assert.equal(actual.length, expected.length);
  for (const [i, e] of expected.entries()) {
    const a = actual[i]!;
    assert.equal(a.x, e.x);
    assert.ok(Math.abs(a.lo - e.lo) <= FLOAT_TOL * e.hi && Math.abs(a.hi - e.hi) <= FLOAT_TOL * e.hi, `${JSON.stringify(a)} vs ${JSON.stringify(e)}`);
  }
}

test("quantileSorted(sorted, q) interpolates linearly between order statistics", () => {
  assert.equal(quantileSorted([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(quantileSorted([0, 10], 0.25), 2.5);
  assert.equal(quantileSorted([7], 0.9), 7);
});

test("lawBand(law, xs) is the pointwise percentile of the draws' predictions", () => {
  // 101 draws with exponent 1 and coefficients 0..100: at x the predictions are 0..100·x, so the 2.5th and
  // 97.5th percentiles are exactly 2.5·x and 97.5·x.
  const coefficient = Array.from({ length: 101 }, (_, i) => i);
  const exponent = coefficient.map(() => 1);
  const band = lawBand({ coefficient: 50, exponent: 1, draws: { coefficient, exponent } }, [1, 10]);
  assertBand(band, [
    { x: 1, lo: 2.5, hi: 97.5 },
    { x: 10, lo: 25, hi: 975 },
  ]);
  const narrow = lawBand({ coefficient: 50, exponent: 1, draws: { coefficient, exponent } }, [1], 0.5);
  assertBand(narrow, [{ x: 1, lo: 25, hi: 75 }]);
});

test("lawBand(law, xs) is empty for a law without draws", () => {
  assert.deepEqual(lawBand({ coefficient: 1, exponent: 1 }, [1, 2]), []);
});
