import type { BudgetScatter } from "./budgetLevel";

/**
 * The shared vocabulary of every fitter. A fit returns values with a status instead of printing;
 * degenerate input (too few points, non-finite or non-positive values) throws FitError instead.
 */

/** `ok`: converged and trustworthy; `warning`: usable, read `warnings`; `failed`: do not use. */
export type FitStatus = "ok" | "warning" | "failed";

/** A 95% (or `confidence`) interval, [low, high]. */
export type Interval = readonly [number, number];

export interface FitResult<P extends Record<string, number>> {
  /** Point estimates. */
  readonly params: Readonly<P>;
  /** Interval per parameter (bootstrap percentile unless `method` says otherwise). */
  readonly intervals: { readonly [K in keyof P]: Interval };
  readonly status: FitStatus;
  /** Human-readable reasons behind a non-`ok` status, or notes (e.g. points dropped). */
  readonly warnings: readonly string[];
  /** Number of points the fit used. */
  readonly n: number;
  /** Residuals in the space the fit minimised (log space for power laws), one per point. */
  readonly residuals: readonly number[];
  /** How it was fitted, e.g. "log-log OLS, 1000 bootstrap resamples (seed 0)". */
  readonly method: string;
}

/** y = coefficient · x^exponent */
export interface PowerLawParams extends Record<string, number> {
  coefficient: number;
  exponent: number;
}

export interface PowerLawFit extends FitResult<PowerLawParams> {
  /** Coefficient of determination in log-log space. */
  readonly r2: number;
  /** Bootstrap draws (paired), kept so predictions can carry intervals. */
  readonly draws: { readonly coefficient: readonly number[]; readonly exponent: readonly number[] };
  /**
   * How the budgets scatter about the law (lib/fit/budgetLevel) when the intervals come from them; null
   * when they could not (2 budgets, or a fit that is not across budgets). Absent in files written before.
   */
  readonly scatter?: BudgetScatter | null;
  /**
   * Per draw (paired with `draws`), a new budget's ln offset from the law: k·x^a·e^offset over the draws
   * gives the prediction interval of where a new budget's optimum lies. Absent without a scatter estimate.
   */
  readonly predictionDraws?: readonly number[];
}

/** One training run as the fitters see it: the column contract of `runs.csv`. */
export interface RunPoint {
  /** Compute budget the run belongs to, C in FLOPs (non-embedding, = M·D). */
  readonly compute: number;
  /** M, non-embedding FLOPs per token. */
  readonly modelScale: number;
  /** D, training tokens. */
  readonly tokens: number;
  /** N, parameters, when the table gives them (Chinchilla-style tables); M = 6·N when no model scale is given. */
  readonly params?: number;
  /** B, tokens per optimizer step. */
  readonly batchTokens: number;
  /** Peak learning rate. */
  readonly learningRate: number;
  /** Validation loss (bits per byte in this project's runs). */
  readonly loss: number;
  /** `ok` runs are fitted; any other status is left out and reported. */
  readonly status: string;
  /** Optional run key, carried through so fits can list what they used. */
  readonly key?: string;
}
