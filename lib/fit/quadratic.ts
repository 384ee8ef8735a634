/**
 * Small least-squares quadratics: a parabola in one variable (IsoFLOP profiles) and a quadratic
 * surface in two (loss over ln B, ln η). Inputs are centred and scaled before solving so the
 * normal equations stay well conditioned at ln M ≈ 20; results are mapped back to raw units.
 */

/** Pivot magnitude under which a normal-equation system is treated as singular. */
const SINGULAR_PIVOT = 1e-12;

/** Solves A·x = b by Gaussian elimination with partial pivoting; undefined when singular. */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(1e-300, ...m.map((row) => Math.max(...row.slice(0, n).map(Math.abs))));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    if (Math.abs(m[piv]![col]!) < SINGULAR_PIVOT * scale) return undefined;
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    const pr = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / pr[col]!;
      for (let c = col; c <= n; c++) row[c] = row[c]! - f * pr[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x.every(Number.isFinite) ? x : undefined;
}

/** Least squares for y ≈ Σ_j coef_j·features(i)_j. */
function leastSquares(features: readonly (readonly number[])[], y: ArrayLike<number>): number[] | undefined {
  const p = features[0]?.length ?? 0;
  const ata = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const aty = new Array<number>(p).fill(0);
  features.forEach((f, i) => {
    for (let j = 0; j < p; j++) {
      aty[j] = aty[j]! + f[j]! * y[i]!;
      const row = ata[j]!;
      for (let k = 0; k < p; k++) row[k] = row[k]! + f[j]! * f[k]!;
    }
  });
  return solveLinear(ata, aty);
}

function centre(values: ArrayLike<number>): { mean: number; scale: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]! / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, scale: Math.sqrt(ss / n) || 1 };
}

/** y = a·x² + b·x + c, with its stationary point. */
export interface Parabola {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** x where dy/dx = 0 (a minimum when a > 0). */
  readonly vertex: number;
  /** y at the vertex. */
  readonly vertexValue: number;
}

/** Least-squares parabola; undefined with fewer than 3 distinct x or a flat (a = 0) fit. */
export function fitParabola(x: ArrayLike<number>, y: ArrayLike<number>): Parabola | undefined {
  const { mean: m, scale: s } = centre(x);
  // Normal equations from power sums (no per-point arrays: this runs once per budget per bootstrap draw).
  let s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const t = (x[i]! - m) / s, t2 = t * t, yi = y[i]!;
    s1 += t;
    s2 += t2;
    s3 += t2 * t;
    s4 += t2 * t2;
    y0 += yi;
    y1 += t * yi;
    y2 += t2 * yi;
  }
  const p = solveLinear([[x.length, s1, s2], [s1, s2, s3], [s2, s3, s4]], [y0, y1, y2]);
  if (!p) return undefined;
  const [p0, p1, p2] = p as [number, number, number];
  if (p2 === 0) return undefined;
  const tStar = -p1 / (2 * p2);
  return {
    a: p2 / (s * s),
    b: p1 / s - (2 * p2 * m) / (s * s),
    c: p0 - (p1 * m) / s + (p2 * m * m) / (s * s),
    vertex: m + s * tStar,
    vertexValue: p0 + p1 * tStar + p2 * tStar * tStar,
  };
}

/** z = c0 + c1·u + c2·v + c3·u² + c4·v² + c5·u·v in raw units, with its stationary point. */
export interface QuadraticSurface {
  readonly coefficients: readonly [number, number, number, number, number, number];
  /** True when the Hessian is positive definite (a bowl with a unique minimum). */
  readonly convex: boolean;
  /** Stationary point (u, v); the minimum when `convex`. */
  readonly vertex: readonly [number, number];
  readonly vertexValue: number;
}

/** Least-squares quadratic surface; undefined when the design cannot identify all six terms. */
export function fitQuadraticSurface(u: ArrayLike<number>, v: ArrayLike<number>, z: ArrayLike<number>): QuadraticSurface | undefined {
  const cu = centre(u), cv = centre(v);
  const feats: number[][] = [];
  for (let i = 0; i < u.length; i++) {
    const s = (u[i]! - cu.mean) / cu.scale, t = (v[i]! - cv.mean) / cv.scale;
    feats.push([1, s, t, s * s, t * t, s * t]);
  }
  const p = leastSquares(feats, z);
  if (!p) return undefined;
  const [q0, q1, q2, q3, q4, q5] = p as [number, number, number, number, number, number];
  const det = 4 * q3 * q4 - q5 * q5;
  const convex = q3 > 0 && det > 0;
  // Stationary point in scaled coordinates: [2q3 q5; q5 2q4]·[s; t] = −[q1; q2].
  const st = det !== 0 ? [(-2 * q4 * q1 + q5 * q2) / det, (-2 * q3 * q2 + q5 * q1) / det] : [0, 0];
  const [s0, t0] = st as [number, number];
  const vertexValue = q0 + q1 * s0 + q2 * t0 + q3 * s0 * s0 + q4 * t0 * t0 + q5 * s0 * t0;
  // Map back to raw units: s = (u − mu)/su, t = (v − mv)/sv.
  const { mean: mu, scale: su } = cu, { mean: mv, scale: sv } = cv;
  const c3 = q3 / (su * su), c4 = q4 / (sv * sv), c5 = q5 / (su * sv);
  const c1 = q1 / su - 2 * c3 * mu - c5 * mv;
  const c2 = q2 / sv - 2 * c4 * mv - c5 * mu;
  const c0 = q0 - (q1 * mu) / su - (q2 * mv) / sv + c3 * mu * mu + c4 * mv * mv + c5 * mu * mv;
  return {
    coefficients: [c0, c1, c2, c3, c4, c5],
    convex,
    vertex: [mu + su * s0, mv + sv * t0],
    vertexValue: det !== 0 ? vertexValue : q0,
  };
}
