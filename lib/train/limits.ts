import type { ModelShape } from "../model/shape";
import { builtParams, modelScaleExact } from "../model/count";
import { ConfigError } from "../util/errors";

/**
 * Limits checked before any allocation or step: a run whose weights and optimizer state cannot fit
 * in memory, whose one sequence's activations exceed a micro-batch, or whose steps could not finish
 * in a human lifetime is refused with the number that was too large and the largest that would run.
 * Pure: the bounds are constants with their reasons.
 */

/** Bytes of training state per parameter: float32 weight, gradient and AdamW's two moments. */
export const STATE_BYTES_PER_PARAM = 16;
/** Training state must fit the 4 GiB wasm32 heap with room for activations (performance.md). */
export const MAX_STATE_BYTES = 3e9;
/** One sequence's activations must fit one micro-batch (validate.ts MICRO_BATCH_BYTES): a sequence is never split. */
export const MAX_SEQUENCE_ACTIVATION_BYTES = 1.2e9;
/** Every step's loss is kept until the run ends (~100 B each); 1e8 steps is also > 11 days at 10 ms a step. */
export const MAX_STEPS = 1e8;
/** FLOPs a run may take: 100 years at 1e15 FLOP/s, far beyond any device this trains on. */
export const MAX_RUN_FLOPS = 1e15 * 100 * 365.25 * 86_400;

/** Float32 activations kept per token for the backward pass (bytes). */
export function activationBytesPerToken(shape: ModelShape): number {
  const { layers, dModel: d, ffn, heads, seq, vocab } = shape;
  return 4 * (layers * (16 * d + 5 * ffn + 3 * heads * seq) + 3 * vocab);
}

/** Why a shape cannot be held in memory, or undefined when it can. */
function memoryProblem(shape: ModelShape): string | undefined {
  const state = STATE_BYTES_PER_PARAM * builtParams(shape);
  if (!(state <= MAX_STATE_BYTES)) return `${builtParams(shape).toExponential(3)} parameters need ${(state / 1e9).toPrecision(3)} GB of weights and optimizer state (limit ${MAX_STATE_BYTES / 1e9} GB)`;
  const perSequence = activationBytesPerToken(shape) * shape.seq;
  if (!(perSequence <= MAX_SEQUENCE_ACTIVATION_BYTES)) return `one sequence needs ${(perSequence / 1e9).toPrecision(3)} GB of activations (limit ${MAX_SEQUENCE_ACTIVATION_BYTES / 1e9} GB)`;
  return undefined;
}

/** Shape fields a limit can name, with how each scales the fields that follow it. */
const SIZE_FIELDS = ["layers", "dModel", "ffn", "seq", "vocab"] as const;

/** The largest value of `field` (others fixed, ffn following dModel's ratio) that fits in memory; 0 when none does. */
function largestFitting(shape: ModelShape, field: (typeof SIZE_FIELDS)[number]): number {
  const ratio = shape.ffn / shape.dModel;
  const at = (v: number): ModelShape => (field === "dModel" ? { ...shape, dModel: v, ffn: Math.ceil(ratio * v) } : { ...shape, [field]: v });
  let lo = 0;
  let hi = shape[field];
  // Counts grow monotonically in every field: bisect on integers (≤ 60 steps for any finite input).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (memoryProblem(at(mid)) === undefined) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Refuse a shape that cannot be trained in memory, naming the field to shrink: of the fields that
 * alone can make it fit, the one furthest above its largest fitting value (e.g. layers 1e6 over 3,706).
 */
export function checkShapeLimits(shape: ModelShape, root = "shape"): void {
  const problem = memoryProblem(shape);
  if (problem === undefined) return;
  const fields = SIZE_FIELDS.filter((f) => f !== "ffn").map((field) => ({ field, largest: largestFitting(shape, field) }));
  const alone = fields.filter((f) => f.largest >= 1).sort((a, b) => shape[b.field] / b.largest - shape[a.field] / a.largest);
  const best = alone[0];
  if (!best) throw new ConfigError(`the shape is too large: ${problem}`, root, "no single field fits shrunk alone: shrink several (layers, dModel, seq, vocab)");
  throw new ConfigError(`${best.field} ${shape[best.field]} is too large: ${problem}`, `${root}.${best.field}`, `the largest ${best.field} that fits with the rest unchanged is ${best.largest}`);
}

/** Refuse a token count whose steps or FLOPs could not finish; names the largest token count that would. */
export function checkRunLimits(shape: ModelShape, tokens: number, batchTokens: number): void {
  const steps = tokens / batchTokens;
  const flops = modelScaleExact(shape) * tokens;
  const maxTokens = Math.min(MAX_STEPS * batchTokens, MAX_RUN_FLOPS / modelScaleExact(shape));
  if (steps > MAX_STEPS) {
    throw new ConfigError(`tokens ${tokens} is ${steps.toExponential(3)} steps of ${batchTokens} (limit ${MAX_STEPS.toExponential(0)} steps)`, "tokens", `train at most ${Math.floor(maxTokens)} tokens, or raise batchTokens`);
  }
  if (flops > MAX_RUN_FLOPS) {
    throw new ConfigError(`tokens ${tokens} is ${flops.toExponential(3)} FLOPs (limit ${MAX_RUN_FLOPS.toExponential(2)}: 100 years at 1e15 FLOP/s)`, "tokens", `train at most ${Math.floor(maxTokens)} tokens`);
  }
}
