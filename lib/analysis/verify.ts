import { fitIsoflopBudget } from "../fit/isoflop";
import { selectNearOptimal } from "../fit/nearOptimal";
import { predictPowerLaw } from "../fit/powerLaw";
import type { Interval, PowerLawFit, RunPoint } from "../fit/types";
import { analyzeHyperparams, type HyperparamsAnalysis } from "./hyperparams";
import { analyzeIsoflop, predictLoss, type IsoflopAnalysis } from "./isoflop";
import type { DesignKind } from "./points";

/**
 * The paper's validation move (§3.1 at 1e20 FLOPs, §3.2 / Figure 5 for the 7B and 67B): fit the
 * laws on the smaller budgets only, predict the largest budget, and compare with what its own runs
 * show. Unlike leave-one-budget-out this is pure extrapolation, the direction that matters.
 */

export type CheckedQuantity = "batchTokens" | "learningRate" | "modelScale" | "tokens" | "loss";

export interface HeldOutCheck {
  readonly quantity: CheckedQuantity;
  /** What the held-out budget's runs show. */
  readonly observed: number;
  /** What the laws fitted without them predict. */
  readonly predicted: number;
  /** 95% bootstrap interval of the prediction; null when the fit carries no draws. */
  readonly interval: Interval | null;
  /** predicted / observed − 1. */
  readonly relativeError: number;
  /** Whether `observed` lies inside `interval`; null without an interval. */
  readonly inside: boolean | null;
}

export interface Verification {
  readonly kind: DesignKind;
  /** The largest budget, held out. */
  readonly heldOutCompute: number;
  /** Budgets the laws were fitted on, ascending. */
  readonly fittedBudgets: readonly number[];
  /** The analysis of the smaller budgets alone. */
  readonly analysis: HyperparamsAnalysis | IsoflopAnalysis;
  readonly checks: readonly HeldOutCheck[];
  /** Why a quantity could not be checked. */
  readonly notes: readonly string[];
}

function check(quantity: CheckedQuantity, observed: number, predicted: number, interval: Interval | null): HeldOutCheck {
  return { quantity, observed, predicted, interval, relativeError: predicted / observed - 1, inside: interval ? observed >= interval[0] && observed <= interval[1] : null };
}

function lawCheck(quantity: CheckedQuantity, fit: PowerLawFit, compute: number, observed: number): HeldOutCheck {
  const p = predictPowerLaw(fit, compute);
  return check(quantity, observed, p.value, fit.draws.coefficient.length > 0 ? p.interval : null);
}

const geometricMean = (v: readonly number[]): number => Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);

/** Hold out the largest budget of `points` (ok runs), fit the rest, and check the prediction there. */
export function verifyLargestBudget(points: readonly RunPoint[], kind: DesignKind, options?: { resamples?: number; seed?: number }): Verification {
  const budgets = [...new Set(points.filter((p) => p.status === "ok").map((p) => p.compute))].sort((a, b) => a - b);
  const heldOutCompute = budgets[budgets.length - 1] ?? NaN;
  const fitted = points.filter((p) => p.compute !== heldOutCompute);
  const held = points.filter((p) => p.compute === heldOutCompute && p.status === "ok");
  const fittedBudgets = budgets.slice(0, -1);
  const checks: HeldOutCheck[] = [];
  const notes: string[] = [];
  if (kind === "hyperparams") {
    const analysis = analyzeHyperparams(fitted, options);
    if (!analysis.fit) notes.push(`B_opt and η_opt not checked: ${analysis.error}`);
    else if (held.length > 0) {
      const near = selectNearOptimal(held).kept;
      checks.push(
        lawCheck("batchTokens", analysis.fit.batch, heldOutCompute, geometricMean(near.map((p) => p.batchTokens))),
        lawCheck("learningRate", analysis.fit.learningRate, heldOutCompute, geometricMean(near.map((p) => p.learningRate))),
      );
    }
    return { kind, heldOutCompute, fittedBudgets, analysis, checks, notes };
  }
  const analysis = analyzeIsoflop(fitted, options);
  const own = held.length > 0 ? fitIsoflopBudget(heldOutCompute, held) : null;
  if (!analysis.fit) notes.push(`M_opt and D_opt not checked: ${analysis.error}`);
  else if (own && own.status !== "ok") notes.push(`M_opt and D_opt not checked: the held-out budget's own parabola is ${own.status} (${own.reason})`);
  else if (own) {
    checks.push(lawCheck("modelScale", analysis.fit.modelScale, heldOutCompute, own.modelScale), lawCheck("tokens", analysis.fit.tokens, heldOutCompute, own.tokens));
  }
  if (!analysis.lossCurve) notes.push(`loss not checked: ${analysis.lossCurveNote}`);
  else if (own) {
    // The held-out minimum: its vertex when its parabola is usable, else its best run (as lossPoints does).
    const observed = own.status === "ok" ? own.loss : Math.min(...held.map((p) => p.loss));
    const p = predictLoss(analysis.lossCurve, heldOutCompute);
    checks.push(check("loss", observed, p.value, p.interval));
  }
  return { kind, heldOutCompute, fittedBudgets, analysis, checks, notes };
}
