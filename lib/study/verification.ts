import { fitIsoflopBudget } from "../fit/isoflop";
import { NEAR_OPTIMAL_THRESHOLD } from "../fit/nearOptimal";
import type { Interval, RunPoint } from "../fit/types";
import type { LossCurveAnalysis } from "../analysis/isoflop";
import { predictLoss } from "../analysis/isoflop";
import type { Laws } from "../laws/lawsFile";
import { evaluateLaw } from "../predict/predict";

/**
 * The study's held-out check (DeepSeek LLM §3.1 at 1e20 FLOPs, §3.2 Figure 5; arXiv 2401.02954):
 * laws fitted on smaller budgets predict (B, η, M, D, L) at a larger one, and that budget's own
 * runs say whether the prediction holds. Pure: points and laws in, a JSON-ready record out.
 *
 * "Near-optimal" follows §3.1 for every quantity: a run is near-optimal when its loss is within
 * `threshold` (0.25%) of the best loss among the compared runs. For (B, η) the band is the box
 * spanned by the near-optimal runs' (B, η); for M the region is the span of the near-optimal runs'
 * M, and, when the profile's parabola in ln M has a minimum, the M where the parabola is within the
 * threshold of its vertex. A prediction is compared as the run trained for it (the law's value
 * rounded to whole sequences and to a shape of the family), since that is what the grid holds.
 */

export const VERIFICATION_SCHEMA_VERSION = 1;

export interface VerificationInput {
  /** The held-out budget C, FLOPs. */
  readonly heldOutCompute: number;
  /** Laws used for the prediction (fitted where ok, else the paper's). */
  readonly laws: Laws;
  /** Where each law came from, e.g. { batch: "fitted", modelScale: "spec" }. */
  readonly lawSources: Readonly<Record<string, string>>;
  /** L(C) fitted on the IsoFLOP budgets; null when none could be fitted. */
  readonly lossCurve: LossCurveAnalysis | null;
  /** Budgets the laws were fitted on, per stage. */
  readonly fittedBudgets: Readonly<Record<string, readonly number[]>>;
  /** The held-out B × η grid at the predicted M (ok runs are used). */
  readonly gridPoints: readonly RunPoint[];
  /** The held-out M profile at the predicted B and η (ok runs are used). */
  readonly scalePoints: readonly RunPoint[];
  /** Near-optimal threshold, relative loss excess. Default 0.0025 (DeepSeek §3.1). */
  readonly threshold?: number;
}

const inside = (v: number, [lo, hi]: Interval): boolean => v >= lo && v <= hi;
const span = (v: readonly number[]): Interval => [Math.min(...v), Math.max(...v)];
const logDistance = (a: number, b: number): number => Math.abs(Math.log(a / b));

export interface LossCheck {
  readonly predicted: number;
  readonly interval: Interval | null;
  /** "bootstrap" (percentile of the L(C) draws) or "parameter-box" (corners of the 95% parameter intervals, conservative). */
  readonly intervalMethod: "bootstrap" | "parameter-box" | null;
  /** The held-out minimum: the M profile's parabola vertex when it is ok, else the best run of both grids. */
  readonly measured: number;
  readonly measuredSource: "vertex" | "best-run";
  /** predicted / measured − 1. */
  readonly relativeError: number;
  readonly insideInterval: boolean | null;
  /** Where a budget's minimum should lie (the curve's uncertainty plus the budgets' scatter); null without a scatter estimate. */
  readonly predictionInterval: Interval | null;
  readonly insidePrediction: boolean | null;
}

/** L(C)'s interval at C: bootstrap draws when the curve has them, else the box corners of its parameter intervals. */
export function lossInterval(curve: LossCurveAnalysis, compute: number): { value: number; interval: Interval | null; method: LossCheck["intervalMethod"]; prediction: Interval | null } {
  const p = predictLoss(curve, compute);
  if (p.interval) return { value: p.value, interval: p.interval, method: "bootstrap", prediction: p.prediction };
  const { E, A, alpha } = curve.intervals;
  const corners = E.flatMap((e) => A.flatMap((a) => alpha.map((al) => e + a * compute ** -al)));
  if (!corners.every(Number.isFinite)) return { value: p.value, interval: null, method: null, prediction: null };
  return { value: p.value, interval: span(corners), method: "parameter-box", prediction: null };
}

/** The ok point nearest a target in log distance over the given coordinates. */
function nearest(points: readonly RunPoint[], target: Partial<Record<"batchTokens" | "learningRate" | "modelScale", number>>): RunPoint | null {
  let best: RunPoint | null = null, bestD = Infinity;
  for (const p of points) {
    const d = Object.entries(target).reduce((s, [k, v]) => s + logDistance(p[k as keyof typeof target], v as number), 0);
    if (d < bestD) [best, bestD] = [p, d];
  }
  return best;
}

