import type { FitStatus, Interval, PowerLawFit } from "./types";

/** The JSON shape the CLI prints for one power law: `{coefficient, exponent, interval, r2, status}`. */
export interface PowerLawSummary {
  readonly coefficient: number;
  readonly exponent: number;
  readonly interval: { readonly coefficient: Interval; readonly exponent: Interval };
  readonly r2: number;
  readonly status: FitStatus;
}

/** Strips a PowerLawFit to its printable summary (no draws, no residuals). */
export function powerLawSummary(fit: PowerLawFit): PowerLawSummary {
  return {
    coefficient: fit.params.coefficient,
    exponent: fit.params.exponent,
    interval: { coefficient: fit.intervals.coefficient, exponent: fit.intervals.exponent },
    r2: fit.r2,
    status: fit.status,
  };
}
