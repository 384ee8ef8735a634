/**
 * A small dependency-free L-BFGS (two-loop recursion, backtracking Armijo line search) with an
 * explicit iteration budget. Used for the smooth log-space objectives of lossCurve and chinchilla,
 * where ml-levenberg-marquardt does not apply (Huber is not a sum of squares).
 */

/** Writes ∇f(x) into `grad` and returns f(x). */
export type Objective = (x: readonly number[], grad: number[]) => number;

export interface MinimizeOptions {
  /** Iteration cap. Default 500. */
  maxIterations?: number;
  /** Stop when max |∂f/∂xᵢ| falls below this. Default 1e-12 (tight: noiseless fits must reach ~1e-9). */
  gradientTolerance?: number;
  /** Stop when a step lowers f by less than this fraction of |f|. Default 1e-14 (near double precision). */
  valueTolerance?: number;
  /** Stored correction pairs. Default 10. */
  memory?: number;
}

export interface MinimizeResult {
  readonly x: number[];
  readonly value: number;
  readonly iterations: number;
  /** True when the gradient test passed or no descent step remained (a minimum to machine precision). */
  readonly converged: boolean;
  /** "gradient", "value", "no-progress" or "max-iterations". */
  readonly reason: "gradient" | "value" | "no-progress" | "max-iterations";
}

/** Armijo sufficient-decrease constant (Nocedal & Wright's usual 1e-4). */
const ARMIJO_C1 = 1e-4;
/** Step halvings before the line search gives up. */
const MAX_BACKTRACKS = 60;

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const maxAbs = (a: readonly number[]): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Minimises `f` from `x0` by L-BFGS. Non-finite values are treated as +∞ (the step is shortened). */
export function minimizeLbfgs(f: Objective, x0: readonly number[], options?: MinimizeOptions): MinimizeResult {
  const maxIterations = options?.maxIterations ?? 500;
  const gtol = options?.gradientTolerance ?? 1e-12;
  const memory = options?.memory ?? 10;
  const ftol = options?.valueTolerance ?? 1e-14;
  const n = x0.length;
  let x = [...x0];
  let g = new Array<number>(n).fill(0);
  let fx = f(x, g);
  const ss: number[][] = [], ys: number[][] = [], rhos: number[] = [];
  if (!Number.isFinite(fx) || !g.every(Number.isFinite)) return { x, value: Number.isFinite(fx) ? fx : Infinity, iterations: 0, converged: false, reason: "no-progress" };
  for (let it = 0; it < maxIterations; it++) {
    if (maxAbs(g) < gtol) return { x, value: fx, iterations: it, converged: true, reason: "gradient" };
    // Two-loop recursion: d = −H·g.
    const q = [...g];
    const alphas: number[] = [];
    for (let k = ss.length - 1; k >= 0; k--) {
      const a = rhos[k]! * dot(ss[k]!, q);
      alphas[k] = a;
      for (let i = 0; i < n; i++) q[i] = q[i]! - a * ys[k]![i]!;
    }
    const last = ss.length - 1;
    const gamma = last >= 0 ? dot(ss[last]!, ys[last]!) / dot(ys[last]!, ys[last]!) : 1 / Math.max(1, maxAbs(g));
    for (let i = 0; i < n; i++) q[i] = q[i]! * gamma;
    for (let k = 0; k < ss.length; k++) {
      const b = rhos[k]! * dot(ys[k]!, q);
      for (let i = 0; i < n; i++) q[i] = q[i]! + ss[k]![i]! * (alphas[k]! - b);
    }
    let d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went stale): restart from steepest descent.
      ss.length = ys.length = rhos.length = 0;
      d = g.map((v) => -v / Math.max(1, maxAbs(g)));
      slope = dot(g, d);
    }
    let t = 1;
    let accepted = false;
    const gNew = new Array<number>(n).fill(0);
    let xNew = x, fNew = fx;
    for (let k = 0; k < MAX_BACKTRACKS; k++) {
      xNew = x.map((v, i) => v + t * d[i]!);
      fNew = f(xNew, gNew);
      if (Number.isFinite(fNew) && gNew.every(Number.isFinite) && fNew <= fx + ARMIJO_C1 * t * slope) {
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted || fNew >= fx) return { x, value: fx, iterations: it, converged: true, reason: "no-progress" };
    const s = xNew.map((v, i) => v - x[i]!);
    const y = gNew.map((v, i) => v - g[i]!);
    const sy = dot(s, y);
    if (sy > 1e-300 && Number.isFinite(sy)) {
      ss.push(s);
      ys.push(y);
      rhos.push(1 / sy);
      if (ss.length > memory) {
        ss.shift();
        ys.shift();
        rhos.shift();
      }
    }
    const decrease = fx - fNew;
    x = xNew;
    fx = fNew;
    g = [...gNew];
    if (decrease <= ftol * Math.abs(fNew)) return { x, value: fx, iterations: it + 1, converged: true, reason: "value" };
  }
  return { x, value: fx, iterations: maxIterations, converged: false, reason: "max-iterations" };
}
