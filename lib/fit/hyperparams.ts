import { FitError } from "../util/errors";
import { selectNearOptimal, type NearOptimalOptions, type NearOptimalSelection } from "./nearOptimal";
import { fitPowerLawGrouped, type PowerLawOptions } from "./powerLaw";
import { fitQuadraticSurface } from "./quadratic";
import type { FitStatus, PowerLawFit, RunPoint } from "./types";

/**
 * Near-optimal batch size and learning rate as power laws of compute (DeepSeek LLM §3.1, Eq. 1):
 * B_opt = k_B·C^a_B (tokens), η_opt = k_η·C^a_η, fitted to the whole near-optimal cloud, x = compute.
 *
 * Bootstrap choice: points are resampled WITHIN their budget (stratified). Runs of one budget share
 * that budget's best loss, which decides which of them are near-optimal, so they are not exchangeable
 * with runs of another budget; and the budgets are the design, not a sample. A per-budget quadratic
 * surface of loss in (ln B, ln η) gives an independent estimate of each budget's optimum as a cross-check.
 */

export interface HyperparamsOptions extends PowerLawOptions, NearOptimalOptions {}

/** Why a budget's quadratic optimum is not trusted. */
export type BudgetOptimumStatus = "ok" | "not-convex" | "outside-range" | "too-few-points";

export interface BudgetOptimum {
  /** C, FLOPs. */
  readonly compute: number;
  /** Optimum batch size, tokens (the best run's when the surface is unusable). */
  readonly batchTokens: number;
  /** Optimum peak learning rate (the best run's when the surface is unusable). */
  readonly learningRate: number;
  readonly status: BudgetOptimumStatus;
  readonly reason?: string;
}

export interface HyperparamsFit {
  /** B_opt(C) in tokens per step. */
  readonly batch: PowerLawFit;
  /** η_opt(C), peak learning rate. */
  readonly learningRate: PowerLawFit;
  /** Which runs formed the cloud, and why the others were left out. */
  readonly nearOptimal: NearOptimalSelection;
  /** Quadratic-surface optimum per budget, ascending in compute (a cross-check, not used in the laws). */
  readonly perBudget: BudgetOptimum[];
  readonly status: FitStatus;
  readonly warnings: string[];
}

/** A surface fit needs at least its six coefficients' worth of runs. */
const MIN_SURFACE_POINTS = 6;

/** Quadratic surface of loss in (ln B, ln η) over all ok runs of one budget. */
export function budgetOptimum(compute: number, runs: readonly RunPoint[]): BudgetOptimum {
  const best = runs.reduce((a, b) => (b.loss < a.loss ? b : a));
  const fallback = { compute, batchTokens: best.batchTokens, learningRate: best.learningRate };
  if (runs.length < MIN_SURFACE_POINTS) {
    return { ...fallback, status: "too-few-points", reason: `${runs.length} runs, a quadratic surface needs ≥ ${MIN_SURFACE_POINTS}` };
  }
  const u = runs.map((r) => Math.log(r.batchTokens));
  const v = runs.map((r) => Math.log(r.learningRate));
  const s = fitQuadraticSurface(u, v, runs.map((r) => r.loss));
  if (!s) return { ...fallback, status: "too-few-points", reason: "the runs do not identify a quadratic surface (need ≥ 3 distinct B and η values)" };
  if (!s.convex) return { ...fallback, status: "not-convex", reason: "the fitted surface has no minimum (Hessian not positive definite)" };
  const [ub, vb] = s.vertex;
  const batchTokens = Math.exp(ub), learningRate = Math.exp(vb);
  if (!Number.isFinite(batchTokens) || !Number.isFinite(learningRate)) {
    return { ...fallback, status: "outside-range", reason: "the vertex lies far outside the sampled range" };
  }
  const inside = ub >= Math.min(...u) && ub <= Math.max(...u) && vb >= Math.min(...v) && vb <= Math.max(...v);
  if (!inside) return { compute, batchTokens, learningRate, status: "outside-range", reason: "the vertex lies outside the sampled (B, η) range" };
  return { compute, batchTokens, learningRate, status: "ok" };
}

/** Fits B_opt(C) and η_opt(C) to the near-optimal cloud; throws FitError when fewer than 2 budgets remain. */
export function fitHyperparams(points: readonly RunPoint[], options?: HyperparamsOptions): HyperparamsFit {
  const nearOptimal = selectNearOptimal(points, options);
  points.forEach((p, i) => {
    if (p.status !== "ok") return;
    for (const field of ["batchTokens", "learningRate"] as const) {
      if (!(p[field] > 0) || !Number.isFinite(p[field])) {
        throw new FitError(`${p[field]} must be finite and > 0 (its log is taken)`, `points[${i}].${field}`, "fix or drop this run");
      }
    }
  });
  const { kept } = nearOptimal;
  const budgets = new Set(kept.map((p) => p.compute));
  if (budgets.size < 2) {
    throw new FitError(`near-optimal runs span ${budgets.size} budget(s), a power law in compute needs ≥ 2`, "points", "add runs at more compute budgets");
  }
  const x = kept.map((p) => p.compute);
  const groups = kept.map((p) => p.compute);
  const batch = fitPowerLawGrouped(x, kept.map((p) => p.batchTokens), groups, options);
  const learningRate = fitPowerLawGrouped(x, kept.map((p) => p.learningRate), groups, options);

  const byBudget = new Map<number, RunPoint[]>();
  for (const p of points) if (p.status === "ok") byBudget.set(p.compute, [...(byBudget.get(p.compute) ?? []), p]);
  const perBudget = [...byBudget.entries()].sort((a, b) => a[0] - b[0]).map(([c, runs]) => budgetOptimum(c, runs));

  const warnings = [
    ...batch.warnings.map((w) => `batch: ${w}`),
    ...learningRate.warnings.map((w) => `learningRate: ${w}`),
    ...perBudget.filter((b) => b.status !== "ok").map((b) => `budget ${b.compute.toExponential(3)}: quadratic cross-check ${b.status} (${b.reason})`),
  ];
  const status: FitStatus = batch.status === "failed" || learningRate.status === "failed" ? "failed" : warnings.length > 0 ? "warning" : "ok";
  // A note, not a reason for a non-ok status: failed runs are expected in any sweep.
  const failedRuns = nearOptimal.dropped.filter((d) => d.point.status !== "ok").length;
  if (failedRuns > 0) warnings.push(`${failedRuns} runs with status ≠ ok were left out (see nearOptimal.dropped)`);
  return { batch, learningRate, nearOptimal, perBudget, status, warnings };
}
