import { FitError } from "../util/errors";
import { createRng, type Rng } from "../util/random";
import { budgetDraws, type BudgetDraws } from "./budgetLevel";
import { groupIndices, percentileInterval, resampleIndices, resampleWithinGroups } from "./sample";
import type { FitStatus, Interval, PowerLawFit } from "./types";
import { requireConfidence, requireCount, requireMinPoints, requirePositive, requireSameLength } from "./validate";

/**
 * y = k·x^a by ordinary least squares on (ln x, ln y), with bootstrap percentile intervals.
 * The OLS is closed form, so 1000 resamples of 100 points cost about a millisecond.
 */

export interface PowerLawOptions {
  /** Bootstrap resamples. Default 1000. */
  resamples?: number;
  /** Seed of the bootstrap stream. Default 0. */
  seed?: number;
  /** Central interval mass. Default 0.95. */
  confidence?: number;
}

/** A log-log line: ln y = intercept + slope·ln x. */
export interface LogLine {
  readonly slope: number;
  readonly intercept: number;
}

/** Share of failed bootstrap draws (degenerate resamples) above which the fit warns. */
const FAILED_DRAW_WARNING_SHARE = 0.05;
/** Below this many points the bootstrap sees too few distinct resamples to be trusted. */
const FEW_POINTS_WARNING = 5;
/** Relative spread of ln x under which the slope is not identifiable (all x equal up to rounding). */
const MIN_RELATIVE_SXX = 1e-20;

