import { test } from "node:test";
import assert from "node:assert/strict";
import { learningRateAt, warmupSteps, DEEPSEEK_MULTISTEP_STAGES, type Schedule } from "../../lib/train/schedule";
import { trainConfigSchema } from "../../lib/train/config";
import { ConfigError } from "../../lib/util/errors";

/** Closed-form values computed in double precision; only rounding in the last bits may differ. */
const EXACT = 1e-12;
const PEAK = 1e-3;
const BATCH = 4096;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= EXACT * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

const lr = (s: Schedule, step: number, total: number): number => learningRateAt(s, step, total, PEAK, BATCH);

test("warmupSteps(warmup, totalSteps, batchTokens) resolves steps, tokens and fraction, clamped to the run", () => {
  assert.equal(warmupSteps({ steps: 20 }, 1000, BATCH), 20);
  assert.equal(warmupSteps({ steps: 2000 }, 1000, BATCH), 1000);
  assert.equal(warmupSteps({ tokens: 10 * BATCH }, 1000, BATCH), 10);
  assert.equal(warmupSteps({ tokens: 10 * BATCH + 1 }, 1000, BATCH), 11);
  assert.equal(warmupSteps({ fraction: 0.05 }, 1000, BATCH), 50);
  assert.equal(warmupSteps({ fraction: 0.05 }, 10, BATCH), 1);
  assert.equal(warmupSteps({ fraction: 0 }, 10, BATCH), 0);
});

test("warmupSteps(default schedule) is 5% of the run, so a 200-step run still reaches its peak", () => {
  const { schedule } = trainConfigSchema.parse({
    shape: { layers: 2, dModel: 32, heads: 2, kvHeads: 2, ffn: 96, seq: 64, vocab: 256 },
    tokens: 1e6,
    batchTokens: BATCH,
    learningRate: PEAK,
  });
  assert.equal(schedule.kind, "multistep");
  assert.equal(warmupSteps(schedule.warmup, 200, BATCH), 10);
  close(lr(schedule, 9, 200), PEAK, "end of warmup");
});

test("learningRateAt(multistep) ramps linearly, holds the peak until 80% of tokens, then 31.6% until 90%, then 10%", () => {
  const s: Schedule = { kind: "multistep", warmup: { steps: 10 } };
  close(lr(s, 0, 1000), PEAK / 10, "first warmup step");
  close(lr(s, 4, 1000), PEAK / 2, "mid warmup");
  close(lr(s, 9, 1000), PEAK, "last warmup step");
  close(lr(s, 10, 1000), PEAK, "after warmup");
  close(lr(s, 799, 1000), PEAK, "just before 80%");
  close(lr(s, 800, 1000), 0.316 * PEAK, "at 80%");
  close(lr(s, 850, 1000), 0.316 * PEAK, "between 80% and 90%");
  close(lr(s, 899, 1000), 0.316 * PEAK, "just before 90%");
  close(lr(s, 900, 1000), 0.1 * PEAK, "at 90%");
  close(lr(s, 999, 1000), 0.1 * PEAK, "last step");
  close(lr(s, 5000, 1000), 0.1 * PEAK, "past the end");
  assert.deepEqual(DEEPSEEK_MULTISTEP_STAGES, [[0.8, 0.316], [0.9, 0.1]]);
});

test("learningRateAt(multistep) puts the stage breaks at the step where 80%/90% of tokens have been seen on odd run lengths", () => {
  const s: Schedule = { kind: "multistep", warmup: { steps: 0 } };
  // 37 steps: 0.8·37 = 29.6 → the first step with ≥ 29.6 steps seen is 30; 0.9·37 = 33.3 → 34.
  close(lr(s, 29, 37), PEAK, "step 29");
  close(lr(s, 30, 37), 0.316 * PEAK, "step 30");
  close(lr(s, 33, 37), 0.316 * PEAK, "step 33");
  close(lr(s, 34, 37), 0.1 * PEAK, "step 34");
});

test("learningRateAt(multistep with custom stages) follows the given stages and rejects unordered ones", () => {
  const s: Schedule = { kind: "multistep", warmup: { steps: 0 }, stages: [[0.5, 0.5], [0.75, 0.25]] };
  close(lr(s, 49, 100), PEAK, "before 50%");
  close(lr(s, 50, 100), 0.5 * PEAK, "at 50%");
  close(lr(s, 75, 100), 0.25 * PEAK, "at 75%");
  const bad: Schedule = { kind: "multistep", warmup: { steps: 0 }, stages: [[0.9, 0.1], [0.8, 0.316]] };
  assert.throws(() => lr(bad, 0, 100), (e: unknown) => e instanceof ConfigError && /schedule\.stages\[1\]/.test(e.message));
});

test("learningRateAt(cosine) goes from peak after warmup through the midpoint to finalFraction", () => {
  const s: Schedule = { kind: "cosine", warmup: { steps: 100 }, finalFraction: 0.1 };
  close(lr(s, 49, 1100), PEAK / 2, "mid warmup");
  close(lr(s, 100, 1100), PEAK, "first step after warmup");
  close(lr(s, 600, 1100), PEAK * (0.1 + 0.9 * 0.5), "midpoint of the decay");
  close(lr(s, 350, 1100), PEAK * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4))), "quarter of the decay");
  close(lr(s, 1100, 1100), 0.1 * PEAK, "end of the run");
  assert.ok(lr(s, 1099, 1100) > 0.1 * PEAK && lr(s, 1099, 1100) < 0.1001 * PEAK, "last step is just above the floor");
});

test("learningRateAt(wsd) is stable at peak, then decays linearly over the last decayFraction to finalFraction", () => {
  const s: Schedule = { kind: "wsd", warmup: { fraction: 0.1 }, decayFraction: 0.2, finalFraction: 0 };
  close(lr(s, 0, 1000), PEAK / 100, "first warmup step");
  close(lr(s, 99, 1000), PEAK, "end of warmup");
  close(lr(s, 799, 1000), PEAK, "last stable step");
  close(lr(s, 800, 1000), PEAK, "decay starts at peak");
  close(lr(s, 900, 1000), PEAK / 2, "half way through the decay");
  close(lr(s, 950, 1000), PEAK / 4, "three quarters through the decay");
  close(lr(s, 1000, 1000), 0, "end of the run");
});

test("learningRateAt(constant) is the peak after warmup; warmup in tokens depends on the batch size", () => {
  const s: Schedule = { kind: "constant", warmup: { tokens: 8 * BATCH } };
  close(lr(s, 3, 100), PEAK / 2, "mid warmup");
  close(lr(s, 8, 100), PEAK, "after warmup");
  close(lr(s, 99, 100), PEAK, "last step");
  close(learningRateAt(s, 3, 100, PEAK, 2 * BATCH), PEAK, "half the warmup steps at twice the batch");
});

test("learningRateAt(schedule, …) rejects a non-integer step and an empty run, naming the argument", () => {
  const s: Schedule = { kind: "constant", warmup: { steps: 0 } };
  assert.throws(() => lr(s, 1.5, 10), (e: unknown) => e instanceof ConfigError && e.message.startsWith("step:"));
  assert.throws(() => lr(s, 0, 0), (e: unknown) => e instanceof ConfigError && e.message.startsWith("totalSteps:"));
  assert.throws(() => learningRateAt(s, 0, 10, Number.NaN, BATCH), (e: unknown) => e instanceof ConfigError && e.message.startsWith("learningRate:"));
});
