import { fitIsoflop, type IsoflopFit, type IsoflopOptions } from "../fit/isoflop";
import { leaveOneOutIsoflop, type HeldOut } from "../fit/leaveOneOut";
import { E_COLLAPSE_FRACTION, fitLossCurve } from "../fit/lossCurve";
import { fitPowerLawAcrossBudgets, olsLine } from "../fit/powerLaw";
import { percentileInterval, resampleIndices } from "../fit/sample";
import type { FitStatus, Interval, RunPoint } from "../fit/types";
import { fitErrorReason, lawJson, type LawJson } from "./hyperparams";
import { keysOf } from "./points";

/**
 * The IsoFLOP analysis of DeepSeek LLM §3.2 on one experiment's runs: per-budget parabolas, the
 * M_opt(C) and D_opt(C) laws, leave-one-budget-out errors, and the loss-vs-compute curve L(C)
 * through the per-budget minima (the paper's Figure 5). With ≥ 4 budgets L(C) = E + A·C^(−α); with
 * 2–3 budgets a 3-parameter curve is not identifiable, so a pure power law L = A·C^(−α) (E = 0)
 * is fitted instead and `form` says so.
 */

/** Fewest budgets for the saturating L(C) = E + A·C^(−α) (fitLossCurve needs 4 points). */
export const SATURATING_MIN_BUDGETS = 4;
/** Central coverage of loss prediction intervals (same as lib/predict). */
const LOSS_CONFIDENCE = 0.95;

/** One point of L(C): a budget and its minimum loss. */
export interface LossPoint {
  readonly compute: number;
  readonly loss: number;
  /** `vertex`: the budget's parabola minimum; `best-run`: its best run (no usable parabola). */
  readonly source: "vertex" | "best-run";
}

export interface LossCurveAnalysis {
  readonly form: "saturating" | "power";
  readonly points: readonly LossPoint[];
  /** L(C) = E + A·C^(−alpha); E = 0 for the power form. Loss in bits per byte. */
  readonly params: { readonly E: number; readonly A: number; readonly alpha: number };
  readonly intervals: { readonly E: Interval; readonly A: Interval; readonly alpha: Interval };
  readonly status: FitStatus;
  readonly warnings: readonly string[];
  readonly method: string;
  /** Draws of (A, −alpha) for the power form (the law's interval); absent otherwise. */
  readonly draws?: { readonly coefficient: readonly number[]; readonly exponent: readonly number[] };
  /** Per draw, a new budget's ln offset from the curve (the prediction interval); power form with ≥ 3 budgets only. */
  readonly predictionDraws?: readonly number[];
}

export interface IsoflopAnalysis {
  readonly kind: "isoflop";
  /** Every run considered (ok or not), in input order. */
  readonly points: readonly RunPoint[];
  /** Their keys, in the same order. */
  readonly keys: readonly string[];
  readonly fit: IsoflopFit | null;
  readonly error?: string;
  readonly leaveOneOut: readonly { compute: number; modelScale: HeldOut; tokens: HeldOut }[] | null;
  readonly leaveOneOutNote?: string;
  /** null with `lossCurveNote` when fewer than 2 budgets have a minimum. */
  readonly lossCurve: LossCurveAnalysis | null;
  readonly lossCurveNote?: string;
}

/** Per-budget minima: the parabola vertex of `ok` budgets, else the budget's best ok run. */
export function lossPoints(points: readonly RunPoint[], fit: IsoflopFit | null): LossPoint[] {
  const best = new Map<number, number>();
  for (const p of points) if (p.status === "ok" && Number.isFinite(p.loss)) best.set(p.compute, Math.min(best.get(p.compute) ?? Infinity, p.loss));
  const vertex = new Map((fit?.budgets ?? []).filter((b) => b.status === "ok").map((b) => [b.compute, b.loss]));
  return [...best.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([compute, loss]) => {
      const v = vertex.get(compute);
      return v !== undefined ? { compute, loss: v, source: "vertex" as const } : { compute, loss, source: "best-run" as const };
    });
}

/**
 * L(C) through the per-budget minima: E + A·C^(−α) with ≥ 4 budgets, unless its E collapses to 0 (no floor
 * in the data), where the pure power law A·C^(−α) is the same curve with identified parameters and
 * intervals; with 2–3 budgets the pure power law, with status warning.
 */
