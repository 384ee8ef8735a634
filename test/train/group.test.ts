import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { train, trainGroup } from "../../lib/train/train";
import type { TrainConfigInput } from "../../lib/train/config";
import { checkGroup, groupKeyOf, maxGroupRuns } from "../../lib/train/group";
import { resolveTrainConfig } from "../../lib/train/validate";
import { ConfigError } from "../../lib/util/errors";

/**
 * A run trained in a group against the same run alone. Measured drift on this machine: none — the
 * losses, curves and bits per byte were bitwise equal on cpu, wasm and wasm+openblas (each run's
 * slice goes through the same products, fused loops and summation order as alone), so the test
 * asserts equality; the seed-to-seed spread it is compared with is ≥ 0.3% of bits per byte.
 */
const BASE: TrainConfigInput = {
  shape: { layers: 1, dModel: 32, heads: 2, kvHeads: 1, ffn: 88, seq: 32, vocab: 256 },
  tokens: 12 * 256,
  batchTokens: 256,
  learningRate: 1e-2,
  schedule: { kind: "constant", warmup: { steps: 2 } },
  init: { std: 0.006, scaleWithWidth: true },
  corpus: "en-prose",
  backend: "wasm",
  seed: 3,
  eval: { windows: 8, points: 1 },
};

/** Smallest seed-to-seed difference in bits per byte this fixture must show, relative (it measured 1–2%). */
const SEED_NOISE_FLOOR = 3e-3;

test("trainGroup: each run of a group equals the same run alone; a diverged run is frozen while the others go on", async () => {
  const runs: TrainConfigInput[] = [
    { ...BASE, learningRate: 1e-2, seed: 3 },
    { ...BASE, learningRate: 50, seed: 5 }, // diverges at step 1
    { ...BASE, learningRate: 3e-3, seed: 4, schedule: { kind: "cosine", warmup: { fraction: 0.2 } } },
  ];
  const before = tf.memory().numTensors;
  const group = await trainGroup(runs);
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  for (const [i, input] of runs.entries()) {
    const alone = await train(input);
    const grouped = group[i]!;
    assert.equal(grouped.status, alone.status, `run ${i}`);
    assert.deepEqual(grouped.curve, alone.curve, `run ${i}: per-step losses and learning rates`);
    assert.deepEqual(grouped.evals, alone.evals, `run ${i}: evaluations`);
    assert.equal(grouped.bitsPerByte, alone.bitsPerByte);
    assert.equal(grouped.error, alone.error);
    assert.deepEqual(grouped.config, alone.config, "records keep their config (and so their run key)");
    assert.equal(grouped.groupSize, 3);
    assert.equal(alone.groupSize, undefined);
  }
  assert.equal(group[1]!.status, "diverged");
  assert.equal(group[0]!.steps, 12);
  assert.equal(group[2]!.steps, 12);
  // The equality above is meaningful: another seed moves bits per byte far more than any drift.
  const otherSeed = await train({ ...runs[0]!, seed: 9 });
  const spread = Math.abs(otherSeed.bitsPerByte! - group[0]!.bitsPerByte!) / group[0]!.bitsPerByte!;
  assert.ok(spread > SEED_NOISE_FLOOR, `seed-to-seed spread ${spread}`);
});

test("checkGroup: mixed shapes, steps or settings cannot share a group; a group larger than memory allows is refused", () => {
  const a = resolveTrainConfig(BASE);
  const cases: Array<[TrainConfigInput, RegExp]> = [
    [{ ...BASE, shape: { ...BASE.shape, dModel: 48, heads: 3, ffn: 128 } } as TrainConfigInput, /^runs\[1\]\.shape: shape differs.*learningRate, schedule, seed/],
    [{ ...BASE, tokens: 24 * 256 }, /^runs\[1\]\.tokens: /],
    [{ ...BASE, batchTokens: 512 }, /^runs\[1\]\.batchTokens: /],
    [{ ...BASE, optimizer: { clipNorm: 0.5 } }, /^runs\[1\]\.optimizer: /],
  ];
  for (const [other, message] of cases) {
    const b = resolveTrainConfig(other);
    assert.notEqual(groupKeyOf(a), groupKeyOf(b));
    assert.throws(() => checkGroup([a, b]), (e: Error) => e instanceof ConfigError && message.test(e.message) && !e.message.includes("\n"));
  }
  const sameGroup = resolveTrainConfig({ ...BASE, learningRate: 3e-3, seed: 8, schedule: { kind: "wsd", warmup: { steps: 1 } } });
  assert.equal(groupKeyOf(a), groupKeyOf(sameGroup));
  checkGroup([a, sameGroup]);
  const max = maxGroupRuns(a);
  assert.ok(max >= 20, `the fixture's tiny runs fit many to a group (${max})`);
  const tooMany = new RegExp(`^group: .*at most ${max}.*--group ${max}`);
  assert.throws(() => checkGroup(Array.from({ length: max + 1 }, () => a)), (e: Error) => e instanceof ConfigError && tooMany.test(e.message));
});

test("maxGroupRuns follows activation memory: a 4× bigger step fits about 4× fewer runs", () => {
  const small = resolveTrainConfig({ ...BASE, batchTokens: 1024, tokens: 4096 });
  const big = resolveTrainConfig({ ...BASE, batchTokens: 4096, tokens: 4096 });
  const ratio = maxGroupRuns(small) / maxGroupRuns(big);
  assert.ok(ratio > 3.5 && ratio < 4.5, `ratio ${ratio}`);
});
