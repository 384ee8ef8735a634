import type { Interval, PowerLawFit } from "../fit/types";
import { toFrame, type DataFrame } from "./frame";

/** What `lawsFrame` reads of a power-law fit; a whole `PowerLawFit` fits, so does `{params}` alone. */
export interface LawSummary {
  readonly params: { readonly coefficient: number; readonly exponent: number };
  readonly intervals?: { readonly coefficient: Interval; readonly exponent: Interval };
  readonly status?: PowerLawFit["status"];
  readonly n?: number;
  readonly r2?: number;
}

export const LAW_COLUMNS = [
  "law",
  "coefficient",
  "exponent",
  "coefficientLo",
  "coefficientHi",
  "exponentLo",
  "exponentHi",
  "r2",
  "n",
  "status",
] as const;

/** One row per named law (y = coefficient·C^exponent) with its intervals; missing values are NaN or "". */
export function lawsFrame(laws: Readonly<Record<string, LawSummary>>): DataFrame {
  return toFrame(
    LAW_COLUMNS,
    Object.entries(laws).map(([name, law]) => [
      name,
      law.params.coefficient,
      law.params.exponent,
      law.intervals?.coefficient[0] ?? NaN,
      law.intervals?.coefficient[1] ?? NaN,
      law.intervals?.exponent[0] ?? NaN,
      law.intervals?.exponent[1] ?? NaN,
      law.r2 ?? NaN,
      law.n ?? NaN,
      law.status ?? "",
    ]),
  );
}
