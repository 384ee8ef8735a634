import type { TrainConfig } from "./config";
import { activationBytesPerToken, MICRO_BATCH_BYTES, microBatchSizes } from "./validate";
import { builtParams } from "../model/count";
import { ConfigError } from "../util/errors";
import { canonicalJson } from "../util/hash";

/**
 * Which runs may train together as one group (lib/train/train's runs axis), and how many fit. Runs
 * of a group share every setting but their own learning rate, schedule and seed: the same shape,
 * sequence, batch tokens and token count (so the same steps and micro-batches), optimizer, init,
 * corpus, backend and evaluation. Pure: lib/sweep groups plans with the same key.
 */

/** The config fields each run of a group keeps for itself. */
export const PER_RUN_FIELDS = ["learningRate", "schedule", "seed"] as const;

/** Everything a group's runs must share, as a stable string: runs with equal keys can train together. */
export function groupKeyOf(config: TrainConfig): string {
  const shared: Record<string, unknown> = { ...config };
  for (const f of PER_RUN_FIELDS) delete shared[f];
  return canonicalJson(shared);
}

/** The first shared field in which `b` differs from `a`, or undefined when they can train together. */
export function differingField(a: TrainConfig, b: TrainConfig): string | undefined {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !(PER_RUN_FIELDS as readonly string[]).includes(k)).sort();
  return keys.find((k) => canonicalJson((a as Record<string, unknown>)[k]) !== canonicalJson((b as Record<string, unknown>)[k]));
}

/**
 * Memory for the parameters of one run: parameters, their gradient and its micro-batch
 * accumulator, and AdamW's two moments, float32 (5 copies × 4 bytes).
 */
export const PARAM_COPY_BYTES = 5 * 4;

/** Budget for all runs' parameter copies: with MICRO_BATCH_BYTES of activations, well under the 4 GB wasm32 heap. */
export const GROUP_PARAM_BYTES = 1.2e9;

/** Most runs of this config that one group holds: the activations of a micro-batch and the parameter copies of every run fit their budgets. */
export function maxGroupRuns(config: Pick<TrainConfig, "shape" | "batchTokens" | "microBatchTokens">): number {
  const microTokens = Math.max(...microBatchSizes(config)) * config.shape.seq;
  const activation = activationBytesPerToken(config) * microTokens;
  const params = builtParams(config.shape) * PARAM_COPY_BYTES;
  return Math.max(1, Math.floor(Math.min(MICRO_BATCH_BYTES / activation, GROUP_PARAM_BYTES / params)));
}

/** Throws a one-line ConfigError (field `runs[i].<field>` or `group`) when `configs` cannot train as one group. */
export function checkGroup(configs: readonly TrainConfig[]): void {
  const first = configs[0];
  if (!first) throw new ConfigError("no runs", "runs", "pass at least one run config");
  configs.forEach((c, i) => {
    const field = differingField(first, c);
    if (field !== undefined) {
      throw new ConfigError(
        `${field} differs from runs[0].${field}, so the runs cannot train in one group`,
        `runs[${i}].${field}`,
        `group only runs that differ in ${PER_RUN_FIELDS.join(", ")} (sweeps group them automatically), or train them apart`,
      );
    }
  });
  const max = maxGroupRuns(first);
  if (configs.length > max) {
    throw new ConfigError(
      `${configs.length} runs of shape ${first.shape.layers}×${first.shape.dModel} at ${first.batchTokens} tokens per step exceed the memory of one group (at most ${max})`,
      "group",
      `train at most ${max} runs per group (--group ${max})`,
    );
  }
}
