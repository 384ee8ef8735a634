import { test } from "node:test";
import assert from "node:assert/strict";
import { NEAR_OPTIMAL_THRESHOLD, selectNearOptimal } from "../../lib/fit/nearOptimal";
import { FitError } from "../../lib/util/errors";
import type { RunPoint } from "../../lib/fit/types";

const run = (compute: number, loss: number, status = "ok", key = `${compute}-${loss}`): RunPoint => ({
  compute, loss, status, key, modelScale: 1e8, tokens: compute / 1e8, batchTokens: 1e5, learningRate: 1e-3,
});

test("selectNearOptimal(points) keeps runs within 0.25% of each budget's best", () => {
  assert.equal(NEAR_OPTIMAL_THRESHOLD, 0.0025);
  const pts = [run(1e18, 2.0), run(1e18, 2.004), run(1e18, 2.006), run(1e19, 1.5), run(1e19, 1.5037), run(1e19, 1.504)];
  const s = selectNearOptimal(pts);
  assert.deepEqual(s.kept.map((p) => p.loss), [2.0, 2.004, 1.5, 1.5037]);
  assert.deepEqual(s.dropped.map((d) => d.point.loss), [2.006, 1.504]);
  assert.match(s.dropped[0]!.reason, /exceeds best 2 .* by 0\.300%/);
  assert.deepEqual(s.bestByBudget, [{ compute: 1e18, loss: 2.0 }, { compute: 1e19, loss: 1.5 }]);
});

test("selectNearOptimal(points) drops runs whose status is not ok, with the reason, and ignores their loss", () => {
  const pts = [run(1e18, 1.0, "diverged"), run(1e18, 2.0), run(1e18, 2.001)];
  const s = selectNearOptimal(pts);
  assert.deepEqual(s.kept.map((p) => p.loss), [2.0, 2.001]);
  assert.equal(s.dropped.length, 1);
  assert.match(s.dropped[0]!.reason, /status "diverged"/);
  assert.deepEqual(s.bestByBudget, [{ compute: 1e18, loss: 2.0 }]);
});

test("selectNearOptimal(points, {threshold}) honours the threshold and rejects bad ones", () => {
  const pts = [run(1e18, 2.0), run(1e18, 2.03), run(1e18, 2.05)];
  assert.equal(selectNearOptimal(pts, { threshold: 0.02 }).kept.length, 2);
  assert.equal(selectNearOptimal(pts, { threshold: 0 }).kept.length, 1);
  assert.throws(() => selectNearOptimal(pts, { threshold: -1 }), (e: unknown) => e instanceof FitError && /options\.threshold/.test(e.message));
  assert.throws(() => selectNearOptimal([run(0, 2)]), (e: unknown) => e instanceof FitError && /points\[0\]\.compute/.test(e.message));
});
