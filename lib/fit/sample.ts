import type { Interval } from "./types";
import type { Rng } from "../util/random";

/** Bootstrap building blocks: resampling indices (plain and within groups) and percentile intervals. */

/** `n` indices drawn uniformly with replacement from [0, n). */
export function resampleIndices(n: number, rng: Rng): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(n);
  return out;
}

/** Groups point indices by key, in order of first appearance. */
export function groupIndices<K>(keys: readonly K[]): Map<K, number[]> {
  const groups = new Map<K, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  return groups;
}

/** Stratified resample: each group keeps its size and is drawn with replacement from itself. */
export function resampleWithinGroups(groups: readonly (readonly number[])[], rng: Rng): number[] {
  const out: number[] = [];
  for (const g of groups) for (let i = 0; i < g.length; i++) out.push(g[rng.int(g.length)]!);
  return out;
}

/** Linear-interpolated quantile (type 7, as numpy's default) of an ascending-sorted array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Central percentile interval of bootstrap draws. With no draws it collapses to `fallback`
 * (the point estimate), so a result never carries NaN; callers warn when that happens.
 */
export function percentileInterval(draws: readonly number[], confidence: number, fallback: number): Interval {
  if (draws.length === 0) return [fallback, fallback];
  const sorted = Float64Array.from(draws).sort();
  const tail = (1 - confidence) / 2;
  const arr = Array.from(sorted);
  return [quantileSorted(arr, tail), quantileSorted(arr, 1 - tail)];
}
