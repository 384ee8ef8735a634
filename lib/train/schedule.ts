import { ConfigError } from "../util/errors";
import type { TrainConfig } from "./config";

/**
 * Learning-rate schedules as pure functions of the step: `learningRateAt(schedule, step, …)` is the
 * rate used by the optimizer update at 0-based `step` of a run of `totalSteps` steps.
 *
 * Every schedule starts with a linear warmup from peak/W to peak over W steps (so the first update is
 * never zero), then follows its body. Position in the body is measured in tokens seen before the step,
 * `step · batchTokens`, as a fraction of the run's `totalSteps · batchTokens` — with a constant batch
 * this equals step/totalSteps, but the paper states the breakpoints in tokens.
 */

export type Schedule = TrainConfig["schedule"];
export type Warmup = Schedule["warmup"];

/**
 * DeepSeek LLM §2.3 multi-step schedule: after 80% of the training tokens the rate drops to 31.6% of
 * the peak, after 90% to 10% of the peak. Entries are [fraction of tokens, multiple of peak].
 */
export const DEEPSEEK_MULTISTEP_STAGES: ReadonlyArray<readonly [number, number]> = [
  [0.8, 0.316],
  [0.9, 0.1],
];

/** Relative slack when comparing tokens seen with fraction · D, so 0.7999…·D rounding cannot delay a stage by a step. */
const FRACTION_SLACK = 1e-12;

/**
 * Warmup length in optimizer steps, clamped to the run.
 *
 * - `{steps}`: as given.
 * - `{tokens}`: ceil(tokens / batchTokens), so a token budget survives a change of batch size.
 * - `{fraction}`: ceil(fraction · totalSteps). This is the default (5%) because the paper's 2000
 *   warmup steps (§2.3) belong to runs of ~1e5 steps; our CPU sweeps run 10²–10⁴ steps, where 2000
 *   steps would be most or all of the run and the schedule would never reach its peak.
 */
export function warmupSteps(warmup: Warmup, totalSteps: number, batchTokens: number): number {
  checkRun(totalSteps, batchTokens);
  let steps: number;
  if ("steps" in warmup) steps = warmup.steps;
  else if ("tokens" in warmup) steps = Math.ceil(warmup.tokens / batchTokens);
  else steps = Math.ceil(warmup.fraction * totalSteps);
  if (!Number.isFinite(steps) || steps < 0) {
    throw new ConfigError(`warmup resolves to ${steps} steps`, "schedule.warmup", "give a non-negative steps, tokens or fraction");
  }
  return Math.min(steps, totalSteps);
}

/** Learning rate for the update at 0-based `step` (steps past the end use the final rate). */
export function learningRateAt(schedule: Schedule, step: number, totalSteps: number, peak: number, batchTokens: number): number {
  if (!Number.isInteger(step) || step < 0) throw new ConfigError(`step must be a non-negative integer, got ${step}`, "step");
  if (!(peak > 0) || !Number.isFinite(peak)) throw new ConfigError(`peak must be positive and finite, got ${peak}`, "learningRate");
  const warm = warmupSteps(schedule.warmup, totalSteps, batchTokens);
  if (step < warm) return (peak * (step + 1)) / warm;
  return peak * bodyFactor(schedule, step, totalSteps, warm, batchTokens);
}

/** The schedule's multiple of the peak after warmup. */
function bodyFactor(schedule: Schedule, step: number, totalSteps: number, warm: number, batchTokens: number): number {
  const s = Math.min(step, totalSteps);
  switch (schedule.kind) {
    case "constant":
      return 1;
    case "multistep": {
      const tokensSeen = s * batchTokens;
      const totalTokens = totalSteps * batchTokens;
      let factor = 1;
      for (const [fraction, multiple] of resolveStages(schedule.stages)) {
        if (tokensSeen * (1 + FRACTION_SLACK) >= fraction * totalTokens) factor = multiple;
      }
      return factor;
    }
    case "cosine": {
      // Cosine from peak (first step after warmup) towards finalFraction at the end of the run.
      const progress = totalSteps > warm ? (s - warm) / (totalSteps - warm) : 1;
      const final = schedule.finalFraction;
      return final + (1 - final) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case "wsd": {
      // Stable at peak, then linear to finalFraction over the last decayFraction of the steps.
      const decayStart = Math.max(warm, totalSteps * (1 - schedule.decayFraction));
      if (s < decayStart) return 1;
      const progress = totalSteps > decayStart ? (s - decayStart) / (totalSteps - decayStart) : 1;
      return 1 - (1 - schedule.finalFraction) * progress;
    }
  }
}

/** The multistep stages, checked: fractions strictly increasing within [0, 1]. */
function resolveStages(stages: ReadonlyArray<readonly [number, number]> | undefined): ReadonlyArray<readonly [number, number]> {
  const list = stages ?? DEEPSEEK_MULTISTEP_STAGES;
  for (let i = 1; i < list.length; i++) {
    if (list[i]![0] <= list[i - 1]![0]) {
      throw new ConfigError("stage fractions must increase", `schedule.stages[${i}]`, "list stages in order of their token fraction");
    }
  }
  return list;
}

function checkRun(totalSteps: number, batchTokens: number): void {
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new ConfigError(`totalSteps must be a positive integer, got ${totalSteps}`, "totalSteps", "train at least one step");
  }
  if (!(batchTokens > 0) || !Number.isFinite(batchTokens)) {
    throw new ConfigError(`batchTokens must be positive and finite, got ${batchTokens}`, "batchTokens");
  }
}
