import { z } from "zod";
import { runResultSchema, type RunResult, type TrainConfig } from "../train/config";
import { designCellSchema, type RunPlan } from "./expand";

/**
 * What the results store keeps per run: the RunResult of `train` plus where the run sits in its
 * experiment. A run that never returned (its process crashed, or train threw) is still a record,
 * with status `failed` and the error.
 */

export const runRecordSchema = runResultSchema.extend({
  /** Content key: contentKey({config, codeVersion}). */
  key: z.string().min(1),
  experiment: z.string().min(1),
  codeVersion: z.string().min(1),
  cell: designCellSchema,
  /** C = M·D planned (whole steps), FLOPs; `compute` is what was actually trained. */
  realisedCompute: z.number().positive(),
  /** Processes started for this run (1 + retries). */
  attempts: z.number().int().positive(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/**
 * At most this many points of a run's per-step training curve are stored: enough for a loss-curve
 * figure (no fit, figure or notebook reads more; the final loss and the evaluations, kept whole, are
 * computed from the full curve before thinning). Every step made a 1e12-FLOP run's record 1.4 MB of
 * JSON; 64 points keep a record near 7 kB and the 692 committed records near 5 MB.
 */
export const STORED_CURVE_POINTS = 64;

/** Every k-th point (k the smallest stride that fits `maxPoints`), always including the last one. */
export function thinCurve<T>(curve: readonly T[], maxPoints: number = STORED_CURVE_POINTS): T[] {
  if (curve.length <= maxPoints) return [...curve];
  const stride = Math.ceil((curve.length - 1) / (maxPoints - 1));
  const kept = curve.filter((_, i) => i % stride === 0);
  if ((curve.length - 1) % stride !== 0) kept.push(curve[curve.length - 1]!);
  return kept;
}

/** A finished run as a record (its curve thinned to STORED_CURVE_POINTS). */
export function recordOf(plan: RunPlan, result: RunResult, codeVersion: string, attempts: number): RunRecord {
  return {
    ...result,
    curve: thinCurve(result.curve),
    key: plan.key,
    experiment: plan.experiment,
    codeVersion,
    cell: plan.cell,
    realisedCompute: plan.realisedCompute,
    attempts,
  };
}

/** The record of a run that failed every attempt. */
export function failedRecord(plan: RunPlan, error: string, codeVersion: string, attempts: number, wallSeconds: number): RunRecord {
  const config: TrainConfig = plan.config;
  return {
    schemaVersion: 1,
    config,
    status: "failed",
    error,
    modelScale: plan.modelScale,
    compute: 0,
    tokens: 0,
    steps: 0,
    loss: null,
    bitsPerByte: null,
    curve: [],
    evals: [],
    wallSeconds,
    tokensPerSecond: 0,
    backend: { name: config.backend, skipped: {} },
    seed: config.seed,
    key: plan.key,
    experiment: plan.experiment,
    codeVersion,
    cell: plan.cell,
    realisedCompute: plan.realisedCompute,
    attempts,
  };
}
