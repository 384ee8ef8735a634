import { FitError } from "../util/errors";
import { fitHyperparams, type HyperparamsOptions } from "./hyperparams";
import { fitIsoflop } from "./isoflop";
import { fitLossCurve, predictLossCurve } from "./lossCurve";
import type { RunPoint } from "./types";
import { requireSameLength } from "./validate";

/**
 * Leave-one-budget-out extrapolation error: refit each law without budget k, predict at C_k, and
 * compare with what budget k itself shows. relativeError = predicted / observed − 1. Refits are
 * point estimates only (no bootstrap): the question is how far the law moves, not its interval.
 */

/** One held-out quantity: what budget k shows, what the law fitted without it predicts. */
export interface HeldOut {
  readonly observed: number;
  readonly predicted: number;
  /** predicted / observed − 1. */
  readonly relativeError: number;
}

const heldOut = (observed: number, predicted: number): HeldOut => ({ observed, predicted, relativeError: predicted / observed - 1 });

const geometricMean = (v: readonly number[]): number => Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);

function requireBudgets(count: number, path: string): void {
  if (count < 3) throw new FitError(`${count} budgets, leave-one-out needs ≥ 3 (2 to fit, 1 to predict)`, path, "add runs at more compute budgets");
}

/**
 * B and η per held-out budget. Observed = geometric mean of that budget's near-optimal runs (the
 * quantity the cloud law describes), from the selection on all data.
 */
export function leaveOneOutHyperparams(
  points: readonly RunPoint[],
  options?: Pick<HyperparamsOptions, "threshold">,
): { compute: number; batch: HeldOut; learningRate: HeldOut }[] {
  const full = fitHyperparams(points, { ...options, resamples: 0 });
  const budgets = [...new Set(full.nearOptimal.kept.map((p) => p.compute))].sort((a, b) => a - b);
  requireBudgets(budgets.length, "points");
  return budgets.map((c) => {
    const kept = full.nearOptimal.kept.filter((p) => p.compute === c);
    const fit = fitHyperparams(points.filter((p) => p.compute !== c), { ...options, resamples: 0 });
    const predict = (k: number, a: number): number => k * c ** a;
    return {
      compute: c,
      batch: heldOut(geometricMean(kept.map((p) => p.batchTokens)), predict(fit.batch.params.coefficient, fit.batch.params.exponent)),
      learningRate: heldOut(geometricMean(kept.map((p) => p.learningRate)), predict(fit.learningRate.params.coefficient, fit.learningRate.params.exponent)),
    };
  });
}

/** M_opt and D_opt per held-out budget; only budgets whose own parabola is `ok` are held out. */
export function leaveOneOutIsoflop(points: readonly RunPoint[]): { compute: number; modelScale: HeldOut; tokens: HeldOut }[] {
  const full = fitIsoflop(points, { resamples: 0 });
  const usable = full.budgets.filter((b) => b.status === "ok");
  requireBudgets(usable.length, "points");
  return usable.map((b) => {
    const fit = fitIsoflop(points.filter((p) => p.compute !== b.compute), { resamples: 0 });
    const m = fit.modelScale.params, d = fit.tokens.params;
    return {
      compute: b.compute,
      modelScale: heldOut(b.modelScale, m.coefficient * b.compute ** m.exponent),
      tokens: heldOut(b.tokens, d.coefficient * b.compute ** d.exponent),
    };
  });
}

/** Loss per held-out budget (all points at that compute held out; observed = their mean loss). */
export function leaveOneOutLossCurve(compute: readonly number[], loss: readonly number[]): { compute: number; loss: HeldOut }[] {
  requireSameLength(compute, loss, "compute", "loss");
  const budgets = [...new Set(compute)].sort((a, b) => a - b);
  requireBudgets(budgets.length, "compute");
  return budgets.map((c) => {
    const keep = compute.map((v) => v !== c);
    const held = loss.filter((_, i) => !keep[i]);
    const fit = fitLossCurve(compute.filter((_, i) => keep[i]), loss.filter((_, i) => keep[i]), { resamples: 0 });
    return { compute: c, loss: heldOut(held.reduce((s, v) => s + v, 0) / held.length, predictLossCurve(fit.params, c)) };
  });
}
