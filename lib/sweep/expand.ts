import { z } from "zod";
import { modelScaleExact } from "../model/count";
import type { ModelShape } from "../model/shape";
import type { TrainConfig, TrainConfigInput } from "../train/config";
import { resolveTrainConfig } from "../train/validate";
import { ConfigError } from "../util/errors";
import { contentKey } from "../util/hash";
import { searchShape } from "../model/search";
import type { PowerLawSpec } from "../laws/lawsFile";
import type { ResolvedSpec } from "./resolve";
import type { AxisSpec } from "./spec";

/**
 * Pure expansion of a resolved spec into runs: every (budget, grid cell, seed) becomes a resolved
 * TrainConfig with whole steps and whole sequences, its realised compute, and its content key.
 * Cells that cannot be realised come back in `skipped` with the reason; a budget left with no
 * run at all is a spec error.
 */

/** Bump when what a config trains changes meaning, so stored results are not reused. */
export const SWEEP_CODE_VERSION = "train-1";

/** A target M is matched only by a family shape within this factor (adjacent tiny widths differ by 2–3×). */
export const SHAPE_MATCH_FACTOR = 2;

/** Where a run sits in its design; stored with the record so properties are never parsed from names. */
export const designCellSchema = z
  .object({
    kind: z.enum(["hyperparams", "isoflop"]),
    /** Budget C, FLOPs. */
    budget: z.number().positive(),
    /** Grid coordinates: [budget, model scale, batch, learning rate] indices. */
    grid: z.array(z.number().int().nonnegative()),
    /** The M, B and η the design asked for, before rounding to a shape, whole sequences and steps. */
    targetModelScale: z.number().positive(),
    targetBatchTokens: z.number().positive(),
    targetLearningRate: z.number().positive(),
    seed: z.number().int().nonnegative(),
  })
  .strict();
export type DesignCell = z.infer<typeof designCellSchema>;

export interface RunPlan {
  /** contentKey({config, codeVersion}). */
  readonly key: string;
  readonly experiment: string;
  /** Experiments whose stored run with this key counts as this plan's (the spec's `reuse`). */
  readonly reuse: readonly string[];
  readonly cell: DesignCell;
  /** Fully resolved train config (defaults filled in). */
  readonly config: TrainConfig;
  /** M of the shape, FLOPs/token. */
  readonly modelScale: number;
  readonly steps: number;
  /** C = M·D actually trained, FLOPs. */
  readonly realisedCompute: number;
}

export interface SkippedCell {
  readonly cell: DesignCell;
  readonly reason: string;
}

export interface Expansion {
  readonly runs: readonly RunPlan[];
  readonly skipped: readonly SkippedCell[];
}

/** `count` log-spaced values in [min, max]. */
export function logSpace(min: number, max: number, count: number): number[] {
  if (count === 1) return [Math.sqrt(min * max)];
  return Array.from({ length: count }, (_, i) => min * Math.pow(max / min, i / (count - 1)));
}

/** y = coefficient · C^exponent */
export const evalLaw = (law: PowerLawSpec, compute: number): number => law.coefficient * Math.pow(compute, law.exponent);

function lawOf(spec: ResolvedSpec, ref: string, name: "batch" | "learningRate" | "modelScale"): PowerLawSpec {
  const law = spec.laws[ref]?.[name];
  if (!law) throw new Error(`resolved spec lacks law ${ref}.${name}`); // resolveSpec guarantees it
  return law;
}

function axisValues(spec: ResolvedSpec, axis: AxisSpec, name: "batch" | "learningRate", budget: number): number[] {
  if ("values" in axis) return [...axis.values];
  if ("law" in axis) {
    const centre = evalLaw(lawOf(spec, axis.law, name), budget);
    return axis.factors.map((f) => centre * f);
  }
  return logSpace(axis.min, axis.max, axis.count);
}

function scaleAt(spec: ResolvedSpec, choice: number | readonly number[] | { law: string; factor: number }, i: number, budget: number): number {
  if (typeof choice === "number") return choice;
  if (Array.isArray(choice)) return choice[i] as number;
  const c = choice as { law: string; factor: number };
  return evalLaw(lawOf(spec, c.law, "modelScale"), budget) * c.factor;
}

