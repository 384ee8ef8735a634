import { FitError } from "../util/errors";
import { selectNearOptimal, type NearOptimalOptions, type NearOptimalSelection } from "./nearOptimal";
import { withLawStatus } from "./lawStatus";
import { compareNdForms, type NdComparison } from "./ndForms";
import { fitPowerLawAcrossBudgets, olsLine, type PowerLawOptions } from "./powerLaw";
import { groupIndices, resampleWithinGroups } from "./sample";
import { fitQuadraticSurface } from "./quadratic";
import type { FitStatus, PowerLawFit, RunPoint } from "./types";

/**
 * Near-optimal batch size and learning rate as power laws of compute (DeepSeek LLM §3.1, Eq. 1):
 * B_opt = k_B·C^a_B (tokens), η_opt = k_η·C^a_η, fitted to the whole near-optimal cloud, x = compute.
 *
 * Intervals come from the budgets: each budget's optimum (its near-optimal cloud's mean in ln B, ln η)
 * scatters about the law by more than its run noise, so the law interval and the prediction interval for
 * a new budget are Student-t intervals on that scatter (lib/fit/budgetLevel). With 2 budgets nothing
 * measures the scatter and the old within-budget (stratified) bootstrap gives run-noise intervals, with
 * a warning. A per-budget quadratic surface of loss in (ln B, ln η) gives an independent estimate of
 * each budget's optimum as a cross-check, reported in `notes` (the laws do not use it).
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
  /** Worst of the two laws' statuses (lib/fit/lawStatus). */
  readonly status: FitStatus;
  /** Why a law is not `ok`, one line each naming the law. */
  readonly warnings: string[];
  /** What does not bear on the laws: the quadratic cross-check, runs left out, budgets that mix models. */
  readonly notes: string[];
  /** The C laws against Step Law's (N, D) forms by leave-one-budget-out error, and budgets mixing models (lib/fit/ndForms). */
  readonly forms: NdComparison;
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
  const members = [...groupIndices(groups).values()];
  const law = (y: number[]): ReturnType<typeof fitPowerLawAcrossBudgets> => {
    const lx = Float64Array.from(x, Math.log), ly = Float64Array.from(y, Math.log);
    return fitPowerLawAcrossBudgets(x, y, groups, options, { draw: (rng) => olsLine(lx, ly, resampleWithinGroups(members, rng)), label: "within-budget" });
  };
  const counts = members.map((m) => ({ compute: x[m[0]!]!, points: m.length }));
  const batch = withLawStatus("batch", law(kept.map((p) => p.batchTokens)), counts);
  const learningRate = withLawStatus("learningRate", law(kept.map((p) => p.learningRate)), counts);

  const byBudget = new Map<number, RunPoint[]>();
  for (const p of points) if (p.status === "ok") byBudget.set(p.compute, [...(byBudget.get(p.compute) ?? []), p]);
  const perBudget = [...byBudget.entries()].sort((a, b) => a[0] - b[0]).map(([c, runs]) => budgetOptimum(c, runs));

  const batchWarnings = batch.warnings.map((w) => `batch: ${w}`);
  const etaWarnings = learningRate.warnings.map((w) => `learningRate: ${w}`);
  const statuses = [batch.status, learningRate.status];
  const status: FitStatus = statuses.includes("failed") ? "failed" : statuses.includes("warning") ? "warning" : "ok";
  // Notes, not reasons for a non-ok status: the laws do not use the surfaces, and failed runs are expected in any sweep.
  const notes = perBudget.filter((b) => b.status !== "ok").map((b) => `budget ${b.compute.toExponential(3)}: quadratic cross-check ${b.status} (${b.reason})`);
  const failedRuns = nearOptimal.dropped.filter((d) => d.point.status !== "ok").length;
  if (failedRuns > 0) notes.push(`${failedRuns} runs with status ≠ ok were left out (see nearOptimal.dropped)`);
  const forms = compareNdForms(kept, points);
  for (const m of forms.mixedBudgets) {
    notes.push(`budget ${m.compute.toExponential(3)} mixes ${m.models} models (M ${m.modelScale[0].toExponential(2)}–${m.modelScale[1].toExponential(2)}): a law in C gives them one answer; see forms for the (N, D) laws`);
  }
  return { batch, learningRate, nearOptimal, perBudget, status, warnings: [...batchWarnings, ...etaWarnings], notes, forms };
}