/** Closed-form OLS of ly on lx over `idx` (all points when omitted); undefined when x has no spread. */
export function olsLine(lx: ArrayLike<number>, ly: ArrayLike<number>, idx?: readonly number[]): LogLine | undefined {
  const n = idx ? idx.length : lx.length;
  let sx = 0, sy = 0;
  for (let j = 0; j < n; j++) {
    const i = idx ? idx[j]! : j;
    sx += lx[i]!;
    sy += ly[i]!;
  }
  const mx = sx / n, my = sy / n;
  let sxx = 0, sxy = 0;
  for (let j = 0; j < n; j++) {
    const i = idx ? idx[j]! : j;
    const dx = lx[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (ly[i]! - my);
  }
  if (!(sxx > MIN_RELATIVE_SXX * n * Math.max(1, mx * mx))) return undefined;
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

interface Resolved {
  resamples: number;
  seed: number;
  confidence: number;
}

function resolve(options: PowerLawOptions | undefined): Resolved {
  const r = { resamples: options?.resamples ?? 1000, seed: options?.seed ?? 0, confidence: options?.confidence ?? 0.95 };
  requireCount(r.resamples, 0, "options.resamples");
  requireConfidence(r.confidence);
  if (!Number.isFinite(r.seed)) throw new FitError(`must be finite, got ${r.seed}`, "options.seed", "pass an integer seed");
  return r;
}

/** Validates, logs, and fits the point estimate; throws FitError on degenerate input. */
function pointFit(x: readonly number[], y: readonly number[]): { lx: Float64Array; ly: Float64Array; line: LogLine } {
  requireSameLength(x, y, "x", "y");
  requireMinPoints(x.length, 2, "x");
  requirePositive(x, "x");
  requirePositive(y, "y");
  const lx = Float64Array.from(x, Math.log);
  const ly = Float64Array.from(y, Math.log);
  const line = olsLine(lx, ly);
  if (!line) throw new FitError("all values are equal, so no exponent can be fitted", "x", "span more than one x value");
  return { lx, ly, line };
}

/** Assembles a PowerLawFit from a point estimate and a bootstrap that yields one line per draw (or undefined). */
function assemble(
  lx: Float64Array,
  ly: Float64Array,
  line: LogLine,
  draw: (rng: Rng) => LogLine | undefined,
  r: Resolved,
  bootstrap: string,
  extraWarnings: readonly string[] = [],
  budget?: BudgetDraws,
): PowerLawFit {
  const n = lx.length;
  const residuals = Array.from(lx, (v, i) => ly[i]! - (line.intercept + line.slope * v));
  let ssRes = 0, ssTot = 0, my = 0;
  for (const v of ly) my += v / n;
  residuals.forEach((e, i) => {
    ssRes += e * e;
    ssTot += (ly[i]! - my) ** 2;
  });
  const r2 = ssTot > 0 ? Math.max(0, 1 - ssRes / ssTot) : ssRes === 0 ? 1 : 0;

  const rng = createRng(r.seed);
  const exponent: number[] = [];
  const coefficient: number[] = [];
  const offsets: number[] = [];
  for (let b = 0; b < r.resamples; b++) {
    const d = budget ? budget.laws[b] : draw(rng);
    // exp(intercept) can overflow in the t's far tail (1 degree of freedom is a Cauchy): such a draw is skipped, with its offset.
    if (!d || !Number.isFinite(d.slope) || !Number.isFinite(d.intercept) || !(Math.exp(d.intercept) > 0 && Math.exp(d.intercept) < Infinity)) continue;
    exponent.push(d.slope);
    coefficient.push(Math.exp(d.intercept));
    if (budget) offsets.push(budget.offsets[b]!);
  }
  const warnings = [...extraWarnings];
  const failed = r.resamples - exponent.length;
  if (r.resamples > 0 && failed > FAILED_DRAW_WARNING_SHARE * r.resamples) {
    warnings.push(`${failed} of ${r.resamples} bootstrap draws were degenerate and skipped; intervals may be too narrow`);
  }
  if (r.resamples === 0) warnings.push("no bootstrap resamples: intervals collapse to the point estimate");
  if (n < FEW_POINTS_WARNING) warnings.push(`only ${n} points: bootstrap intervals are unreliable`);
  const params = { coefficient: Math.exp(line.intercept), exponent: line.slope };
  const status: FitStatus = warnings.length > 0 ? "warning" : "ok";
  return {
    params,
    intervals: {
      coefficient: percentileInterval(coefficient, r.confidence, params.coefficient),
      exponent: percentileInterval(exponent, r.confidence, params.exponent),
    },
    status,
    warnings,
    n,
    residuals,
    method: budget
      ? `log-log OLS; intervals from the ${budget.scatter.budgets} budgets' scatter about the law (random effects, Student t on ${budget.scatter.dof} degrees of freedom), ${r.resamples} draws (seed ${r.seed}), ${r.confidence * 100}%`
      : `log-log OLS, ${bootstrap} bootstrap, ${r.resamples} resamples (seed ${r.seed}), ${r.confidence * 100}% percentile intervals`,
    r2,
    draws: { coefficient, exponent },
    scatter: budget?.scatter ?? null,
    ...(budget ? { predictionDraws: offsets } : {}),
  };
}

/** y = k·x^a with a paired bootstrap (points resampled with replacement). */
export function fitPowerLaw(x: readonly number[], y: readonly number[], options?: PowerLawOptions): PowerLawFit {
  const r = resolve(options);
  const { lx, ly, line } = pointFit(x, y);
  return assemble(lx, ly, line, (rng) => olsLine(lx, ly, resampleIndices(lx.length, rng)), r, "paired");
}

/**
 * y = k·x^a with a grouped (stratified) bootstrap: points are resampled with replacement within
 * their group, each group keeping its size. Used for clouds whose points share a budget: they
 * are not independent of it, and the budgets themselves are the design, not a sample.
 */
export function fitPowerLawGrouped(
  x: readonly number[],
  y: readonly number[],
  groups: readonly (string | number)[],
  options?: PowerLawOptions,
): PowerLawFit {
  const r = resolve(options);
  requireSameLength(groups, x, "groups", "x");
  const { lx, ly, line } = pointFit(x, y);
  const members = [...groupIndices(groups).values()];
  return assemble(lx, ly, line, (rng) => olsLine(lx, ly, resampleWithinGroups(members, rng)), r, "within-group");
}

/** Budgets below which the scatter about a law cannot be measured (a line through 2 points has no residual). */
export const MIN_SCATTER_BUDGETS = 3;

/**
 * y = k·x^a fitted to a cloud of points that belong to budgets (one x per budget), with intervals from
 * the budgets' scatter about the law (lib/fit/budgetLevel): the law interval in `intervals`/`draws`, a
 * new budget's offset in `predictionDraws`. The point estimate is the cloud OLS (= the budget means
 * weighted by their point counts). With 2 budgets the scatter cannot be estimated: `runNoise` draws
 * (e.g. resampling within budgets) give the intervals, which then show run noise only, and it says so.
 */
export function fitPowerLawAcrossBudgets(
  x: readonly number[],
  y: readonly number[],
  groups: readonly (string | number)[],
  options: PowerLawOptions | undefined,
  runNoise: { draw: (rng: Rng) => LogLine | undefined; label: string },
  warnings: readonly string[] = [],
): PowerLawFit {
  const r = resolve(options);
  requireSameLength(groups, x, "groups", "x");
  const { lx, ly, line } = pointFit(x, y);
  const members = [...groupIndices(groups).values()];
  const mean = (v: Float64Array, idx: readonly number[]): number => idx.reduce((s, i) => s + v[i]!, 0) / idx.length;
  const budget = budgetDraws(members.map((m) => mean(lx, m)), members.map((m) => mean(ly, m)), members.map((m) => m.length), r.resamples, createRng(r.seed), r.confidence);
  if (budget) return assemble(lx, ly, line, runNoise.draw, r, runNoise.label, warnings, budget);
  const note = `${members.length} budgets: their scatter about the law cannot be estimated (≥ ${MIN_SCATTER_BUDGETS} needed), so the intervals show run noise only and there is no prediction interval for a new budget`;
  return assemble(lx, ly, line, runNoise.draw, r, runNoise.label, [...warnings, note]);
}

/**
 * y = k·x^a where each bootstrap draw comes from `resample`, which rebuilds the (x, y) points
 * (e.g. refitting per-budget parabolas on resampled runs); it returns undefined for a failed draw.
 */
export function fitPowerLawResampled(
  x: readonly number[],
  y: readonly number[],
  resample: (rng: Rng) => { x: readonly number[]; y: readonly number[] } | undefined,
  options: PowerLawOptions | undefined,
  bootstrap: string,
  warnings: readonly string[] = [],
): PowerLawFit {
  const r = resolve(options);
  const { lx, ly, line } = pointFit(x, y);
  const draw = (rng: Rng): LogLine | undefined => {
    const d = resample(rng);
    if (!d || d.x.length < 2 || d.x.some((v) => !(v > 0)) || d.y.some((v) => !(v > 0))) return undefined;
    return olsLine(Float64Array.from(d.x, Math.log), Float64Array.from(d.y, Math.log));
  };
  return assemble(lx, ly, line, draw, r, bootstrap, warnings);
}

/** k·x^a at `x`, with the percentile interval of the bootstrap draws' predictions at `x`. */
export function predictPowerLaw(fit: PowerLawFit, x: number, confidence = 0.95): { value: number; interval: Interval; prediction: Interval | null } {
  if (!(x > 0) || !Number.isFinite(x)) throw new FitError(`must be finite and > 0, got ${x}`, "x", "predict at a positive value");
  requireConfidence(confidence, "confidence");
  const value = fit.params.coefficient * x ** fit.params.exponent;
  const preds = fit.draws.exponent.map((a, i) => fit.draws.coefficient[i]! * x ** a);
  const offsets = fit.predictionDraws;
  const prediction = offsets && offsets.length === preds.length && preds.length > 0 ? percentileInterval(preds.map((p, i) => p * Math.exp(offsets[i]!)), confidence, value) : null;
  return { value, interval: percentileInterval(preds, confidence, value), prediction };
}
