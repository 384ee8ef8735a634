import assert from "node:assert/strict";
import { test } from "node:test";
import type { RunPoint } from "../../lib/fit/types";
import { noiseByBudget, seedNoise } from "../../lib/study/noise";

/** Known answers: sample sd of hand-picked losses, and the dof-weighted pooling of two cells. */
const point = (compute: number, loss: number, status = "ok"): RunPoint => ({ compute, modelScale: 1e5, tokens: compute / 1e5, batchTokens: 512, learningRate: 0.005, loss, status });

test("seedNoise groups runs by (C, M, B, η) and returns the sample sd, its relative size and the max − min spread", () => {
  // Cell A: 2.0, 2.02, 2.04 → mean 2.02, sd 0.02 (n − 1). Cell B: 3.0, 3.06 → mean 3.03, sd 0.06/√2.
  const n = seedNoise([point(1e10, 2.0), point(1e10, 2.04), point(1e10, 2.02), point(1e11, 3.0), point(1e11, 3.06)], 0.0025);
  assert.equal(n.cells.length, 2);
  const [a, b] = n.cells;
  assert.equal(a!.runs, 3);
  assert.ok(Math.abs(a!.mean - 2.02) < 1e-12);
  assert.ok(Math.abs(a!.sd - 0.02) < 1e-12);
  assert.ok(Math.abs(a!.relativeSd - 0.02 / 2.02) < 1e-12);
  assert.ok(Math.abs(a!.relativeRange - 0.02) < 1e-12);
  assert.ok(Math.abs(b!.sd - 0.06 / Math.SQRT2) < 1e-12);
  // Pooled over 2 + 1 degrees of freedom.
  const pooled = Math.sqrt((2 * (0.02 / 2.02) ** 2 + (0.06 / Math.SQRT2 / 3.03) ** 2) / 3);
  assert.ok(Math.abs(n.pooledRelativeSd! - pooled) < 1e-12);
  assert.ok(Math.abs(n.sdOverThreshold! - pooled / 0.0025) < 1e-9);
});

test("seedNoise leaves out failed runs, non-finite losses and single-run cells, and says null when nothing is left", () => {
  const n = seedNoise([point(1e10, 2.0), point(1e10, NaN), point(1e10, 9, "diverged"), point(1e11, 3.0)], 0.0025);
  assert.deepEqual(n.cells, []);
  assert.equal(n.pooledRelativeSd, null);
  assert.equal(n.sdOverThreshold, null);
});

test("noiseByBudget pools each budget's cells over their degrees of freedom, and divides by √seeds for a cell's mean", () => {
  // Budget 1e10: cells with relative sd 1% (3 seeds) and 2% (2 seeds) → pooled √((2·1e-4 + 4e-4)/3); harmonic seeds 2/(1/3+1/2) = 2.4.
  const cell = (compute: number, mean: number, sd: number): RunPoint[] => [point(compute, mean - sd), point(compute, mean + sd)];
  const three = [point(1e10, 2 - 0.02), point(1e10, 2), point(1e10, 2 + 0.02)]; // sd 0.02 on 2: 1%
  const two = cell(1e10, 3, 0.06 / Math.SQRT2).map((p) => ({ ...p, batchTokens: 1024 })); // sd 0.06 on 3: 2%
  const [b] = noiseByBudget(seedNoise([...three, ...two, point(1e11, 5)], 0.0025));
  const pooled = Math.sqrt((2 * 0.01 ** 2 + 0.02 ** 2) / 3);
  assert.equal(b!.compute, 1e10);
  assert.deepEqual([b!.cells, b!.runs], [2, 5]);
  assert.ok(Math.abs(b!.pooledRelativeSd - pooled) < 1e-12, `${b!.pooledRelativeSd}`);
  assert.ok(Math.abs(b!.meanRelativeSd - pooled / Math.sqrt(2.4)) < 1e-12);
  assert.equal(noiseByBudget(seedNoise([point(1e11, 5)], 0.0025)).length, 0);
});
