import { z } from "zod";
import type { TrainConfig } from "../train/config";
import type { RunPlan } from "./expand";

/**
 * Cost model of a run on this machine, fitted to short calibration runs: wall seconds of one run
 * (process start to record) = fixed + steps·perStep + T·(perToken + perFlop·x), with T the trained
 * tokens plus a third of the evaluated ones (a forward pass is ~1/3 of a training step) and x the
 * FLOPs per token actually computed: M plus the byte vocabulary's embedding and head. Pure math;
 * lib/sweep/calibrate measures and caches.
 */

export const costCoefficientsSchema = z
  .object({
    /** Seconds per run: process start, tfjs and corpus loading, model build. */
    fixedSeconds: z.number().min(0).finite(),
    /** Seconds per optimizer step (bookkeeping that does not scale with tokens). */
    perStepSeconds: z.number().min(0).finite(),
    /** Seconds per token independent of the model. */
    perTokenSeconds: z.number().min(0).finite(),
    /** Seconds per computed FLOP (1 / throughput). */
    perFlopSeconds: z.number().min(0).finite(),
  })
  .strict();
export type CostCoefficients = z.infer<typeof costCoefficientsSchema>;

/** What one calibration run measured. */
export const costSampleSchema = z
  .object({ steps: z.number().int().positive(), tokens: z.number().positive(), flopsPerToken: z.number().positive(), seconds: z.number().positive() })
  .strict();
export type CostSample = z.infer<typeof costSampleSchema>;

/** Fraction of a training step's cost that evaluating one token takes (forward only of fwd+bwd ≈ 1 + 2). */
export const EVAL_COST_FRACTION = 1 / 3;

/** FLOPs per token actually computed: M plus embedding (one-hot matmul) and head, forward + backward (6·V·d each). */
export function computedFlopsPerToken(config: TrainConfig, modelScale: number): number {
  return modelScale + 12 * config.shape.vocab * config.shape.dModel;
}

/** Trained tokens plus evaluation tokens weighted by their cost. */
export function effectiveTokens(config: TrainConfig): number {
  const evalTokens = config.eval.windows * config.shape.seq * (config.eval.points + 1);
  return config.tokens + EVAL_COST_FRACTION * evalTokens;
}

/** A calibration sample of a plan (for fitting) without its seconds. */
export function costFeatures(plan: Pick<RunPlan, "config" | "modelScale" | "steps">): Omit<CostSample, "seconds"> {
  return { steps: plan.steps, tokens: effectiveTokens(plan.config), flopsPerToken: computedFlopsPerToken(plan.config, plan.modelScale) };
}

export function predictSeconds(c: CostCoefficients, f: Omit<CostSample, "seconds">): number {
  return c.fixedSeconds + f.steps * c.perStepSeconds + f.tokens * (c.perTokenSeconds + c.perFlopSeconds * f.flopsPerToken);
}

/** Solve the least-squares problem on the given columns (normal equations, Gaussian elimination). */
function leastSquares(rows: number[][], y: number[]): number[] | undefined {
  const k = rows[0]?.length ?? 0;
  const a = Array.from({ length: k }, (_, i) => [...Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0)), rows.reduce((s, r, n) => s + r[i]! * y[n]!, 0)]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-300) return undefined;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= k; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[k]! / row[i]!);
}

/**
 * Fit the cost model by least squares in relative error, dropping any term that comes out negative.
 * Throws when nothing but the fixed cost is left: such a model prices a 2-hour sweep like a 5-minute
 * one (seen on a fresh machine, where the first runs' process start was 1.5 s slower than the rest).
 */
export function fitCost(samples: readonly CostSample[]): CostCoefficients {
  const features = (s: CostSample): number[] => [1, s.steps, s.tokens, s.tokens * s.flopsPerToken];
  let active = [0, 1, 2, 3];
  for (;;) {
    // Divide each row by its seconds: minimises relative error, so short and long runs weigh alike.
    const rows = samples.map((s) => active.map((i) => features(s)[i]! / s.seconds));
    const solved = leastSquares(rows, samples.map(() => 1));
    if (solved && solved.every((v) => v >= 0)) {
      const full = [0, 0, 0, 0];
      active.forEach((i, j) => (full[i] = solved[j]!));
      if (full[1]! + full[2]! + full[3]! === 0) throw new Error("cost fit failed: the calibration runs' time did not grow with their work (start-up noise dominated); calibrate again on a quiet machine");
      return { fixedSeconds: full[0]!, perStepSeconds: full[1]!, perTokenSeconds: full[2]!, perFlopSeconds: full[3]! };
    }
    if (active.length === 1) throw new Error("cost fit failed: calibration runs are all alike or time does not grow with work");
    // Drop the most negative term (or, if singular, the per-step term first, then the fixed one).
    const drop = solved ? active[solved.indexOf(Math.min(...solved))]! : (active.find((i) => i === 1) ?? active[0]!);
    active = active.filter((i) => i !== drop);
  }
}

/** Makespan of running `seconds` in order on `workers` parallel processes (each run to the first free one). */
export function makespan(seconds: readonly number[], workers: number): number {
  const free = Array.from({ length: Math.max(1, workers) }, () => 0);
  for (const s of seconds) {
    const i = free.indexOf(Math.min(...free));
    free[i]! += s;
  }
  return Math.max(0, ...free);
}

export interface BudgetEstimate {
  /** Budget C, FLOPs. */
  readonly budget: number;
  readonly runs: number;
  /** Realised compute of the runs, FLOPs (M·D, non-embedding). */
  readonly flops: number;
  /** Sum of the runs' predicted seconds (one worker). */
  readonly runSeconds: number;
}

export interface SweepEstimate {
  readonly budgets: readonly BudgetEstimate[];
  readonly workers: number;
  /** Predicted wall seconds of the whole sweep with `workers` processes. */
  readonly wallSeconds: number;
}

/**
 * Seconds of a group of R runs trained in lockstep (lib/sweep/group): the process start and the
 * per-step bookkeeping are paid once, the per-token work R times.
 */
export function predictGroupSeconds(c: CostCoefficients, f: Omit<CostSample, "seconds">, runs: number): number {
  return c.fixedSeconds + f.steps * c.perStepSeconds + runs * f.tokens * (c.perTokenSeconds + c.perFlopSeconds * f.flopsPerToken);
}

/**
 * Predicted cost of the plans, per budget and overall, with the runs grouped as the runner will
 * group them (`groups`: each inner list one process; default every run alone). A run's seconds
 * are its share of its group's.
 */
export function estimateSweep(plans: readonly RunPlan[], c: CostCoefficients, workers: number, groups?: readonly (readonly RunPlan[])[]): SweepEstimate {
  const share = new Map<string, number>();
  const groupSeconds = (groups ?? plans.map((p) => [p])).map((g) => {
    const total = predictGroupSeconds(c, costFeatures(g[0]!), g.length);
    for (const p of g) share.set(p.key, total / g.length);
    return total;
  });
  const seconds = plans.map((p) => share.get(p.key) ?? predictSeconds(c, costFeatures(p)));
  const budgets = [...new Set(plans.map((p) => p.cell.budget))].sort((a, b) => a - b);
  return {
    budgets: budgets.map((budget) => {
      const idx = plans.map((p, i) => (p.cell.budget === budget ? i : -1)).filter((i) => i >= 0);
      return { budget, runs: idx.length, flops: idx.reduce((s, i) => s + plans[i]!.realisedCompute, 0), runSeconds: idx.reduce((s, i) => s + seconds[i]!, 0) };
    }),
    workers,
    wallSeconds: makespan(groupSeconds, workers),
  };
}
