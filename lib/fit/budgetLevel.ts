import type { Rng } from "../util/random";
import type { LogLine } from "./powerLaw";

/**
 * Intervals for a law fitted ACROSS budgets, from the budgets themselves (a random-effects view).
 * Each budget k gives one optimum y_k = ln of its optimum (mean of its near-optimal cloud, or its
 * parabola vertex) at x_k = ln C_k, and y_k = α + β·x_k + ε_k, where ε_k is the budget's scatter about
 * the law plus its run noise. Real budgets scatter by more than their run noise, so resampling runs
 * inside budgets (what the fits did before) gave intervals 3–5× too narrow; here the spread of the
 * y_k about the line measures both at once.
 *
 * Small-sample correction: with k = 3–6 budgets the residual variance s² has only k − 2 degrees of
 * freedom, so intervals use Student's t on k − 2 degrees instead of the normal — exact when the ε_k are
 * normal with one variance (the classical regression interval; t₀.₉₇₅ is 12.7, 4.3, 3.2, 2.8 for
 * k = 3…6). Draws reproduce it: (α, β) = θ̂ + s·L·z/√(χ²_ν/ν) with L the Cholesky factor of the
 * estimator's covariance per unit variance, and a new budget's offset s·z′/√(χ²_ν/ν) with the same
 * χ² (so prediction draws are t-distributed about the law, not a sum of two t's). With 2 budgets
 * nothing measures the scatter: callers keep their run-noise bootstrap and say so.
 *
 * The point estimate may weight budgets (w_k = near-optimal points at k makes it equal to the cloud
 * OLS of DeepSeek §3.1); s² is then RSS / (k − 4 + Σ H_ij²) with H the weighted hat matrix, which is
 * unbiased for any weights (and k − 2 for equal ones).
 */

/** What the budgets' scatter about the law is, and how it entered the intervals. */
export interface BudgetScatter {
  /** Budgets the law was fitted to. */
  readonly budgets: number;
  /** Degrees of freedom of s (budgets − 2). */
  readonly dof: number;
  /** s: sd of a budget's optimum about the law, ln units (between-budget scatter plus run noise). */
  readonly sd: number;
  /** Student-t quantile the intervals correspond to. */
  readonly t: number;
  /** Root mean square of leave-one-budget-out errors, ln units (each budget predicted by the law fitted without it). */
  readonly leaveOneOutRms: number | null;
  /** Range of the fitted law over the budgets, ln units (what the scatter is compared with). */
  readonly fittedRange: number;
  /** R² of the budgets' optima about the law (weighted as the fit): how much of their spread in ln y the law explains. */
  readonly r2: number;
  /** Budgets and the weight (e.g. near-optimal points) each carried. */
  readonly weights: readonly number[];
}

/** Weighted least-squares line through (x_k, y_k); coefficients of each y_k in (α̂, β̂) come back too. */
function weightedLine(x: readonly number[], y: readonly number[], w: readonly number[]): { line: LogLine; cA: number[]; cB: number[] } | undefined {
  const W = w.reduce((s, v) => s + v, 0);
  const mx = x.reduce((s, v, i) => s + w[i]! * v, 0) / W;
  const sxx = x.reduce((s, v, i) => s + w[i]! * (v - mx) ** 2, 0);
  if (!(sxx > 1e-24 * Math.max(1, mx * mx) * W)) return undefined;
  const cB = x.map((v, i) => (w[i]! * (v - mx)) / sxx);
  const cA = x.map((_, i) => w[i]! / W - mx * cB[i]!);
  const slope = cB.reduce((s, c, i) => s + c * y[i]!, 0);
  const intercept = cA.reduce((s, c, i) => s + c * y[i]!, 0);
  return { line: { slope, intercept }, cA, cB };
}

