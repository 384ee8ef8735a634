import { FitError } from "../util/errors";

/**
 * Input checks shared by every fitter. Each throws a one-line FitError naming the argument at
 * fault, so a fitter never returns NaN from bad input.
 */

/** Throws unless `a` and `b` have the same length. */
export function requireSameLength(a: readonly unknown[], b: readonly unknown[], nameA: string, nameB: string): void {
  if (a.length !== b.length) {
    throw new FitError(`length ${a.length} differs from ${nameB} length ${b.length}`, nameA, "pass one value per point in each array");
  }
}

/** Throws unless there are at least `min` points. */
export function requireMinPoints(n: number, min: number, name: string): void {
  if (n < min) throw new FitError(`${n} points, need at least ${min}`, name, "add more runs before fitting");
}

/** Throws unless every value is finite. */
export function requireFinite(values: readonly number[], name: string): void {
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new FitError(`value ${v} is not finite`, `${name}[${i}]`, "drop or fix this point");
  });
}

/** Throws unless every value is finite and > 0 (it is about to be logged). */
export function requirePositive(values: readonly number[], name: string): void {
  values.forEach((v, i) => {
    if (!Number.isFinite(v) || v <= 0) {
      throw new FitError(`value ${v} must be finite and > 0 (its log is taken)`, `${name}[${i}]`, "drop or fix this point");
    }
  });
}

/** Throws unless `value` is an integer ≥ `min`. */
export function requireCount(value: number, min: number, name: string): void {
  if (!Number.isInteger(value) || value < min) throw new FitError(`must be an integer ≥ ${min}, got ${value}`, name, `pass an integer ≥ ${min}`);
}

/** Throws unless 0 < confidence < 1. */
export function requireConfidence(confidence: number, name = "options.confidence"): void {
  if (!(confidence > 0 && confidence < 1)) throw new FitError(`must lie in (0, 1), got ${confidence}`, name, "pass e.g. 0.95");
}
