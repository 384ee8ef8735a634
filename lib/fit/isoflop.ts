import { FitError } from "../util/errors";
import { createRng, type Rng } from "../util/random";
import { fitPowerLawResampled, type PowerLawOptions } from "./powerLaw";
import { fitParabola } from "./quadratic";
import type { FitStatus, PowerLawFit, RunPoint } from "./types";

/**
 * IsoFLOP allocation (DeepSeek LLM §3.2, Chinchilla Approach 2): per compute budget a parabola of
 * loss in ln M; its vertex is M_opt and D_opt = C/M_opt; then M_opt(C) and D_opt(C) as power laws.
 *
 * Bootstrap: runs are resampled WITHIN each budget and every parabola is refitted, so the
 * intervals carry each vertex's uncertainty. A budget whose resampled parabola is degenerate or
 * not convex is left out of that draw; a draw with fewer than 2 budgets left is skipped (counted
 * in the fits' warnings). With n runs per budget the resampled spread is about √((n−3)/n) of the
 * true one, so use ≥ 10 runs per budget for near-nominal coverage.
 */

export type IsoflopOptions = PowerLawOptions;

/** `outside-range`: vertex beyond the sampled M; `not-convex`: curvature ≤ 0; `too-few-points`: < 3 distinct M. */
export type IsoflopBudgetStatus = "ok" | "outside-range" | "not-convex" | "too-few-points";

export interface IsoflopBudget {
  /** C, FLOPs. */
  readonly compute: number;
  /** M_opt, FLOPs per token: the vertex, or the best run's M when no vertex exists. */
  readonly modelScale: number;
  /** D_opt = C / M_opt, tokens. */
  readonly tokens: number;
  /** Loss at the vertex (the best run's loss when no vertex exists). */
  readonly loss: number;
  readonly status: IsoflopBudgetStatus;
  /** loss = a·x² + b·x + c with x = ln M (natural log); null when no parabola could be fitted. */
  readonly parabola: { a: number; b: number; c: number } | null;
  /** Runs at this budget that were fitted. */
  readonly n: number;
  readonly reason?: string;
}

export interface IsoflopFit {
  /** M_opt(C), FLOPs per token. */
  readonly modelScale: PowerLawFit;
  /** D_opt(C), tokens. */
  readonly tokens: PowerLawFit;
  /** Every budget, ascending in compute; only `ok` ones enter the power laws. */
  readonly budgets: IsoflopBudget[];
  readonly status: FitStatus;
  readonly warnings: string[];
}

/** A parabola has three coefficients. */
const MIN_PARABOLA_POINTS = 3;

/** Fits one budget's parabola in ln M and classifies it. */
export function fitIsoflopBudget(compute: number, runs: readonly RunPoint[]): IsoflopBudget {
  const best = runs.reduce((a, b) => (b.loss < a.loss ? b : a));
  const fallback = { compute, modelScale: best.modelScale, tokens: compute / best.modelScale, loss: best.loss, n: runs.length };
  if (runs.length < MIN_PARABOLA_POINTS) {
    return { ...fallback, status: "too-few-points", parabola: null, reason: `${runs.length} runs, a parabola needs ≥ ${MIN_PARABOLA_POINTS}` };
  }
  const x = runs.map((r) => Math.log(r.modelScale));
  const p = fitParabola(x, runs.map((r) => r.loss));
  if (!p) return { ...fallback, status: "too-few-points", parabola: null, reason: "fewer than 3 distinct model scales" };
  const parabola = { a: p.a, b: p.b, c: p.c };
  if (!(p.a > 0)) return { ...fallback, status: "not-convex", parabola, reason: `curvature ${p.a} ≤ 0, no minimum` };
  const modelScale = Math.exp(p.vertex);
  const inside = p.vertex >= Math.min(...x) && p.vertex <= Math.max(...x);
  if (!Number.isFinite(modelScale)) return { ...fallback, status: "outside-range", parabola, reason: "vertex far outside the sampled M range" };
  const at = { compute, modelScale, tokens: compute / modelScale, loss: p.vertexValue, n: runs.length, parabola };
  if (!inside) return { ...at, status: "outside-range", reason: "vertex outside the sampled M range; sample larger or smaller models" };
  return { ...at, status: "ok" };
}

