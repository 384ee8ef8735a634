import assert from "node:assert/strict";
import { test } from "node:test";
import { meanOverSeeds } from "../../lib/analysis/points";
import { selectNearOptimal } from "../../lib/fit/nearOptimal";
import type { RunPoint } from "../../lib/fit/types";

const run = (batchTokens: number, loss: number, key: string, status = "ok"): RunPoint => ({ compute: 1e11, modelScale: 1e5, tokens: 1e6, batchTokens, learningRate: 0.005, loss, status, key });

test("meanOverSeeds(points) averages the ok losses of runs that differ only in seed and joins their keys", () => {
  const single = run(256, 2.5, "s");
  const out = meanOverSeeds([run(512, 2.0, "a0"), run(512, 2.06, "a1"), run(512, 2.03, "a2"), single, run(512, 9, "a3", "diverged")]);
  assert.equal(out.length, 3);
  const cell = out.find((p) => p.batchTokens === 512 && p.status === "ok")!;
  assert.ok(Math.abs(cell.loss - 2.03) < 1e-12);
  assert.equal(cell.key, "a0+a1+a2");
  assert.ok(out.includes(single), "a one-run cell comes back unchanged");
  assert.equal(out.find((p) => p.status === "diverged")?.key, "a3", "a failed seed stays a single point, dropped later with its reason");
});

test("meanOverSeeds(points) makes the near-optimal selection compare configurations, not lucky seeds", () => {
  // Cell A is worse on average (2.00) but has one lucky seed (1.97); cell B is better on average (1.99).
  const points = [run(512, 1.97, "a0"), run(512, 2.03, "a1"), run(1024, 1.985, "b0"), run(1024, 1.995, "b1")];
  assert.deepEqual(selectNearOptimal(points, { threshold: 0 }).kept.map((p) => p.key), ["a0"], "per run, the lucky seed wins");
  assert.deepEqual(selectNearOptimal(meanOverSeeds(points), { threshold: 0 }).kept.map((p) => p.key), ["b0+b1"]);
});
