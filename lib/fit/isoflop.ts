import { FitError } from "../util/errors";
import { createRng } from "../util/random";
import { withLawStatus } from "./lawStatus";
import { fitPowerLawAcrossBudgets, olsLine, type LogLine, type PowerLawOptions } from "./powerLaw";
import { fitParabola } from "./quadratic";
import { percentileInterval } from "./sample";
import type { FitStatus, PowerLawFit, RunPoint } from "./types";

/**
 * IsoFLOP allocation (DeepSeek LLM §3.2, Chinchilla Approach 2): per compute budget a parabola of
 * loss in ln M; its vertex is M_opt and D_opt = C/M_opt; then M_opt(C) and D_opt(C) as power laws.
 *
 * Bootstrap, in two parts:
 * - Within each budget the model scales are the design, not a sample, so the parabola's residuals are
 *   resampled onto its fitted values at the same M (fixed-design residual bootstrap, residuals inflated
 *   by √(n/(n−3)) for the 3 fitted coefficients) and the vertex refitted. Resampling the runs themselves
 *   drops grid ends from 7-run profiles and sends vertices far off: at the study's design (5 budgets × 7
 *   runs, 0.6% noise) that gave 100% coverage with intervals 3× too wide (measured, see the tests).
 * - Vertices can scatter about the power law by more than their own noise (a discrete model family,
 *   hyperparameters slightly off at some budgets). χ² = Σ r_i²/var_i of the line's residuals against
 *   the vertices' bootstrap variances, on k−2 degrees of freedom, gives the scale factor
 *   S = max(1, √(χ²/(k−2))) (the Particle Data Group's rule for inconsistent measurements), and every
 *   draw's ln-vertex deviation is multiplied by S. Without it, coverage fell to 16–68% when vertices
 *   scattered by 0.1–0.2 in ln M; with it, 90–95%.
 * A budget whose resampled parabola is not convex is left out of that draw; a draw with fewer than 2
 * budgets left is skipped (counted in the fits' warnings).
 * With ≥ 3 budgets the laws' intervals now come from the vertices' scatter about the line itself
 * (Student t on k − 2 degrees of freedom, lib/fit/budgetLevel), which also gives the prediction interval
 * of a new budget's M_opt; the χ² scale above is still reported (`scatter`) and the residual bootstrap
 * still gives the intervals with 2 budgets, where nothing measures the scatter.
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
  /** How far the vertices scatter about the M_opt law beyond their bootstrap noise (null with < 3 budgets). */
  readonly scatter: IsoflopScatter | null;
  readonly status: FitStatus;
  readonly warnings: string[];
}

