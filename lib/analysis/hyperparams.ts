import { fitHyperparams, type HyperparamsFit, type HyperparamsOptions } from "../fit/hyperparams";
import { leaveOneOutHyperparams, type HeldOut } from "../fit/leaveOneOut";
import { powerLawSummary, type PowerLawSummary } from "../fit/summary";
import type { FitStatus, PowerLawFit, RunPoint } from "../fit/types";
import { FitError } from "../util/errors";
import { keysOf } from "./points";

/**
 * The hyperparameter analysis of DeepSeek LLM §3.1 on one experiment's runs: the B_opt(C) and
 * η_opt(C) laws fitted to the near-optimal cloud, the per-budget quadratic cross-check, and
 * leave-one-budget-out extrapolation errors. A fit that cannot be made (too few budgets) comes back
 * as `fit: null` with the reason, so the figures of the runs can still be drawn.
 */

export interface HyperparamsAnalysis {
  readonly kind: "hyperparams";
  /** Every run considered (ok or not), in input order. */
  readonly points: readonly RunPoint[];
  /** Their keys, in the same order. */
  readonly keys: readonly string[];
  readonly fit: HyperparamsFit | null;
  /** Why `fit` is null. */
  readonly error?: string;
  /** Per held-out budget; null when there are fewer than 3 budgets (reason in `leaveOneOutNote`). */
  readonly leaveOneOut: readonly { compute: number; batch: HeldOut; learningRate: HeldOut }[] | null;
  readonly leaveOneOutNote?: string;
}

/** A FitError's message as a reason; anything else is a bug and is rethrown. */
export function fitErrorReason(e: unknown): string {
  if (e instanceof FitError) return e.message;
  throw e;
}

export function analyzeHyperparams(points: readonly RunPoint[], options?: HyperparamsOptions): HyperparamsAnalysis {
  const keys = keysOf(points);
  const base = { kind: "hyperparams" as const, points, keys };
  let fit: HyperparamsFit;
  try {
    fit = fitHyperparams(points, options);
  } catch (e) {
    return { ...base, fit: null, error: fitErrorReason(e), leaveOneOut: null, leaveOneOutNote: "no fit" };
  }
  try {
    const threshold = options?.threshold;
    return { ...base, fit, leaveOneOut: leaveOneOutHyperparams(points, threshold === undefined ? {} : { threshold }) };
  } catch (e) {
    return { ...base, fit, leaveOneOut: null, leaveOneOutNote: fitErrorReason(e) };
  }
}

/**
 * A law's printable summary plus its draws, so a laws file keeps both intervals: the law's (`draws`)
 * and a new budget's (`predictionDraws`, paired with them), with the scatter they came from.
 */
export type LawJson = PowerLawSummary & {
  readonly n: number;
  readonly draws: PowerLawFit["draws"];
  readonly method: string;
  readonly warnings: readonly string[];
  readonly scatter: PowerLawFit["scatter"] | null;
  readonly predictionDraws?: readonly number[];
};

export const lawJson = (fit: PowerLawFit): LawJson => ({
  ...powerLawSummary(fit),
  n: fit.n,
  method: fit.method,
  warnings: fit.warnings,
  scatter: fit.scatter ?? null,
  draws: fit.draws,
  ...(fit.predictionDraws ? { predictionDraws: fit.predictionDraws } : {}),
});

/** The content of `fits/hyperparams.json`. */
export interface HyperparamsJson {
  readonly kind: "hyperparams";
  readonly status: FitStatus | "not-fitted";
  readonly keys: readonly string[];
  readonly error?: string;
  readonly warnings: readonly string[];
  /** What does not bear on the laws' status (the quadratic cross-check, runs left out). */
  readonly notes?: readonly string[];
  readonly batch?: LawJson;
  readonly learningRate?: LawJson;
  readonly nearOptimal?: { readonly keys: readonly string[]; readonly dropped: readonly { key: string; reason: string }[] };
  readonly perBudget?: HyperparamsFit["perBudget"];
  /** The C laws against the (N, D) forms by leave-one-budget-out error, and budgets mixing models. */
  readonly forms?: HyperparamsFit["forms"];
  readonly leaveOneOut: HyperparamsAnalysis["leaveOneOut"];
  readonly leaveOneOutNote?: string;
}

export function hyperparamsJson(a: HyperparamsAnalysis): HyperparamsJson {
  const base = { kind: "hyperparams" as const, keys: a.keys, leaveOneOut: a.leaveOneOut, ...(a.leaveOneOutNote ? { leaveOneOutNote: a.leaveOneOutNote } : {}) };
  if (!a.fit) return { ...base, status: "not-fitted", ...(a.error ? { error: a.error } : {}), warnings: [] };
  const f = a.fit;
  return {
    ...base,
    status: f.status,
    warnings: f.warnings,
    notes: f.notes,
    batch: lawJson(f.batch),
    learningRate: lawJson(f.learningRate),
    nearOptimal: {
      keys: keysOf(f.nearOptimal.kept),
      dropped: f.nearOptimal.dropped.map((d) => ({ key: d.point.key ?? "", reason: d.reason })),
    },
    perBudget: f.perBudget,
    forms: f.forms,
  };
}