/** Quantile of Student's t with ν degrees of freedom, by bisection on its CDF (regularised incomplete beta by continued fraction). */
export function studentT(p: number, nu: number): number {
  const cdf = (t: number): number => {
    const x = nu / (nu + t * t);
    const tail = 0.5 * incompleteBeta(x, nu / 2, 0.5);
    return t > 0 ? 1 - tail : tail;
  };
  let lo = -1e3, hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function logGamma(z: number): number {
  // Lanczos approximation (g = 7, 9 terms), |error| < 1e-13 for z > 0.
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const zz = z - 1;
  let a = g[0]!;
  const t = zz + 7.5;
  for (let i = 1; i < 9; i++) a += g[i]! / (zz + i);
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) (Numerical Recipes' continued fraction). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
  let f = d;
  for (let m = 1; m <= 300; m++) {
    for (const num of [(m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))]) {
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
      c = 1 + num / c;
      if (Math.abs(c) < 1e-300) c = 1e-300;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-15) break;
  }
  return (front * f) / a;
}

export interface BudgetDraws {
  readonly scatter: BudgetScatter;
  /** One law per draw. */
  readonly laws: LogLine[];
  /** One new-budget offset per draw (ln units), paired with `laws`. */
  readonly offsets: number[];
}

/**
 * Budget-level draws for the law through (x_k, y_k) with weights w_k (ln C, ln optimum); undefined with
 * fewer than 3 budgets (no degree of freedom left for the scatter) or no spread in x.
 */
export function budgetDraws(x: readonly number[], y: readonly number[], w: readonly number[], resamples: number, rng: Rng, confidence: number): BudgetDraws | undefined {
  const k = x.length;
  if (k < 3) return undefined;
  const fit = weightedLine(x, y, w);
  if (!fit) return undefined;
  const { line, cA, cB } = fit;
  const residuals = x.map((v, i) => y[i]! - line.intercept - line.slope * v);
  const rss = residuals.reduce((s, r) => s + r * r, 0);
  // Σ H_ij² of the weighted hat matrix: fitted_i = Σ_j (cA_j + x_i·cB_j) y_j.
  let h2 = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) h2 += (cA[j]! + x[i]! * cB[j]!) ** 2;
  const dof = k - 2;
  const sd = Math.sqrt(rss / (k - 4 + h2));
  // Covariance of (α̂, β̂) per unit variance, and its Cholesky factor.
  const vaa = cA.reduce((s, c) => s + c * c, 0), vbb = cB.reduce((s, c) => s + c * c, 0), vab = cA.reduce((s, c, i) => s + c * cB[i]!, 0);
  const l11 = Math.sqrt(vaa), l21 = vab / l11, l22 = Math.sqrt(Math.max(0, vbb - l21 * l21));
  const laws: LogLine[] = [], offsets: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let chi = 0;
    for (let i = 0; i < dof; i++) chi += rng.normal() ** 2;
    const scale = sd / Math.sqrt(chi / dof);
    const z1 = rng.normal(), z2 = rng.normal();
    laws.push({ intercept: line.intercept + scale * l11 * z1, slope: line.slope + scale * (l21 * z1 + l22 * z2) });
    offsets.push(scale * rng.normal());
  }
  const fitted = x.map((v) => line.intercept + line.slope * v);
  const W = w.reduce((a, v) => a + v, 0);
  const my = y.reduce((a, v, i) => a + w[i]! * v, 0) / W;
  const tss = y.reduce((a, v, i) => a + w[i]! * (v - my) ** 2, 0);
  const wrss = residuals.reduce((a, r, i) => a + w[i]! * r * r, 0);
  return {
    scatter: {
      budgets: k,
      dof,
      sd,
      t: studentT(1 - (1 - confidence) / 2, dof),
      leaveOneOutRms: leaveOneOutRms(x, y, w),
      fittedRange: Math.max(...fitted) - Math.min(...fitted),
      r2: tss > 0 ? Math.max(0, 1 - wrss / tss) : 1,
      weights: [...w],
    },
    laws,
    offsets,
  };
}

/** RMS over budgets of (law fitted without budget k at x_k) − y_k; null when a refit has < 2 budgets. */
function leaveOneOutRms(x: readonly number[], y: readonly number[], w: readonly number[]): number | null {
  let s = 0;
  for (let k = 0; k < x.length; k++) {
    const keep = (_: number, i: number): boolean => i !== k;
    const f = weightedLine(x.filter(keep), y.filter(keep), w.filter(keep));
    if (!f) return null;
    s += (f.line.intercept + f.line.slope * x[k]! - y[k]!) ** 2;
  }
  return Math.sqrt(s / x.length);
}