/** The realised run for one cell, or the reason it cannot be realised. */
function realise(spec: ResolvedSpec, cell: DesignCell, codeVersion: string): RunPlan | string {
  const shape: ModelShape = searchShape(cell.targetModelScale, { ...spec.family, seq: spec.seq, vocab: spec.vocab }).shape;
  const modelScale = modelScaleExact(shape);
  if (Math.abs(Math.log(modelScale / cell.targetModelScale)) > Math.log(SHAPE_MATCH_FACTOR)) {
    return `no shape of the family within ${SHAPE_MATCH_FACTOR}× of M = ${cell.targetModelScale.toExponential(3)} (nearest ${modelScale.toExponential(3)})`;
  }
  const sequences = Math.round(cell.targetBatchTokens / spec.seq);
  if (cell.targetBatchTokens < spec.seq || sequences < 1) {
    return `batch ${Math.round(cell.targetBatchTokens)} tokens is below one sequence of ${spec.seq}`;
  }
  const batchTokens = sequences * spec.seq;
  const steps = Math.round(cell.budget / (modelScale * batchTokens));
  if (steps < 1) return `budget ${cell.budget.toExponential(3)} is less than one step (${(modelScale * batchTokens).toExponential(3)} FLOPs)`;
  const realisedCompute = modelScale * batchTokens * steps;
  const error = Math.abs(realisedCompute / cell.budget - 1);
  if (error > spec.budgetTolerance) {
    return `realised C = ${realisedCompute.toExponential(3)} is ${(error * 100).toFixed(1)}% off the budget (tolerance ${(spec.budgetTolerance * 100).toFixed(1)}%; ${steps} steps)`;
  }
  const input: TrainConfigInput = {
    shape,
    tokens: steps * batchTokens,
    batchTokens,
    learningRate: cell.targetLearningRate,
    corpus: spec.corpus,
    backend: spec.backend,
    seed: cell.seed,
    ...(spec.schedule ? { schedule: spec.schedule } : {}),
    ...(spec.optimizer ? { optimizer: spec.optimizer } : {}),
    ...(spec.eval ? { eval: spec.eval } : {}),
  };
  let config: TrainConfig;
  try {
    config = resolveTrainConfig(structuredClone(input));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError(`the run config of grid [${cell.grid.join(",")}] is invalid: ${e.message}`, "spec", "fix the spec field that sets it");
  }
  return Object.freeze({
    key: contentKey({ config, codeVersion }),
    experiment: spec.name,
    reuse: spec.reuse,
    cell,
    config,
    modelScale,
    steps,
    realisedCompute,
  });
}

function designCells(spec: ResolvedSpec, budget: number, i: number, seed: number): DesignCell[] {
  const d = spec.design;
  if (d.kind === "hyperparams") {
    const m = scaleAt(spec, d.modelScale, i, budget);
    const bs = axisValues(spec, d.batchTokens, "batch", budget);
    const lrs = axisValues(spec, d.learningRate, "learningRate", budget);
    return bs.flatMap((b, j) =>
      lrs.map((lr, k) => ({ kind: "hyperparams" as const, budget, grid: [i, 0, j, k], targetModelScale: m, targetBatchTokens: b, targetLearningRate: lr, seed })),
    );
  }
  const centre = scaleAt(spec, d.centre, i, budget);
  const scales = logSpace(centre / Math.sqrt(d.span), centre * Math.sqrt(d.span), d.count);
  const b = evalLaw(lawOf(spec, d.hyperparams, "batch"), budget);
  const lr = evalLaw(lawOf(spec, d.hyperparams, "learningRate"), budget);
  return scales.map((m, j) => ({ kind: "isoflop" as const, budget, grid: [i, j, 0, 0], targetModelScale: m, targetBatchTokens: b, targetLearningRate: lr, seed }));
}

/** Every run of a resolved spec; throws ConfigError (at `spec.budgets[i]`) when a budget has no realisable run. */
export function expandSpec(spec: ResolvedSpec, codeVersion = SWEEP_CODE_VERSION): Expansion {
  const runs: RunPlan[] = [];
  const skipped: SkippedCell[] = [];
  const seen = new Map<string, RunPlan>();
  spec.budgets.forEach((budget, i) => {
    const before = runs.length;
    let firstReason: string | undefined;
    for (const seed of spec.seeds) {
      for (const cell of designCells(spec, budget, i, seed)) {
        const plan = realise(spec, cell, codeVersion);
        if (typeof plan === "string") {
          skipped.push({ cell, reason: plan });
          firstReason ??= plan;
          continue;
        }
        const twin = seen.get(plan.key);
        if (twin) {
          skipped.push({ cell, reason: `same run as grid [${twin.cell.grid.join(",")}] (key ${plan.key})` });
          continue;
        }
        seen.set(plan.key, plan);
        runs.push(plan);
      }
    }
    if (runs.length === before) {
      throw new ConfigError(`no cell at budget ${budget.toExponential(3)} can be realised (${firstReason ?? "empty grid"})`, `spec.budgets[${i}]`, "raise the budget or widen the model family");
    }
  });
  return Object.freeze({ runs: Object.freeze(runs), skipped: Object.freeze(skipped) });
}

/** The experiments of `plans`, each with the experiments it reuses. */
export function experimentsOf(plans: readonly RunPlan[]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const p of plans) out.set(p.experiment, [...new Set([...(out.get(p.experiment) ?? []), ...p.reuse])]);
  return out;
}