export function verifyHeldOut(input: VerificationInput) {
  const threshold = input.threshold ?? NEAR_OPTIMAL_THRESHOLD;
  const c = input.heldOutCompute;
  const law = (name: keyof Laws) => (input.laws[name] ? evaluateLaw(input.laws[name]!, c) : null);
  const b = law("batch"), lr = law("learningRate"), m = law("modelScale"), d = law("tokens");
  const predicted = {
    batchTokens: b?.value ?? null,
    learningRate: lr?.value ?? null,
    modelScale: m?.value ?? null,
    tokens: d?.value ?? null,
    intervals: { batchTokens: b?.interval ?? null, learningRate: lr?.interval ?? null, modelScale: m?.interval ?? null, tokens: d?.interval ?? null },
    /** Where this budget's own optimum should lie (law uncertainty plus the budgets' scatter); null without a scatter estimate. */
    predictionIntervals: { batchTokens: b?.prediction ?? null, learningRate: lr?.prediction ?? null, modelScale: m?.prediction ?? null, tokens: d?.prediction ?? null },
  };
  const insideOrNull = (v: number, i: Interval | null): boolean | null => (i ? inside(v, i) : null);
  const grid = input.gridPoints.filter((p) => p.status === "ok" && Number.isFinite(p.loss));
  const scale = input.scalePoints.filter((p) => p.status === "ok" && Number.isFinite(p.loss));
  const notes: string[] = [];

  // (B, η): the near-optimal band of the held-out grid.
  let hyperparams = null;
  if (grid.length > 0 && b && lr) {
    const bestLoss = Math.min(...grid.map((p) => p.loss));
    const best = grid.find((p) => p.loss === bestLoss)!;
    const near = grid.filter((p) => p.loss <= bestLoss * (1 + threshold));
    const band = { batchTokens: span(near.map((p) => p.batchTokens)), learningRate: span(near.map((p) => p.learningRate)) };
    const run = nearest(grid, { batchTokens: b.value, learningRate: lr.value })!;
    hyperparams = {
      threshold,
      runs: grid.length,
      bestLoss,
      nearOptimalRuns: near.length,
      band,
      predictedRun: { key: run.key ?? null, batchTokens: run.batchTokens, learningRate: run.learningRate, loss: run.loss, excess: run.loss / bestLoss - 1, nearOptimal: run.loss <= bestLoss * (1 + threshold) },
      insideBand: inside(run.batchTokens, band.batchTokens) && inside(run.learningRate, band.learningRate),
      // The grid's best cell against the prediction intervals: is this budget's optimum where the law said it would be?
      bestCell: { batchTokens: best.batchTokens, learningRate: best.learningRate },
      bestCellInsidePrediction: { batchTokens: insideOrNull(best.batchTokens, predicted.predictionIntervals.batchTokens), learningRate: insideOrNull(best.learningRate, predicted.predictionIntervals.learningRate) },
    };
  } else notes.push(grid.length === 0 ? "(B, η) not checked: no ok run in the held-out B × η grid" : "(B, η) not checked: the laws lack batch or learningRate");

  // M: the near-optimal region of the held-out profile, by threshold and by parabola.
  let modelScale = null;
  const profile = scale.length > 0 ? fitIsoflopBudget(c, scale) : null;
  if (profile && m) {
    const bestLoss = Math.min(...scale.map((p) => p.loss));
    const near = scale.filter((p) => p.loss <= bestLoss * (1 + threshold));
    const region = span(near.map((p) => p.modelScale));
    const run = nearest(scale, { modelScale: m.value })!;
    let parabola = null;
    if (profile.status === "ok" && profile.parabola) {
      // a·x² + b·x + c ≤ vertexValue·(1 + t)  ⇔  |x − x₀| ≤ √(vertexValue·t / a), x = ln M.
      const { a, b: bq } = profile.parabola;
      const x0 = -bq / (2 * a), half = Math.sqrt((profile.loss * threshold) / a);
      const pr: Interval = [Math.exp(x0 - half), Math.exp(x0 + half)];
      parabola = { status: profile.status, vertex: Math.exp(x0), vertexLoss: profile.loss, region: pr, predictedInside: inside(m.value, pr) };
    } else notes.push(`M parabola region not available: the held-out profile is ${profile.status}${profile.reason ? ` (${profile.reason})` : ""}`);
    modelScale = {
      threshold,
      runs: scale.length,
      bestLoss,
      nearOptimalRuns: near.length,
      region,
      predictedRun: { key: run.key ?? null, modelScale: run.modelScale, loss: run.loss, excess: run.loss / bestLoss - 1, nearOptimal: run.loss <= bestLoss * (1 + threshold) },
      insideRegion: inside(run.modelScale, region),
      parabola,
      // This budget's optimum (the vertex when the profile has one, else the best run's M) against the prediction interval.
      optimum: parabola ? parabola.vertex : near.reduce((a, q) => (q.loss < a.loss ? q : a)).modelScale,
      optimumInsidePrediction: insideOrNull(parabola ? parabola.vertex : near.reduce((a, q) => (q.loss < a.loss ? q : a)).modelScale, predicted.predictionIntervals.modelScale),
    };
  } else notes.push(scale.length === 0 ? "M not checked: no ok run in the held-out M profile" : "M not checked: the laws lack modelScale");

  // Loss: L(C) of the IsoFLOP minima against the held-out minimum.
  let loss: LossCheck | null = null;
  const all = [...grid, ...scale];
  if (input.lossCurve && all.length > 0) {
    const p = lossInterval(input.lossCurve, c);
    const vertexOk = profile?.status === "ok";
    const measured = vertexOk ? profile!.loss : Math.min(...all.map((q) => q.loss));
    loss = {
      predicted: p.value,
      interval: p.interval,
      intervalMethod: p.method,
      measured,
      measuredSource: vertexOk ? "vertex" : "best-run",
      relativeError: p.value / measured - 1,
      insideInterval: p.interval ? inside(measured, p.interval) : null,
      predictionInterval: p.prediction,
      insidePrediction: insideOrNull(measured, p.prediction),
    };
  } else notes.push(input.lossCurve ? "loss not checked: no ok held-out run" : "loss not checked: no L(C) curve was fitted");

  return {
    schemaVersion: VERIFICATION_SCHEMA_VERSION,
    heldOutCompute: c,
    fittedBudgets: input.fittedBudgets,
    lawSources: input.lawSources,
    predicted,
    loss,
    hyperparams,
    modelScale,
    notes,
  };
}

export type HeldOutVerification = ReturnType<typeof verifyHeldOut>;
