import type { FitStatus, PowerLawFit } from "./types";

/**
 * A law's status from its own quality, each reason one line naming the law: how much of the variance it
 * explains, how far budgets scatter about it against the range it spans, how well it predicts a budget
 * left out, whether its exponent is distinguishable from zero, and how many near-optimal points each
 * budget gave. Cross-checks the law does not use are notes elsewhere, never this status.
 */

/** Below this R² (log space) the law explains less of ln y than is left: a trend claimed from noise. */
export const MIN_LAW_R2 = 0.5;
/** Scatter sd above this share of the range the law spans over its budgets: the budgets barely follow it. */
export const MAX_SCATTER_SHARE = 0.5;
/** Leave-one-budget-out RMS error above this (ln units, ≈ ×1.65) misses a held-out budget by more than the usual hyperparameter tolerance. */
export const MAX_LEAVE_ONE_OUT_LN = 0.5;

/** One-line warnings about `fit`, each starting with `name`; `pointsPerBudget` labels budgets by compute. */
export function lawWarnings(name: string, fit: PowerLawFit, pointsPerBudget?: readonly { compute: number; points: number }[]): string[] {
  const out: string[] = [];
  // Across budgets, R² of the budgets' optima (a cloud's R² also counts the width of each near-optimal band).
  const r2 = fit.scatter ? fit.scatter.r2 : fit.r2;
  const of = fit.scatter ? "the budgets' optima" : "the points";
  if (r2 < MIN_LAW_R2) out.push(`${name}: R² = ${r2.toFixed(3)}, the law explains ${(r2 * 100).toFixed(0)}% of the variance of ln y over ${of} (< ${MIN_LAW_R2 * 100}%)`);
  const [lo, hi] = fit.intervals.exponent;
  if (lo <= 0 && hi >= 0 && fit.draws.exponent.length > 0) out.push(`${name}: the exponent's interval [${lo.toPrecision(3)}, ${hi.toPrecision(3)}] spans 0, so the data do not show a trend in compute`);
  const s = fit.scatter;
  if (s && s.fittedRange > 0 && s.sd > MAX_SCATTER_SHARE * s.fittedRange) {
    out.push(`${name}: budgets scatter about the law by sd ${s.sd.toFixed(3)} in ln units, ${((s.sd / s.fittedRange) * 100).toFixed(0)}% of the ${s.fittedRange.toFixed(3)} it spans over them`);
  }
  if (s && s.sd === 0) out.push(`${name}: every budget's optimum lies exactly on the law (scatter 0), so its zero-width interval says nothing about a new budget: the optima are probably set by the grid's resolution`);
  if (s && s.leaveOneOutRms !== null && s.leaveOneOutRms > MAX_LEAVE_ONE_OUT_LN) {
    out.push(`${name}: leaving one budget out, the law misses it by ×${Math.exp(s.leaveOneOutRms).toFixed(2)} (RMS of ln error ${s.leaveOneOutRms.toFixed(3)} > ${MAX_LEAVE_ONE_OUT_LN})`);
  }
  const single = (pointsPerBudget ?? []).filter((b) => b.points < 2);
  if (single.length > 0 && single.length >= SINGLE_CELL_SHARE * pointsPerBudget!.length) {
    out.push(`${name}: ${single.length} of ${pointsPerBudget!.length} budgets (${single.map((b) => b.compute.toExponential(1)).join(", ")}) give 1 near-optimal run, so their optimum is one grid cell`);
  }
  return out;
}

/** Share of budgets with a single near-optimal run from which the law rests on grid cells rather than clouds. */
export const SINGLE_CELL_SHARE = 0.5;

/** The fit with its own quality folded in: reasons appended to its warnings (without the name), `warning` when there are any. */
export function withLawStatus(name: string, fit: PowerLawFit, pointsPerBudget?: readonly { compute: number; points: number }[]): PowerLawFit {
  const reasons = lawWarnings(name, fit, pointsPerBudget).map((w) => w.slice(name.length + 2));
  const status: FitStatus = fit.status === "failed" ? "failed" : reasons.length > 0 || fit.status === "warning" ? "warning" : "ok";
  return { ...fit, status, warnings: [...fit.warnings, ...reasons] };
}
