import { FitError } from "../util/errors";
import { createRng } from "../util/random";
import { minimizeLbfgs, type MinimizeOptions, type MinimizeResult } from "./optimize";
import { percentileInterval, resampleIndices } from "./sample";
import type { Interval } from "./types";

/**
 * Grid-started L-BFGS and a paired bootstrap of it, for the parametric loss laws (lossCurve,
 * chinchilla). The objective is a sum over points; `idx` selects (with repeats) which points.
 */

/** f(θ) over the points listed in `idx` (all points when undefined); writes ∇f into `grad`. */
export type PointObjective = (theta: readonly number[], grad: number[], idx: readonly number[] | undefined) => number;

export interface MultistartResult {
  readonly best: MinimizeResult;
  /** Starts that were refined with L-BFGS. */
  readonly refined: number;
}

/**
 * Evaluates every start, refines the `topK` lowest with L-BFGS and returns the best optimum.
 * (Refining all of Epoch's 4500 starts gives the same optimum on their data at ~100× the cost.)
 */
export function multistart(f: PointObjective, starts: readonly (readonly number[])[], topK: number, options?: MinimizeOptions): MultistartResult {
  const scratch: number[] = new Array<number>(starts[0]?.length ?? 0).fill(0);
  const scored = starts
    .map((s) => ({ s, v: f(s, scratch, undefined) }))
    .filter((e) => Number.isFinite(e.v))
    .sort((a, b) => a.v - b.v)
    .slice(0, Math.max(1, topK));
  let best: MinimizeResult | undefined;
  for (const { s } of scored) {
    const r = minimizeLbfgs((x, g) => f(x, g, undefined), s, options);
    if (!best || r.value < best.value) best = r;
  }
  if (!best) throw new FitError("no grid start gives a finite objective", "loss", "check that the data are finite and on a sane scale");
  return { best, refined: scored.length };
}

export interface BootstrapRefits {
  /** One array per parameter (in θ order) of the successful refits' values. */
  readonly draws: number[][];
  readonly failed: number;
}

/** Paired bootstrap: resample points, refit by L-BFGS from `from` (the point estimate). */
export function bootstrapRefits(
  f: PointObjective,
  nPoints: number,
  from: readonly number[],
  resamples: number,
  seed: number,
  options?: MinimizeOptions,
): BootstrapRefits {
  const rng = createRng(seed);
  const draws = from.map(() => [] as number[]);
  let failed = 0;
  for (let b = 0; b < resamples; b++) {
    const idx = resampleIndices(nPoints, rng);
    const r = minimizeLbfgs((x, g) => f(x, g, idx), from, options);
    if (!r.x.every(Number.isFinite)) {
      failed++;
      continue;
    }
    r.x.forEach((v, i) => draws[i]!.push(v));
  }
  return { draws, failed };
}

/** Percentile intervals of transformed draws, one per named parameter. */
export function intervalsOf<K extends string>(
  names: readonly K[],
  transformed: Record<K, number[]>,
  confidence: number,
  point: Record<K, number>,
): Record<K, Interval> {
  const out = {} as Record<K, Interval>;
  for (const k of names) out[k] = percentileInterval(transformed[k], confidence, point[k]);
  return out;
}

/** The warnings every bootstrapped refit shares: failed refits (over 5%) and collapsed intervals. */
export function bootstrapWarnings(failed: number, resamples: number): string[] {
  const warnings: string[] = [];
  if (failed > 0.05 * resamples) warnings.push(`${failed} of ${resamples} bootstrap refits failed`);
  if (resamples === 0) warnings.push("no bootstrap resamples: intervals collapse to the point estimate");
  return warnings;
}

/** `failed` when a parameter is not finite, else `warning` when there are warnings, else `ok`. */
export function statusOf(params: Record<string, number>, warnings: readonly string[]): "ok" | "warning" | "failed" {
  return Object.values(params).every(Number.isFinite) ? (warnings.length > 0 ? "warning" : "ok") : "failed";
}
