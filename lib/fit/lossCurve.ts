import { bootstrapRefits, bootstrapWarnings, intervalsOf, multistart, statusOf, type PointObjective } from "./multistart";
import { polishLeastSquares } from "./lmPolish";
import type { FitResult, FitStatus } from "./types";
import { requireConfidence, requireCount, requireMinPoints, requirePositive, requireSameLength } from "./validate";

/**
 * The saturating loss curve L(C) = E + A·C^(−α) (loss of compute-optimal runs against compute).
 * Fitted as log L = LSE(e, a − α ln C) by least squares on log loss (multiplicative noise; see
 * install.md §5: log residuals are both right and robust), grid-started L-BFGS, ln C centred
 * inside the optimiser, then polished by Levenberg–Marquardt (ml-levenberg-marquardt) when that
 * lowers the squared error. Intervals: paired bootstrap of L-BFGS refits from the point estimate.
 */

export interface LossCurveParams extends Record<string, number> {
  /** Irreducible loss, in the loss's unit. */
  E: number;
  A: number;
  alpha: number;
}

export interface LossCurveOptions {
  /** Bootstrap resamples. Default 200. */
  resamples?: number;
  /** Seed of the bootstrap stream. Default 0. */
  seed?: number;
  /** Central interval mass. Default 0.95. */
  confidence?: number;
}

/** Starting E as a fraction of the lowest observed loss (E must lie below every loss). */
const E_FRACTIONS = [0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97];
/** Starting exponents, spanning flat to steep curves. */
const ALPHAS = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2];
/** Grid starts refined by L-BFGS. */
const REFINE_STARTS = 5;
/** Largest objective gradient component still called an optimum (objective: ½Σ log-loss residual²). */
const GRADIENT_TOL = 1e-7;
/**
 * E below this fraction of the lowest loss counts as collapsed to 0: the data show no floor, E (fitted as
 * exp(e)) drifts towards e → −∞ where its gradient vanishes, so neither E nor its bootstrap interval means anything.
 */
export const E_COLLAPSE_FRACTION = 1e-3;

/** Fits L(C) = E + A·C^(−α); throws FitError on mismatched lengths, < 4 points, or non-positive values. */
export function fitLossCurve(compute: readonly number[], loss: readonly number[], options?: LossCurveOptions): FitResult<LossCurveParams> {
  const resamples = options?.resamples ?? 200;
  const seed = options?.seed ?? 0;
  const confidence = options?.confidence ?? 0.95;
  requireSameLength(compute, loss, "compute", "loss");
  requireMinPoints(compute.length, 4, "compute");
  requirePositive(compute, "compute");
  requirePositive(loss, "loss");
  requireCount(resamples, 0, "options.resamples");
  requireConfidence(confidence);

  const n = compute.length;
  const lnC = compute.map(Math.log), lnL = loss.map(Math.log);
  const mC = lnC.reduce((s, v) => s + v, 0) / n;
  const cC = lnC.map((v) => v - mC);
  // θ = [e, aC, α] with aC = ln A − α·mean(ln C).
  const objective: PointObjective = (t, grad, idx) => {
    const [e, aC, al] = t as [number, number, number];
    let f = 0, g0 = 0, g1 = 0, g2 = 0;
    const m = idx ? idx.length : n;
    for (let j = 0; j < m; j++) {
      const i = idx ? idx[j]! : j;
      const p = aC - al * cC[i]!;
      const mx = Math.max(p, e);
      const ep = Math.exp(p - mx), ee = Math.exp(e - mx);
      const sum = ep + ee;
      const r = mx + Math.log(sum) - lnL[i]!;
      f += 0.5 * r * r;
      g0 += (r * ee) / sum;
      g1 += (r * ep) / sum;
      g2 -= ((r * ep) / sum) * cC[i]!;
    }
    grad[0] = g0;
    grad[1] = g1;
    grad[2] = g2;
    return f;
  };
  const minLoss = Math.min(...loss);
  const meanLoss = loss.reduce((s, v) => s + v, 0) / n;
  const starts: number[][] = [];
  for (const fr of E_FRACTIONS) for (const al of ALPHAS) {
    const E = fr * minLoss;
    starts.push([Math.log(E), Math.log(Math.max(meanLoss - E, 1e-3 * meanLoss)), al]);
  }
  const { best: lbfgs } = multistart(objective, starts, REFINE_STARTS);
  // The same sum of squares through ml-levenberg-marquardt, from the L-BFGS optimum: kept when better.
  const lm = polishLeastSquares(([e, aC, al]) => (c) => Math.log(Math.exp(e!) + Math.exp(aC! - al! * c)), cC, lnL, lbfgs.x);
  const polished = lm !== undefined && lm.sse / 2 < lbfgs.value;
  const best = polished ? { x: lm.params } : { x: [...lbfgs.x] };
  const gradient = [0, 0, 0];
  objective(best.x, gradient, undefined);
  const atOptimum = (lbfgs.converged && !polished) || gradient.every((g) => Math.abs(g) <= GRADIENT_TOL);
  const toParams = (t: readonly number[]): LossCurveParams => ({ E: Math.exp(t[0]!), A: Math.exp(t[1]! + t[2]! * mC), alpha: t[2]! });
  const params = toParams(best.x);
  const boot = bootstrapRefits(objective, n, best.x, resamples, seed);
  const names = ["E", "A", "alpha"] as const;
  const draws = { E: [] as number[], A: [] as number[], alpha: [] as number[] };
  for (let k = 0; k < (boot.draws[0]?.length ?? 0); k++) {
    const p = toParams(boot.draws.map((d) => d[k]!));
    for (const name of names) draws[name].push(p[name]);
  }
  const residuals = cC.map((c, i) => Math.log(Math.exp(best.x[0]!) + Math.exp(best.x[1]! - best.x[2]! * c)) - lnL[i]!);
  const warnings: string[] = [];
  if (!atOptimum) warnings.push(`the fit ended off an optimum (largest gradient ${Math.max(...gradient.map(Math.abs)).toExponential(2)} after L-BFGS (${lbfgs.iterations} iterations) and LM): it may be inexact`);
  if (params.E < E_COLLAPSE_FRACTION * minLoss) warnings.push(`E = ${params.E.toExponential(2)} collapsed to 0 (< ${E_COLLAPSE_FRACTION} × the lowest loss): these data show no irreducible floor, so E and its interval are not identified; a pure power law describes them`);
  if (!(params.alpha > 0)) warnings.push(`exponent α = ${params.alpha} ≤ 0: the loss does not fall with compute in these data`);
  warnings.push(...bootstrapWarnings(boot.failed, resamples));
  const status: FitStatus = statusOf(params, warnings);
  return {
    params,
    intervals: intervalsOf(names, draws, confidence, params),
    status,
    warnings,
    n,
    residuals,
    method: `log-space least squares, L-BFGS from the best ${REFINE_STARTS} of ${starts.length} grid starts${polished ? ", polished by Levenberg–Marquardt" : ""}; paired bootstrap, ${resamples} refits (seed ${seed}), ${confidence * 100}% percentile intervals`,
  };
}

/** E + A·C^(−α) at `compute` FLOPs. */
export function predictLossCurve(p: Readonly<LossCurveParams>, compute: number): number {
  return p.E + p.A * compute ** -p.alpha;
}
