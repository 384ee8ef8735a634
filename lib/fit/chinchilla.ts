import { FitError } from "../util/errors";
import { bootstrapRefits, bootstrapWarnings, intervalsOf, multistart, statusOf, type PointObjective } from "./multistart";
import type { FitResult, FitStatus } from "./types";
import { requireConfidence, requireCount, requireMinPoints, requirePositive, requireSameLength } from "./validate";

/**
 * Chinchilla's parametric law L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, Approach 3) fitted
 * as Epoch AI refit it (Besiroglu et al. 2024, arXiv 2404.10102): log L = LSE(a − α ln N, b − β ln D, e),
 * Huber loss (δ = 1e-3) on log predicted − log observed, SUMMED (averaging makes L-BFGS stop early,
 * Marin PR #749), from their grid of starts, refined by L-BFGS. ln N and ln D are centred inside the
 * optimiser (a and b absorb the shift) so a, α are not nearly collinear; results are in raw units.
 */

export interface ChinchillaParams extends Record<string, number> {
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
}

export interface ChinchillaOptions {
  /** Huber threshold on log-loss residuals. Default 1e-3 (Epoch). */
  delta?: number;
  /** Bootstrap resamples (each an L-BFGS refit from the point estimate). Default 200. */
  resamples?: number;
  /** Seed of the bootstrap stream. Default 0. */
  seed?: number;
  /** Central interval mass. Default 0.95. */
  confidence?: number;
  /** Grid starts, lowest objective first, refined by L-BFGS. Default 20. */
  refineStarts?: number;
}

/** Epoch's Huber δ on log loss (analyzing-chinchilla, data_analysis.ipynb). */
export const EPOCH_HUBER_DELTA = 1e-3;
/** Epoch's grid of starts: e ∈ {−1..1 step .5}, a, b ∈ {0..25 step 5}, α, β ∈ {0..2 step .5}. */
const GRID_E = [-1, -0.5, 0, 0.5, 1];
const GRID_AB = [0, 5, 10, 15, 20, 25];
const GRID_EXP = [0, 0.5, 1, 1.5, 2];

/** Huber ρ(r) and ρ'(r) (scipy.special.huber convention: r²/2 inside δ, δ(|r| − δ/2) outside). */
export function huber(r: number, delta: number): { value: number; slope: number } {
  const a = Math.abs(r);
  return a <= delta ? { value: 0.5 * r * r, slope: r } : { value: delta * (a - 0.5 * delta), slope: delta * Math.sign(r) };
}

/** Log-sum-exp of three terms with the softmax weights (the gradient of LSE). */
function lse3(p: number, q: number, r: number): { value: number; wp: number; wq: number; wr: number } {
  const m = Math.max(p, q, r);
  const ep = Math.exp(p - m), eq = Math.exp(q - m), er = Math.exp(r - m);
  const s = ep + eq + er;
  return { value: m + Math.log(s), wp: ep / s, wq: eq / s, wr: er / s };
}

