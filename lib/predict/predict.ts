import type { Interval } from "../fit/types";
import { percentileInterval } from "../fit/sample";
import type { LawName, Laws, PowerLawSpec } from "../laws/lawsFile";
import { deepseekLaws } from "../laws/lawsFile";
import type { ReferenceModel } from "../laws/reference";
import { modelScaleExact } from "../model/count";
import { familyOf, PAPER_FAMILY, searchShape, type ShapeFamily, type ShapeMatch } from "../model/search";
import type { ModelShape } from "../model/shape";
import { ConfigError } from "../util/errors";

/**
 * Predictions from scaling laws: for a compute budget C (or a shape and tokens, C = M_exact·D),
 * the near-optimal batch and peak learning rate (Eq. 1 form), the compute-optimal M and D (Eq. 4
 * form) and a concrete shape for M_opt. Intervals come from the laws' draws or intervals.
 */

/** Central coverage of prediction intervals computed from bootstrap draws. */
export const PREDICTION_CONFIDENCE = 0.95;

/** What to predict for: a budget, or a model and its training tokens. */
export type PredictionTarget =
  | { readonly compute: number }
  | { readonly shape: ModelShape; readonly tokens: number };

export interface PredictOptions {
  /** Laws to apply. Default: DeepSeek Eq. 1 and Eq. 4 (`deepseekLaws`). */
  readonly laws?: Laws;
  /** Family the M_opt shape is searched in. Default: the given shape's family (`familyOf`), else `PAPER_FAMILY`. */
  readonly family?: ShapeFamily;
  /** Tokens per sequence for `batchSequences`. Default: the target shape's seq, else the family's. */
  readonly seq?: number;
}

export interface Prediction {
  /** C, non-embedding training FLOPs. */
  readonly compute: number;
  /** B_opt in tokens per step (null when the laws have no `batch`). */
  readonly batchTokens: number | null;
  /** B_opt / seq, in sequences (fractional: round to what the hardware takes). */
  readonly batchSequences: number | null;
  /** η_opt, peak learning rate. */
  readonly learningRate: number | null;
  /** M_opt, non-embedding FLOPs per token. */
  readonly modelScale: number | null;
  /** D_opt, training tokens. */
  readonly tokens: number | null;
  /** The family's shape nearest M_opt (null without a `modelScale` law). */
  readonly shape: ShapeMatch | null;
  /** Tokens per sequence used for batchSequences. */
  readonly seq: number;
  /** Intervals of the laws at C (where the mean line is), present only when the laws carry draws or intervals. */
  readonly intervals: Partial<Record<PredictedKey, Interval>>;
  /**
   * Prediction intervals: where a budget's own optimum at C will lie (the law's uncertainty plus the
   * budgets' scatter about it), present only for laws fitted with a scatter estimate (`predictionDraws`).
   */
  readonly predictionIntervals: Partial<Record<PredictedKey, Interval>>;
}

export type PredictedKey = "batchTokens" | "batchSequences" | "learningRate" | "modelScale" | "tokens";

/** y = a·C^b at one budget, with its interval: percentile over paired draws, else the box corners. */
export function evaluateLaw(law: PowerLawSpec, compute: number): { value: number; interval?: Interval; prediction?: Interval } {
  const value = law.coefficient * compute ** law.exponent;
  if (law.draws && law.draws.coefficient.length > 0) {
    const ys = law.draws.coefficient.map((a, i) => a * compute ** law.draws!.exponent[i]!);
    const interval = percentileInterval(ys, PREDICTION_CONFIDENCE, value);
    const offsets = law.predictionDraws;
    if (!offsets) return { value, interval };
    return { value, interval, prediction: percentileInterval(ys.map((y, i) => y * Math.exp(offsets[i]!)), PREDICTION_CONFIDENCE, value) };
  }
  if (law.interval) {
    // y is monotone in a (a > 0) and in b, so its extremes over the box sit at the corners.
    const corners = law.interval.coefficient.flatMap((a) => law.interval!.exponent.map((b) => a * compute ** b));
    return { value, interval: [Math.min(...corners), Math.max(...corners)] };
  }
  return { value };
}

