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

/** A finished run as a record. */
export function recordOf(plan: RunPlan, result: RunResult, codeVersion: string, attempts: number): RunRecord {
  return {
    ...result,
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