/** Fits L(N, D); throws FitError on mismatched lengths, < 6 points, or non-positive values. */
export function fitChinchilla(
  N: readonly number[],
  D: readonly number[],
  loss: readonly number[],
  options?: ChinchillaOptions,
): FitResult<ChinchillaParams> {
  const delta = options?.delta ?? EPOCH_HUBER_DELTA;
  const resamples = options?.resamples ?? 200;
  const seed = options?.seed ?? 0;
  const confidence = options?.confidence ?? 0.95;
  const refineStarts = options?.refineStarts ?? 20;
  requireSameLength(N, loss, "N", "loss");
  requireSameLength(D, loss, "D", "loss");
  requireMinPoints(N.length, 6, "N");
  requirePositive(N, "N");
  requirePositive(D, "D");
  requirePositive(loss, "loss");
  requireCount(resamples, 0, "options.resamples");
  requireCount(refineStarts, 1, "options.refineStarts");
  requireConfidence(confidence);
  if (!(delta > 0)) throw new FitError(`must be > 0, got ${delta}`, "options.delta", "pass e.g. 1e-3");

  const n = N.length;
  const lnN = N.map(Math.log), lnD = D.map(Math.log), lnL = loss.map(Math.log);
  const mN = lnN.reduce((s, v) => s + v, 0) / n, mD = lnD.reduce((s, v) => s + v, 0) / n;
  const cN = lnN.map((v) => v - mN), cD = lnD.map((v) => v - mD);

  // θ = [e, aC, bC, α, β], with aC = a − α·mean(ln N), bC = b − β·mean(ln D).
  const objective: PointObjective = (t, grad, idx) => {
    const [e, aC, bC, al, be] = t as [number, number, number, number, number];
    let f = 0;
    const m = idx ? idx.length : n;
    let g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0;
    for (let j = 0; j < m; j++) {
      const i = idx ? idx[j]! : j;
      // Inlined lse3 + huber: this loop is the whole cost of a fit.
      const p = aC - al * cN[i]!, q = bC - be * cD[i]!;
      const mx = Math.max(p, q, e);
      const ep = Math.exp(p - mx), eq = Math.exp(q - mx), er = Math.exp(e - mx);
      const sum = ep + eq + er;
      const r = mx + Math.log(sum) - lnL[i]!;
      const ar = Math.abs(r);
      let slope: number;
      if (ar <= delta) {
        f += 0.5 * r * r;
        slope = r;
      } else {
        f += delta * (ar - 0.5 * delta);
        slope = r > 0 ? delta : -delta;
      }
      const sp = (slope * ep) / sum, sq = (slope * eq) / sum;
      g0 += (slope * er) / sum;
      g1 += sp;
      g2 += sq;
      g3 -= sp * cN[i]!;
      g4 -= sq * cD[i]!;
    }
    grad[0] = g0;
    grad[1] = g1;
    grad[2] = g2;
    grad[3] = g3;
    grad[4] = g4;
    return f;
  };
  const starts: number[][] = [];
  for (const e of GRID_E) for (const a of GRID_AB) for (const b of GRID_AB) for (const al of GRID_EXP) for (const be of GRID_EXP) {
    starts.push([e, a - al * mN, b - be * mD, al, be]);
  }
  const { best } = multistart(objective, starts, refineStarts);
  const toParams = (t: readonly number[]): ChinchillaParams => {
    const [e, aC, bC, al, be] = t as [number, number, number, number, number];
    return { E: Math.exp(e), A: Math.exp(aC + al * mN), B: Math.exp(bC + be * mD), alpha: al, beta: be };
  };
  const params = toParams(best.x);
  const boot = bootstrapRefits(objective, n, best.x, resamples, seed);
  const names = ["E", "A", "B", "alpha", "beta"] as const;
  const draws = { E: [] as number[], A: [] as number[], B: [] as number[], alpha: [] as number[], beta: [] as number[] };
  const nDraws = boot.draws[0]?.length ?? 0;
  for (let k = 0; k < nDraws; k++) {
    const p = toParams(boot.draws.map((d) => d[k]!));
    for (const name of names) draws[name].push(p[name]);
  }
  const residuals = lnN.map((_, i) => lse3(best.x[1]! - best.x[3]! * cN[i]!, best.x[2]! - best.x[4]! * cD[i]!, best.x[0]!).value - lnL[i]!);
  const warnings: string[] = [];
  if (!best.converged) warnings.push(`L-BFGS stopped at its iteration cap (${best.iterations}); the optimum may be inexact`);
  if (!(params.alpha > 0) || !(params.beta > 0)) warnings.push(`non-positive exponent (α = ${params.alpha}, β = ${params.beta}): the law is not identified by these data`);
  warnings.push(...bootstrapWarnings(boot.failed, resamples));
  const status: FitStatus = statusOf(params, warnings);
  return {
    params,
    intervals: intervalsOf(names, draws, confidence, params),
    status,
    warnings,
    n,
    residuals,
    method: `log-space Huber (δ=${delta}, summed), L-BFGS from the best ${refineStarts} of ${starts.length} grid starts; paired bootstrap, ${resamples} refits (seed ${seed}), ${confidence * 100}% percentile intervals`,
  };
}

/** Compute-optimal allocation under L(N, D) with C = 6·N·D (Hoffmann et al. 2022, Eq. 4). */
export interface ChinchillaAllocation {
  /** N_opt, parameters. */
  readonly params: number;
  /** D_opt, tokens. */
  readonly tokens: number;
  /** L(N_opt, D_opt). */
  readonly loss: number;
  /** a = β/(α+β): N_opt ∝ C^a. */
  readonly paramsExponent: number;
  /** b = α/(α+β): D_opt ∝ C^b. */
  readonly tokensExponent: number;
}

/** N_opt = G·(C/6)^a, D_opt = G⁻¹·(C/6)^b, G = (αA/(βB))^(1/(α+β)); `compute` in FLOPs. */
export function chinchillaAllocation(p: Readonly<ChinchillaParams>, compute: number): ChinchillaAllocation {
  if (!(compute > 0) || !Number.isFinite(compute)) throw new FitError(`must be finite and > 0, got ${compute}`, "compute", "pass a FLOP budget");
  if (!(p.alpha > 0) || !(p.beta > 0) || !(p.A > 0) || !(p.B > 0)) {
    throw new FitError("A, B, α, β must all be > 0 for an optimal allocation", "params", "refit or check the fit's warnings");
  }
  const a = p.beta / (p.alpha + p.beta), b = p.alpha / (p.alpha + p.beta);
  const G = ((p.alpha * p.A) / (p.beta * p.B)) ** (1 / (p.alpha + p.beta));
  const params = G * (compute / 6) ** a;
  const tokens = (compute / 6) ** b / G;
  return { params, tokens, loss: p.E + p.A / params ** p.alpha + p.B / tokens ** p.beta, paramsExponent: a, tokensExponent: b };
}