export function fitLossPoints(pts: readonly LossPoint[], options?: IsoflopOptions): LossCurveAnalysis {
  const compute = pts.map((p) => p.compute), loss = pts.map((p) => p.loss);
  let collapsed: string | undefined;
  if (pts.length >= SATURATING_MIN_BUDGETS) {
    const f = fitLossCurve(compute, loss, { ...(options?.seed !== undefined ? { seed: options.seed } : {}), ...(options?.resamples !== undefined ? { resamples: Math.min(options.resamples, 200) } : {}) });
    if (!(f.params.E < E_COLLAPSE_FRACTION * Math.min(...loss))) {
      return { form: "saturating", points: pts, params: f.params, intervals: f.intervals, status: f.status, warnings: f.warnings, method: f.method };
    }
    collapsed = `E + A·C^(−α) put E at ${f.params.E.toExponential(2)} ≈ 0 (no irreducible floor over these budgets): the pure power law L = A·C^(−α) is fitted instead`;
  }
  // One minimum per budget: the interval from their scatter about the line (Student t), as every law across budgets.
  const lx = Float64Array.from(compute, Math.log), ly = Float64Array.from(loss, Math.log);
  const f = fitPowerLawAcrossBudgets(compute, loss, compute, options, { draw: (rng) => olsLine(lx, ly, resampleIndices(lx.length, rng)), label: "paired" });
  const [aLo, aHi] = f.intervals.exponent;
  const few = `only ${pts.length} budgets: pure power law L = A·C^(−α) (E = 0) instead of E + A·C^(−α), which needs ≥ ${SATURATING_MIN_BUDGETS}`;
  return {
    form: "power",
    points: pts,
    params: { E: 0, A: f.params.coefficient, alpha: -f.params.exponent },
    intervals: { E: [0, 0], A: f.intervals.coefficient, alpha: [-aHi, -aLo] },
    // A collapsed E is a finding about the data (a note), too few budgets is a limit of the fit (a warning).
    status: collapsed || f.status !== "ok" ? f.status : "warning",
    warnings: [...f.warnings, collapsed ?? few],
    method: f.method,
    draws: f.draws,
    ...(f.predictionDraws ? { predictionDraws: f.predictionDraws } : {}),
  };
}

/** L(C) at `compute`, with an interval when the curve carries bootstrap draws. */
export function predictLoss(curve: LossCurveAnalysis, compute: number): { value: number; interval: Interval | null; prediction: Interval | null } {
  const { E, A, alpha } = curve.params;
  const value = E + A * compute ** -alpha;
  if (!curve.draws || curve.draws.coefficient.length === 0) return { value, interval: null, prediction: null };
  const ys = curve.draws.coefficient.map((k, i) => k * compute ** curve.draws!.exponent[i]!);
  const offsets = curve.predictionDraws;
  const prediction = offsets && offsets.length === ys.length ? percentileInterval(ys.map((y, i) => y * Math.exp(offsets[i]!)), LOSS_CONFIDENCE, value) : null;
  return { value, interval: percentileInterval(ys, LOSS_CONFIDENCE, value), prediction };
}

export function analyzeIsoflop(points: readonly RunPoint[], options?: IsoflopOptions): IsoflopAnalysis {
  const keys = keysOf(points);
  let fit: IsoflopFit | null = null;
  let error: string | undefined;
  try {
    fit = fitIsoflop(points, options);
  } catch (e) {
    error = fitErrorReason(e);
  }
  let leaveOneOut: IsoflopAnalysis["leaveOneOut"] = null;
  let leaveOneOutNote: string | undefined = fit ? undefined : "no fit";
  if (fit) {
    try {
      leaveOneOut = leaveOneOutIsoflop(points);
    } catch (e) {
      leaveOneOutNote = fitErrorReason(e);
    }
  }
  const pts = lossPoints(points, fit);
  let lossCurve: LossCurveAnalysis | null = null;
  let lossCurveNote: string | undefined;
  if (pts.length < 2) lossCurveNote = `${pts.length} budget(s) with a minimum, L(C) needs ≥ 2`;
  else {
    try {
      lossCurve = fitLossPoints(pts, options);
    } catch (e) {
      lossCurveNote = fitErrorReason(e);
    }
  }
  return {
    kind: "isoflop",
    points,
    keys,
    fit,
    ...(error ? { error } : {}),
    leaveOneOut,
    ...(leaveOneOutNote ? { leaveOneOutNote } : {}),
    lossCurve,
    ...(lossCurveNote ? { lossCurveNote } : {}),
  };
}

/** The content of `fits/isoflop.json`. */
export interface IsoflopJson {
  readonly kind: "isoflop";
  readonly status: FitStatus | "not-fitted";
  readonly keys: readonly string[];
  readonly error?: string;
  readonly warnings: readonly string[];
  readonly modelScale?: LawJson;
  readonly tokens?: LawJson;
  readonly budgets?: IsoflopFit["budgets"];
  /** The vertices' χ² about the M_opt law and the scale it put on the bootstrap (lib/fit/isoflop). */
  readonly scatter?: IsoflopFit["scatter"];
  readonly leaveOneOut: IsoflopAnalysis["leaveOneOut"];
  readonly leaveOneOutNote?: string;
  readonly lossCurve: LossCurveAnalysis | null;
  readonly lossCurveNote?: string;
}

export function isoflopJson(a: IsoflopAnalysis): IsoflopJson {
  const base = {
    kind: "isoflop" as const,
    keys: a.keys,
    leaveOneOut: a.leaveOneOut,
    ...(a.leaveOneOutNote ? { leaveOneOutNote: a.leaveOneOutNote } : {}),
    lossCurve: a.lossCurve,
    ...(a.lossCurveNote ? { lossCurveNote: a.lossCurveNote } : {}),
  };
  if (!a.fit) return { ...base, status: "not-fitted", ...(a.error ? { error: a.error } : {}), warnings: [] };
  return { ...base, status: a.fit.status, warnings: a.fit.warnings, modelScale: lawJson(a.fit.modelScale), tokens: lawJson(a.fit.tokens), budgets: a.fit.budgets, scatter: a.fit.scatter };
}