function requirePositive(value: number, field: string, hint: string): void {
  if (!(Number.isFinite(value) && value > 0)) throw new ConfigError(`${value} is not a positive number`, field, hint);
}

/** The budget of a target: C itself, or M_exact(shape)·D. */
export function computeOfTarget(target: PredictionTarget): number {
  if ("compute" in target) {
    requirePositive(target.compute, "--compute", "pass C in non-embedding FLOPs, e.g. 1e20");
    return target.compute;
  }
  requirePositive(target.tokens, "--tokens", "pass D in tokens, e.g. 2e12");
  return modelScaleExact(target.shape) * target.tokens;
}

/** Predict the settings for a budget under `laws` (default DeepSeek's). */
export function predict(target: PredictionTarget, options: PredictOptions = {}): Prediction {
  const laws = options.laws ?? deepseekLaws;
  const compute = computeOfTarget(target);
  const given = "shape" in target ? target.shape : undefined;
  const family = options.family ?? (given ? familyOf(given) : PAPER_FAMILY);
  const seq = options.seq ?? given?.seq ?? family.seq;
  requirePositive(seq, "--seq", "pass the sequence length in tokens, e.g. 4096");

  const intervals: Record<string, Interval> = {};
  const predictionIntervals: Record<string, Interval> = {};
  const at = (name: LawName): number | null => {
    const law = laws[name];
    if (!law) return null;
    const { value, interval, prediction } = evaluateLaw(law, compute);
    if (interval) intervals[name === "batch" ? "batchTokens" : name] = interval;
    if (prediction) predictionIntervals[name === "batch" ? "batchTokens" : name] = prediction;
    return value;
  };
  const batchTokens = at("batch");
  const learningRate = at("learningRate");
  const modelScale = at("modelScale");
  const tokens = at("tokens");
  if (intervals.batchTokens) intervals.batchSequences = [intervals.batchTokens[0] / seq, intervals.batchTokens[1] / seq];
  if (predictionIntervals.batchTokens) predictionIntervals.batchSequences = [predictionIntervals.batchTokens[0] / seq, predictionIntervals.batchTokens[1] / seq];
  return {
    compute,
    batchTokens,
    batchSequences: batchTokens === null ? null : batchTokens / seq,
    learningRate,
    modelScale,
    tokens,
    shape: modelScale === null ? null : searchShape(modelScale, family),
    seq,
    intervals,
    predictionIntervals,
  };
}

/** A reference model's actual settings against the laws' predictions at its own budget. */
export interface ReferenceComparison {
  readonly name: string;
  /** C = M_exact · D of the reference model. */
  readonly compute: number;
  readonly actual: { readonly batchTokens: number; readonly batchSequences: number; readonly learningRate: number; readonly modelScale: number; readonly tokens: number };
  readonly predicted: Prediction;
  /** actual / predicted for each quantity the laws predict (null where they do not). */
  readonly ratio: { readonly batchTokens: number | null; readonly learningRate: number | null; readonly modelScale: number | null; readonly tokens: number | null };
}

export function compareReference(ref: ReferenceModel, laws: Laws = deepseekLaws): ReferenceComparison {
  const predicted = predict({ shape: ref.shape, tokens: ref.tokens }, { laws });
  const actual = {
    batchTokens: ref.batchTokens,
    batchSequences: ref.batchSequences,
    learningRate: ref.learningRate,
    modelScale: modelScaleExact(ref.shape),
    tokens: ref.tokens,
  };
  const ratio = (a: number, p: number | null): number | null => (p === null ? null : a / p);
  return {
    name: ref.name,
    compute: predicted.compute,
    actual,
    predicted,
    ratio: {
      batchTokens: ratio(actual.batchTokens, predicted.batchTokens),
      learningRate: ratio(actual.learningRate, predicted.learningRate),
      modelScale: ratio(actual.modelScale, predicted.modelScale),
      tokens: ratio(actual.tokens, predicted.tokens),
    },
  };
}
