import { FitError } from "../util/errors";
import type { RunPoint } from "./types";

/**
 * The near-optimal selection of DeepSeek LLM §3.1: at each compute budget, every run whose loss
 * exceeds that budget's best by no more than 0.25 % is near-optimal. Nothing is dropped silently:
 * each left-out run comes back with its reason.
 */

/** DeepSeek LLM §3.1 (arXiv 2401.02954): "no more than 0.25%" above the minimum at that budget. */
export const NEAR_OPTIMAL_THRESHOLD = 0.0025;

export interface NearOptimalOptions {
  /** Relative loss excess over the budget's best still counted as near-optimal. Default 0.0025 (0.25 %). */
  threshold?: number;
}

export interface NearOptimalSelection {
  /** Near-optimal runs, in input order. */
  readonly kept: RunPoint[];
  /** Every other run with why it was left out. */
  readonly dropped: { point: RunPoint; reason: string }[];
  /** Best (lowest) loss among `ok` runs per budget, ascending in compute. */
  readonly bestByBudget: { compute: number; loss: number }[];
}

/** Keeps, per budget (grouped by exact `compute`), the `ok` runs with loss ≤ best·(1 + threshold). */
export function selectNearOptimal(points: readonly RunPoint[], options?: NearOptimalOptions): NearOptimalSelection {
  const threshold = options?.threshold ?? NEAR_OPTIMAL_THRESHOLD;
  if (!(threshold >= 0) || !Number.isFinite(threshold)) {
    throw new FitError(`must be finite and ≥ 0, got ${threshold}`, "options.threshold", "pass e.g. 0.0025 for 0.25 %");
  }
  const dropped: { point: RunPoint; reason: string }[] = [];
  const best = new Map<number, number>();
  points.forEach((p, i) => {
    if (!(p.compute > 0) || !Number.isFinite(p.compute)) {
      throw new FitError(`compute ${p.compute} must be finite and > 0`, `points[${i}].compute`, "fix or drop this run");
    }
    if (p.status !== "ok") return;
    if (!Number.isFinite(p.loss)) throw new FitError(`loss ${p.loss} is not finite on an ok run`, `points[${i}].loss`, "mark the run failed or fix its loss");
    best.set(p.compute, Math.min(best.get(p.compute) ?? Infinity, p.loss));
  });
  const kept: RunPoint[] = [];
  for (const p of points) {
    if (p.status !== "ok") {
      dropped.push({ point: p, reason: `status "${p.status}" is not ok` });
      continue;
    }
    const b = best.get(p.compute)!;
    // Relative to |best| so a negative loss scale (never in practice) does not invert the test.
    const limit = b + threshold * Math.abs(b);
    if (p.loss <= limit) kept.push(p);
    else dropped.push({ point: p, reason: `loss ${p.loss} exceeds best ${b} at this budget by ${(((p.loss - b) / Math.abs(b)) * 100).toFixed(3)}% (> ${threshold * 100}%)` });
  }
  const bestByBudget = [...best.entries()].sort((a, b) => a[0] - b[0]).map(([compute, loss]) => ({ compute, loss }));
  return { kept, dropped, bestByBudget };
}
