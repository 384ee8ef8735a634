import { lawBand, type LawLine } from "../figures/band";
import { toFrame, type DataFrame } from "./frame";

/** A budget to predict at, e.g. the 7B or 67B run. */
export interface PredictionTarget {
  readonly label: string;
  /** Compute budget C in FLOPs (non-embedding, = M·D). */
  readonly compute: number;
}

export interface PredictionsOptions {
  /** Central coverage of the interval taken from the laws' bootstrap draws. Default 0.95. */
  confidence?: number;
}

/**
 * One row per target: `label`, `compute`, then for each law `<name>` (the point prediction) and `<name>Lo`,
 * `<name>Hi` (percentiles of the draws' predictions; NaN for a law without draws).
 */
export function predictionsFrame(
  targets: readonly PredictionTarget[],
  laws: Readonly<Record<string, LawLine>>,
  options: PredictionsOptions = {},
): DataFrame {
  const names = Object.keys(laws);
  const columns = ["label", "compute", ...names.flatMap((n) => [n, `${n}Lo`, `${n}Hi`])];
  const rows = targets.map((t) => [
    t.label,
    t.compute,
    ...names.flatMap((n) => {
      const law = laws[n] as LawLine;
      const band = lawBand(law, [t.compute], options.confidence ?? 0.95)[0];
      return [law.coefficient * t.compute ** law.exponent, band?.lo ?? NaN, band?.hi ?? NaN];
    }),
  ]);
  return toFrame(columns, rows);
}
