import { trainConfigSchema, type TrainConfig } from "./config";
import { parseBuildableShape } from "../model/shape";
import { ConfigError, configErrorFromIssues } from "../util/errors";
import { activationBytesPerToken as shapeActivationBytesPerToken, checkRunLimits, checkShapeLimits } from "./limits";

/**
 * Resolve a training config once: schema defaults, then the checks a trainable run needs. Every
 * error names the dotted field and the fix. The result is frozen (never the caller's object).
 */
export function resolveTrainConfig(input: unknown): TrainConfig {
  const parsed = trainConfigSchema.safeParse(input);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues);
  const config = parsed.data;
  const shape = parseBuildableShape(config.shape, "shape");
  // Before anything allocates: weights, optimizer state and one sequence's activations fit in memory.
  checkShapeLimits(shape);
  const headSize = shape.dModel / shape.heads;
  if (headSize % 2 !== 0) {
    throw new ConfigError(`head size ${headSize} (dModel/heads) is odd`, "shape.heads", "rotary embeddings rotate pairs: choose heads so that dModel/heads is even");
  }
  const { batchTokens, tokens } = config;
  if (!Number.isInteger(batchTokens) || batchTokens % shape.seq !== 0 || batchTokens < shape.seq) {
    throw new ConfigError(
      `batchTokens ${batchTokens} is not a positive multiple of seq ${shape.seq}`,
      "batchTokens",
      `use a multiple of ${shape.seq}, e.g. ${Math.max(1, Math.round(batchTokens / shape.seq)) * shape.seq}`,
    );
  }
  if (tokens < batchTokens) {
    throw new ConfigError(`tokens ${tokens} is less than one step of ${batchTokens}`, "tokens", `train at least ${batchTokens} tokens or lower batchTokens`);
  }
  checkRunLimits(shape, tokens, batchTokens);
  const micro = config.microBatchTokens;
  if (micro !== undefined && micro < shape.seq) {
    throw new ConfigError(`microBatchTokens ${micro} is less than one sequence of ${shape.seq}`, "microBatchTokens", `use at least ${shape.seq}`);
  }
  return Object.freeze({ ...config, shape });
}

/** Rough float32 activation memory kept per token for the backward pass (bytes), used to split batches. */
export function activationBytesPerToken(config: Pick<TrainConfig, "shape">): number {
  return shapeActivationBytesPerToken(config.shape);
}

/** Activation budget of one micro-batch: well under the 4 GB wasm32 heap (performance.md). */
export const MICRO_BATCH_BYTES = 1.2e9;

/** Sequences per micro-batch: the configured cap, or as many as fit the activation budget. */
export function microBatchSizes(config: Pick<TrainConfig, "shape" | "batchTokens" | "microBatchTokens">): number[] {
  const seqs = config.batchTokens / config.shape.seq;
  const capTokens = config.microBatchTokens ?? MICRO_BATCH_BYTES / activationBytesPerToken(config);
  const cap = Math.max(1, Math.floor(capTokens / config.shape.seq));
  const parts = Math.ceil(seqs / cap);
  // Even split: sizes differ by at most one sequence.
  return Array.from({ length: parts }, (_, i) => Math.floor(((i + 1) * seqs) / parts) - Math.floor((i * seqs) / parts));
}
