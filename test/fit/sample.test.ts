import { test } from "node:test";
import assert from "node:assert/strict";
import { createRng } from "../../lib/util/random";
import { groupIndices, percentileInterval, quantileSorted, resampleIndices, resampleWithinGroups } from "../../lib/fit/sample";

test("quantileSorted(sorted, q) matches numpy's default (linear) quantiles", () => {
  const v = [1, 2, 3, 4, 10];
  // numpy.quantile([1,2,3,4,10], [0, .25, .5, .9, 1]) = [1, 2, 3, 7.6, 10]
  [[0, 1], [0.25, 2], [0.5, 3], [0.9, 7.6], [1, 10]].forEach(([q, want]) => assert.ok(Math.abs(quantileSorted(v, q!) - want!) < 1e-12));
});

test("percentileInterval(draws, confidence, fallback) takes central quantiles and never returns NaN", () => {
  const draws = Array.from({ length: 1001 }, (_, i) => 1000 - i);
  const [lo, hi] = percentileInterval(draws, 0.95, 0);
  assert.ok(Math.abs(lo - 25) < 1e-9 && Math.abs(hi - 975) < 1e-9, `${lo}, ${hi}`);
  assert.deepEqual(percentileInterval([], 0.95, 3), [3, 3]);
});

test("resampleWithinGroups(groups, rng) keeps every group's size and membership", () => {
  const keys = ["a", "b", "a", "c", "b", "a"];
  const groups = [...groupIndices(keys).values()];
  assert.deepEqual(groups, [[0, 2, 5], [1, 4], [3]]);
  const rng = createRng(1);
  for (let r = 0; r < 50; r++) {
    const idx = resampleWithinGroups(groups, rng);
    assert.equal(idx.length, keys.length);
    assert.deepEqual(idx.map((i) => keys[i]), ["a", "a", "a", "b", "b", "c"]);
  }
  const plain = resampleIndices(6, createRng(2));
  assert.ok(plain.length === 6 && plain.every((i) => Number.isInteger(i) && i >= 0 && i < 6));
});
