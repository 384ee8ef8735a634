import { createRequire } from "node:module";
import { join } from "node:path";

/**
 * Levenberg–Marquardt polish of a least-squares optimum, with ml-levenberg-marquardt. Used after a
 * grid-started L-BFGS on sums of squares (not on Huber objectives, which are not sums of squares).
 * Its pitfalls (install.md §5) are avoided: residuals are already in log space, no `weights`, a
 * small central-difference step instead of the coarse default 0.1, and an explicit iteration cap,
 * since its only stopping rule is an error threshold that noisy data never meet.
 */

/** The part of ml-levenberg-marquardt 5.1's API used here. */
type LevenbergMarquardt = (
  data: { x: number[]; y: number[] },
  model: (params: number[]) => (x: number) => number,
  options: { initialValues: number[]; gradientDifference: number; centralDifference: boolean; maxIterations: number; errorTolerance: number },
) => { parameterValues: ArrayLike<number> };

/**
 * The library, through require (Node ≥ 20.19 loads ESM that way): notebooks compile lib/ with tslab's
 * TypeScript 5.0 in CommonJS resolution, which cannot see this ESM-only package's types. Every entry
 * point runs at the project root, where its node_modules is.
 */
function levenbergMarquardt(): LevenbergMarquardt {
  const require = createRequire(join(process.cwd(), "package.json"));
  return (require("ml-levenberg-marquardt") as { levenbergMarquardt: LevenbergMarquardt }).levenbergMarquardt;
}

/** Finite-difference step for the Jacobian (the library default, 0.1, is too coarse for exponents). */
const GRADIENT_DIFFERENCE = 1e-6;
/** Iterations; the library stops early only when the error falls under errorTolerance. */
const MAX_ITERATIONS = 200;

export interface Polished {
  readonly params: number[];
  /** Sum of squared residuals at `params`. */
  readonly sse: number;
}

/** LM from `start`; undefined when the library throws (singular steps) or returns non-finite values. */
export function polishLeastSquares(
  model: (params: number[]) => (x: number) => number,
  x: readonly number[],
  y: readonly number[],
  start: readonly number[],
): Polished | undefined {
  const lm = levenbergMarquardt(); // outside the try: a missing library is an error, not a skipped polish
  try {
    const { parameterValues } = lm({ x: [...x], y: [...y] }, model, {
      initialValues: [...start],
      gradientDifference: GRADIENT_DIFFERENCE,
      centralDifference: true,
      maxIterations: MAX_ITERATIONS,
      errorTolerance: 0,
    });
    const params = Array.from(parameterValues);
    const f = model(params);
    const sse = x.reduce((s, xi, i) => s + (f(xi) - y[i]!) ** 2, 0);
    return params.every(Number.isFinite) && Number.isFinite(sse) ? { params, sse } : undefined;
  } catch {
    return undefined;
  }
}
