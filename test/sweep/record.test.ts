import { test } from "node:test";
import assert from "node:assert/strict";
import { STORED_CURVE_POINTS, thinCurve } from "../../lib/sweep/record";

const steps = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

test("thinCurve keeps a curve of at most maxPoints as it is", () => {
  assert.deepEqual(thinCurve(steps(STORED_CURVE_POINTS)), steps(STORED_CURVE_POINTS));
  assert.deepEqual(thinCurve(steps(3), 5), [0, 1, 2]);
});

test("thinCurve(curve, max) keeps every k-th point from the first, plus the last, within max points", () => {
  // 1000 points, max 256: stride ceil(999/255) = 4, so 0, 4, …, 996 (250 points) and the last, 999.
  const kept = thinCurve(steps(1000), 256);
  assert.equal(kept.length, 251);
  assert.deepEqual(kept.slice(0, 3), [0, 4, 8]);
  assert.deepEqual(kept.slice(-2), [996, 999]);
  // When the last point falls on the stride it is not repeated: 0, 3, …, 9.
  assert.deepEqual(thinCurve(steps(10), 4), [0, 3, 6, 9]);
  for (const n of [257, 2593, 10_000, 41_667]) {
    const k = thinCurve(steps(n));
    assert.ok(k.length <= STORED_CURVE_POINTS && k.length > STORED_CURVE_POINTS / 2, `${n} → ${k.length}`);
    assert.equal(k[0], 0);
    assert.equal(k.at(-1), n - 1);
  }
});