/** χ² of the vertices about the fitted M_opt line, in units of their bootstrap variances, and the interval scale it implies. */
export interface IsoflopScatter {
  readonly chiSquare: number;
  /** Budgets with a vertex variance, less 2 (the line's parameters). */
  readonly dof: number;
  /** S = max(1, √(χ²/dof)): bootstrap deviations of ln M_opt are multiplied by it. */
  readonly scale: number;
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
    const sizes = Math.max(...entries.map(([, runs]) => new Set(runs.map((r) => r.modelScale)).size));
    if (entries.length > 0 && sizes < MIN_PARABOLA_POINTS) {
      throw new FitError(`each budget has ${sizes === 1 ? "1 model size" : `at most ${sizes} model sizes`}; the parabola needs ≥ ${MIN_PARABOLA_POINTS}`, "points", "train ≥ 3 model sizes at each compute budget (an IsoFLOP profile), or check that compute groups runs into budgets");
    }
    throw new FitError(`${usable.length} budget(s) have an in-range convex parabola, the power laws need ≥ 2`, "points", "see budgets' statuses: add runs or widen the M range");
  }
  // Per usable budget: the design (ln M), the parabola's fitted losses, and its inflated residuals.
  const data = entries
    .filter((_, i) => budgets[i]!.status === "ok")
    .map(([c, runs], i) => {
      const lnM = runs.map((r) => Math.log(r.modelScale));
      const { a, b, c: c0 } = usable[i]!.parabola!;
      const fitted = lnM.map((x) => a * x * x + b * x + c0);
      const inflate = runs.length > MIN_PARABOLA_POINTS ? Math.sqrt(runs.length / (runs.length - MIN_PARABOLA_POINTS)) : 0;
      return { compute: c, lnM, fitted, residuals: runs.map((r, j) => (r.loss - fitted[j]!) * inflate), lnVertex: Math.log(usable[i]!.modelScale) };
    });
  const rng = createRng(options?.seed ?? 0);
  // One row per draw: each budget's resampled ln vertex, NaN where its parabola was not convex.
  const drawn = Array.from({ length: Math.max(0, Math.floor(options?.resamples ?? 1000)) }, () =>
    data.map((d) => {
      const y = d.fitted.map((f) => f + d.residuals[rng.int(d.residuals.length)]!);
      const p = fitParabola(d.lnM, y);
      return p && p.a > 0 ? p.vertex : NaN;
    }),
  );
  const x = usable.map((b) => b.compute);
  const scatter = vertexScatter(data.map((d) => Math.log(d.compute)), data.map((d) => d.lnVertex), data.map((_, i) => variance(drawn.map((row) => row[i]!))));
  const s = scatter?.scale ?? 1;
  const label = `within-budget residual (fixed design), vertex deviations × ${s.toFixed(2)} for their scatter about the law`;
  const replay = <T>(map: (v: { compute: number[]; modelScale: number[] }) => T): (() => T | undefined) => {
    let k = 0;
    return () => {
      const row = drawn[k++];
      if (!row) return undefined;
      const compute: number[] = [], modelScale: number[] = [];
      row.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        compute.push(data[i]!.compute);
        modelScale.push(Math.exp(data[i]!.lnVertex + s * (v - data[i]!.lnVertex)));
      });
      return new Set(compute).size >= 2 ? map({ compute, modelScale }) : undefined;
    };
  };
  // Both laws read the same draws in order (their exponents then sum to 1 per draw).
  // One vertex per budget: intervals from the vertices' scatter about the law (Student t, lib/fit/budgetLevel);
  // with 2 budgets the residual bootstrap above (run noise only) stands in, and the fit says so.
  const acrossBudgets = (y: number[], rebuild: (v: { compute: number[]; modelScale: number[] }) => { x: number[]; y: number[] }): PowerLawFit => {
    const next = replay(rebuild);
    const draw = (): LogLine | undefined => {
      const d = next();
      return d && d.y.every((v) => v > 0) ? olsLine(Float64Array.from(d.x, Math.log), Float64Array.from(d.y, Math.log)) : undefined;
    };
    return withLawStatus(y === modelScaleY ? "modelScale" : "tokens", fitPowerLawAcrossBudgets(x, y, x, options, { draw, label }));
  };
  const modelScaleY = usable.map((b) => b.modelScale);
  const modelScale = acrossBudgets(modelScaleY, (v) => ({ x: v.compute, y: v.modelScale }));
  const tokens = pairedTokens(modelScale, acrossBudgets(usable.map((b) => b.tokens), (v) => ({ x: v.compute, y: v.compute.map((c, i) => c / v.modelScale[i]!) })), options?.confidence ?? 0.95);

  const warnings = [
    ...modelScale.warnings.map((w) => `modelScale: ${w}`),
    ...tokens.warnings.map((w) => `tokens: ${w}`),
    ...budgets.filter((b) => b.status !== "ok").map((b) => `budget ${b.compute.toExponential(3)} left out: ${b.status} (${b.reason})`),
  ];
  const status: FitStatus = warnings.length > 0 ? "warning" : "ok";
  const failedRuns = points.filter((p) => p.status !== "ok").length;
  if (failedRuns > 0) warnings.push(`${failedRuns} runs with status ≠ ok were left out`);
  return { modelScale, tokens, budgets, scatter, status, warnings };
}

/**
 * D_opt = C / M_opt in every draw: the tokens law's draws mirror the M_opt law's (k_D = 1/k_M,
 * a_D = 1 − a_M, a new budget's offset negated), so M·D = C holds draw by draw and both laws'
 * intervals come from one set of draws.
 */
function pairedTokens(m: PowerLawFit, d: PowerLawFit, confidence: number): PowerLawFit {
  const draws = { coefficient: m.draws.coefficient.map((k) => 1 / k), exponent: m.draws.exponent.map((a) => 1 - a) };
  return {
    ...d,
    draws,
    intervals: { coefficient: percentileInterval(draws.coefficient, confidence, d.params.coefficient), exponent: percentileInterval(draws.exponent, confidence, d.params.exponent) },
    ...(m.predictionDraws ? { predictionDraws: m.predictionDraws.map((o) => -o) } : {}),
  };
}

/** Sample variance of the finite values (NaN with fewer than 2). */
function variance(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  if (v.length < 2) return NaN;
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return v.reduce((s, x) => s + (x - mean) ** 2, 0) / (v.length - 1);
}

/**
 * χ² of (ln C, ln M_opt) about their OLS line, each residual in units of its vertex's bootstrap
 * variance; budgets without a positive variance (3 runs leave no residuals) are not counted. Null
 * when fewer than 3 budgets count: a line through 2 points has no scatter to measure.
 */
export function vertexScatter(lnCompute: readonly number[], lnVertex: readonly number[], variances: readonly number[]): IsoflopScatter | null {
  const line = olsLine(lnCompute, lnVertex);
  const counted = variances.map((_, i) => i).filter((i) => variances[i]! > 0 && Number.isFinite(variances[i]!));
  const dof = counted.length - 2;
  if (!line || dof < 1) return null;
  const chiSquare = counted.reduce((sum, i) => sum + (lnVertex[i]! - line.intercept - line.slope * lnCompute[i]!) ** 2 / variances[i]!, 0);
  return { chiSquare, dof, scale: Math.max(1, Math.sqrt(chiSquare / dof)) };
}
