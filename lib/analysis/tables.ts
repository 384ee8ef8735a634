import type { Interval, PowerLawFit } from "../fit/types";
import { CHINCHILLA_APPROACHES, DEEPSEEK_EQ1, DEEPSEEK_EQ4, DEEPSEEK_TABLE4 } from "../laws/published";
import type { ExperimentAnalysis } from "./experiment";

/**
 * Comparison tables as plain rows (notebooks turn them into frames, the CLI into text): fitted
 * exponents next to the paper's Eq. 1 / Eq. 4, and a Table 4-style allocation comparison.
 */

export interface ExponentRow {
  /** e.g. "B_opt (tokens)". */
  readonly law: string;
  readonly fittedCoefficient: number;
  readonly fittedExponent: number;
  readonly exponentInterval: Interval;
  readonly paperCoefficient: number;
  readonly paperExponent: number;
  /** Whether the paper's exponent lies inside the fitted interval. */
  readonly paperInside: boolean;
  readonly status: string;
}

const row = (law: string, fit: PowerLawFit, paper: { coefficient: number; exponent: number }): ExponentRow => ({
  law,
  fittedCoefficient: fit.params.coefficient,
  fittedExponent: fit.params.exponent,
  exponentInterval: fit.intervals.exponent,
  paperCoefficient: paper.coefficient,
  paperExponent: paper.exponent,
  paperInside: paper.exponent >= fit.intervals.exponent[0] && paper.exponent <= fit.intervals.exponent[1],
  status: fit.status,
});

/** Fitted laws of an analysis against Eq. 1 (B, η) and Eq. 4 (M, D). */
export function exponentRows(a: ExperimentAnalysis): ExponentRow[] {
  const rows: ExponentRow[] = [];
  const hp = a.hyperparams?.fit;
  if (hp) rows.push(row("B_opt (tokens)", hp.batch, DEEPSEEK_EQ1.batch), row("η_opt", hp.learningRate, DEEPSEEK_EQ1.learningRate));
  const iso = a.isoflop?.fit;
  if (iso) rows.push(row("M_opt (FLOPs/token)", iso.modelScale, DEEPSEEK_EQ4.modelScale), row("D_opt (tokens)", iso.tokens, DEEPSEEK_EQ4.tokens));
  return rows;
}

export interface AllocationRow {
  readonly approach: string;
  /** a in M_opt (N_opt) ∝ C^a. */
  readonly a: number;
  /** b in D_opt ∝ C^b. */
  readonly b: number;
  readonly aInterval: Interval | null;
  readonly bInterval: Interval | null;
}

/** DeepSeek Table 4 (its first row is Kaplan's), Chinchilla Approach 2 with its interval, then this experiment's fitted a and b. */
export function table4Rows(a: ExperimentAnalysis): AllocationRow[] {
  const published: AllocationRow[] = [
    ...DEEPSEEK_TABLE4.map((r) => ({ approach: r.label, a: r.a, b: r.b, aInterval: r.aInterval ?? null, bInterval: r.bInterval ?? null })),
    ...CHINCHILLA_APPROACHES.filter((r) => r.label.startsWith("Approach 2")).map((r) => ({ approach: `Chinchilla ${r.label} (10–90 %)`, a: r.a, b: r.b, aInterval: r.aInterval ?? null, bInterval: r.bInterval ?? null })),
  ];
  const iso = a.isoflop?.fit;
  if (!iso) return published;
  return [
    ...published,
    { approach: `This project (${a.experiment}, ${iso.status})`, a: iso.modelScale.params.exponent, b: iso.tokens.params.exponent, aInterval: iso.modelScale.intervals.exponent, bInterval: iso.tokens.intervals.exponent },
  ];
}

/** Rows of plain objects as (columns, values) for lib/frames `toFrame`; intervals become `<name>Lo`/`<name>Hi`. */
export function flattenRows(rows: readonly object[]): { columns: string[]; values: unknown[][] } {
  const flat = rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).flatMap(([k, v]): [string, unknown][] => {
        if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number")) return [[`${k}Lo`, v[0]], [`${k}Hi`, v[1]]];
        if (v === null && /interval$/i.test(k)) return [[`${k}Lo`, NaN], [`${k}Hi`, NaN]];
        return [[k, v === null ? "" : typeof v === "boolean" ? String(v) : v]];
      }),
    ),
  );
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
  return { columns, values: flat.map((r) => columns.map((c) => r[c] ?? "")) };
}
