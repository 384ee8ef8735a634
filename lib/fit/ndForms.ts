import type { RunPoint } from "./types";

/**
 * Hyperparameter laws in (N, D) beside DeepSeek's laws in C: Step Law's forms (arXiv 2503.04715)
 * η = k·N^a·D^b and B = k·D^c, with N the model scale M (FLOPs per token) here, fitted by OLS in log
 * space to the same near-optimal cloud as the C laws. A law in C gives every model at one compute the
 * same answer; when budgets mix models, or N and D move apart across budgets, the (N, D) forms can
 * separate them. Which form to use is decided by leave-one-budget-out error on each held-out budget's
 * optima, one per model it trained (the mean of that model's near-optimal runs in ln y), so both forms
 * are judged by the same yardstick; ties go to the C law (listed first: the simpler form).
 */

/** ln y = intercept + Σ slopes[j]·features[j]. */
export interface LogLinear {
  readonly intercept: number;
  readonly slopes: readonly number[];
}

export interface FormComparison {
  /** Form name, e.g. "η = k·C^a" or "η = k·M^a·D^b". */
  readonly form: string;
  /** Fitted on every near-optimal point; null when its features are collinear over these points. */
  readonly fit: LogLinear | null;
  /** RMS over budgets of (law fitted without the budget) − (the budget's mean ln y); null when a refit is not identified. */
  readonly leaveOneOutRms: number | null;
}

export interface NdComparison {
  readonly learningRate: { readonly forms: FormComparison[]; readonly chosen: string | null };
  readonly batch: { readonly forms: FormComparison[]; readonly chosen: string | null };
  /** Budgets whose ok runs span more than one model scale, named with the M range. */
  readonly mixedBudgets: readonly { compute: number; models: number; modelScale: readonly [number, number] }[];
}

/** OLS of y on [1, features…] by the normal equations (Gauss–Jordan with partial pivoting); null when singular. */
export function olsLogLinear(features: readonly (readonly number[])[], y: readonly number[]): LogLinear | null {
  const p = features.length + 1;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let i = 0; i < y.length; i++) {
    const row = [1, ...features.map((f) => f[i]!)];
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < p; c++) a[r]![c]! += row[r]! * row[c]!;
      a[r]![p]! += row[r]! * y[i]!;
    }
  }
  const scale = Math.max(...a.map((r, i) => Math.abs(r[i]!)));
  for (let col = 0; col < p; col++) {
    let piv = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[piv]![col]!)) piv = r;
    // Relative pivot below 1e-10 of the largest diagonal: the features are collinear over these points.
    if (!(Math.abs(a[piv]![col]!) > 1e-10 * scale)) return null;
    [a[col], a[piv]] = [a[piv]!, a[col]!];
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= p; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  const coef = a.map((r, i) => r[p]! / r[i]!);
  return { intercept: coef[0]!, slopes: coef.slice(1) };
}

const predictAt = (law: LogLinear, x: readonly number[]): number => law.intercept + law.slopes.reduce((s, b, j) => s + b * x[j]!, 0);

/** One form over the cloud: its fit and leave-one-budget-out RMS against the budgets' mean ln y. */
function compareForm(form: string, points: readonly RunPoint[], feature: (p: RunPoint) => number[], y: (p: RunPoint) => number): FormComparison {
  const features = (ps: readonly RunPoint[]): number[][] => {
    const rows = ps.map(feature);
    return rows[0] ? rows[0].map((_, j) => rows.map((r) => r[j]!)) : [];
  };
  const fit = olsLogLinear(features(points), points.map(y));
  const budgets = [...new Set(points.map((p) => p.compute))];
  let sum = 0, count = 0;
  for (const c of budgets) {
    const rest = points.filter((p) => p.compute !== c);
    const law = olsLogLinear(features(rest), rest.map(y));
    if (!law || budgets.length < 3) return { form, fit, leaveOneOutRms: null };
    // Each model of the held-out budget is an optimum of its own (its cloud's mean ln y, predicted at its mean
    // features): a budget's mean over its models would hide exactly what a law in C cannot tell apart.
    for (const m of new Set(points.filter((p) => p.compute === c).map((p) => p.modelScale))) {
      const held = points.filter((p) => p.compute === c && (p.modelScale === m || (Number.isNaN(m) && Number.isNaN(p.modelScale))));
      const meanY = held.reduce((s, p) => s + y(p), 0) / held.length;
      const meanX = feature(held[0]!).map((_, j) => held.reduce((s, p) => s + feature(p)[j]!, 0) / held.length);
      sum += (predictAt(law, meanX) - meanY) ** 2;
      count++;
    }
  }
  return { form, fit, leaveOneOutRms: Math.sqrt(sum / count) };
}

/** The form with the lowest leave-one-budget-out RMS (null when none has one). */
const choose = (forms: readonly FormComparison[]): string | null =>
  forms.filter((f) => f.leaveOneOutRms !== null).sort((a, b) => a.leaveOneOutRms! - b.leaveOneOutRms!)[0]?.form ?? null;

/**
 * The C laws against Step Law's (N, D) forms on one near-optimal cloud (`kept`), and the budgets of
 * `all` (ok runs) that mix several models at one compute.
 */
export function compareNdForms(kept: readonly RunPoint[], all: readonly RunPoint[]): NdComparison {
  const ln = Math.log;
  const usable = kept.filter((p) => p.modelScale > 0 && p.tokens > 0 && Number.isFinite(p.modelScale) && Number.isFinite(p.tokens));
  const eta = (p: RunPoint): number => ln(p.learningRate), batch = (p: RunPoint): number => ln(p.batchTokens);
  const learningRate = [
    compareForm("η = k·C^a", kept, (p) => [ln(p.compute)], eta),
    ...(usable.length === kept.length ? [compareForm("η = k·M^a·D^b", kept, (p) => [ln(p.modelScale), ln(p.tokens)], eta)] : []),
  ];
  const batchForms = [
    compareForm("B = k·C^a", kept, (p) => [ln(p.compute)], batch),
    ...(usable.length === kept.length ? [compareForm("B = k·D^c", kept, (p) => [ln(p.tokens)], batch)] : []),
  ];
  const byBudget = new Map<number, Set<number>>();
  for (const p of all) if (p.status === "ok") byBudget.set(p.compute, (byBudget.get(p.compute) ?? new Set()).add(p.modelScale));
  const mixedBudgets = [...byBudget.entries()]
    .filter(([, ms]) => ms.size > 1)
    .sort((a, b) => a[0] - b[0])
    .map(([compute, ms]) => ({ compute, models: ms.size, modelScale: [Math.min(...ms), Math.max(...ms)] as const }));
  return { learningRate: { forms: learningRate, chosen: choose(learningRate) }, batch: { forms: batchForms, chosen: choose(batchForms) }, mixedBudgets };
}
