/**
 * Interval bands of fitted power laws from their bootstrap draws. Plain arithmetic (no Plot), so lib/frames can
 * use it for prediction intervals too.
 */

/** A power law y = coefficient · x^exponent, optionally with paired bootstrap draws for an interval. */
export interface LawLine {
  coefficient: number;
  exponent: number;
  /** Paired bootstrap draws (as in `PowerLawFit.draws`); used for the band when `band` is not given. */
  draws?: { readonly coefficient: readonly number[]; readonly exponent: readonly number[] };
}

/** One point of an interval band around a fitted line. */
export interface BandPoint {
  x: number;
  lo: number;
  hi: number;
}

/** Percentile of a sorted array by linear interpolation (q in [0, 1]). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

/**
 * Pointwise percentile band of a law's bootstrap draws over `xs` (a prediction interval of the line,
 * not a fit). Empty when the law carries no draws.
 */
export function lawBand(law: LawLine, xs: readonly number[], confidence = 0.95): BandPoint[] {
  const draws = law.draws;
  if (!draws || draws.coefficient.length === 0) return [];
  const n = Math.min(draws.coefficient.length, draws.exponent.length);
  const tail = (1 - confidence) / 2;
  return xs.map((x) => {
    const ys: number[] = [];
    for (let i = 0; i < n; i++) ys.push((draws.coefficient[i] ?? NaN) * x ** (draws.exponent[i] ?? NaN));
    ys.sort((p, q) => p - q);
    return { x, lo: quantileSorted(ys, tail), hi: quantileSorted(ys, 1 - tail) };
  });
}