/** Fits the IsoFLOP profiles and the M_opt(C), D_opt(C) power laws; throws FitError with < 2 usable budgets. */
export function fitIsoflop(points: readonly RunPoint[], options?: IsoflopOptions): IsoflopFit {
  const byBudget = new Map<number, RunPoint[]>();
  points.forEach((p, i) => {
    if (!(p.compute > 0) || !Number.isFinite(p.compute)) throw new FitError(`${p.compute} must be finite and > 0`, `points[${i}].compute`, "fix or drop this run");
    if (p.status !== "ok") return;
    if (!(p.modelScale > 0) || !Number.isFinite(p.modelScale)) throw new FitError(`${p.modelScale} must be finite and > 0 (its log is taken)`, `points[${i}].modelScale`, "fix or drop this run");
    if (!Number.isFinite(p.loss)) throw new FitError(`${p.loss} is not finite on an ok run`, `points[${i}].loss`, "mark the run failed or fix its loss");
    byBudget.set(p.compute, [...(byBudget.get(p.compute) ?? []), p]);
  });
  const entries = [...byBudget.entries()].sort((a, b) => a[0] - b[0]);
  const budgets = entries.map(([c, runs]) => fitIsoflopBudget(c, runs));
  const usable = budgets.filter((b) => b.status === "ok");
  if (usable.length < 2) {
    throw new FitError(`${usable.length} budget(s) have an in-range convex parabola, the power laws need ≥ 2`, "points", "see budgets' statuses: add runs or widen the M range");
  }
  // Per usable budget, the (ln M, loss) arrays to resample.
  const data = entries
    .filter((_, i) => budgets[i]!.status === "ok")
    .map(([c, runs]) => ({ compute: c, lnM: runs.map((r) => Math.log(r.modelScale)), loss: runs.map((r) => r.loss) }));
  const vertices = (rng: Rng): { compute: number[]; modelScale: number[] } | undefined => {
    const compute: number[] = [], modelScale: number[] = [];
    for (const d of data) {
      const n = d.lnM.length;
      const x = new Array<number>(n), y = new Array<number>(n);
      for (let i = 0; i < n; i++) {
        const j = rng.int(n);
        x[i] = d.lnM[j]!;
        y[i] = d.loss[j]!;
      }
      const p = fitParabola(x, y);
      if (!p || !(p.a > 0) || !Number.isFinite(Math.exp(p.vertex))) continue;
      compute.push(d.compute);
      modelScale.push(Math.exp(p.vertex));
    }
    return new Set(compute).size >= 2 ? { compute, modelScale } : undefined;
  };
  const x = usable.map((b) => b.compute);
  const label = "within-budget (runs resampled, parabolas refitted)";
  // Resample once; both laws read the same draws in order (their exponents then sum to 1 per draw).
  const rng = createRng(options?.seed ?? 0);
  const drawn = Array.from({ length: Math.max(0, Math.floor(options?.resamples ?? 1000)) }, () => vertices(rng));
  const replay = <T>(map: (v: { compute: number[]; modelScale: number[] }) => T): (() => T | undefined) => {
    let k = 0;
    return () => {
      const v = drawn[k++];
      return v && map(v);
    };
  };
  const modelScale = fitPowerLawResampled(x, usable.map((b) => b.modelScale), replay((v) => ({ x: v.compute, y: v.modelScale })), options, label);
  const tokens = fitPowerLawResampled(x, usable.map((b) => b.tokens), replay((v) => ({ x: v.compute, y: v.compute.map((c, i) => c / v.modelScale[i]!) })), options, label);

  const warnings = [
    ...modelScale.warnings.map((w) => `modelScale: ${w}`),
    ...tokens.warnings.map((w) => `tokens: ${w}`),
    ...budgets.filter((b) => b.status !== "ok").map((b) => `budget ${b.compute.toExponential(3)} left out: ${b.status} (${b.reason})`),
  ];
  const status: FitStatus = warnings.length > 0 ? "warning" : "ok";
  const failedRuns = points.filter((p) => p.status !== "ok").length;
  if (failedRuns > 0) warnings.push(`${failedRuns} runs with status ≠ ok were left out`);
  return { modelScale, tokens, budgets, status, warnings };
}
