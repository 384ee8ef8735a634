import type { Interval } from "../fit/types";
import type { Laws } from "../laws/lawsFile";
import { DEEPSEEK_REFERENCES, type ReferenceModel } from "../laws/reference";
import { compareReference } from "../predict/predict";
import { predictLoss, type LossCurveAnalysis } from "./isoflop";

/**
 * Predictions at the 7B and 67B budgets (C = M_exact · 2T tokens) under one or more sets of laws,
 * each quantity next to what Table 2 trained with. One flat row per (model, laws, quantity), so
 * the CLI prints it as a table and notebooks turn it into a frame.
 */

/** The quantities predicted; `loss` only when the set carries an L(C) curve (the paper publishes none). */
export const PREDICTED_QUANTITIES = ["batchTokens", "learningRate", "modelScale", "tokens", "loss"] as const;
export type PredictedQuantity = (typeof PREDICTED_QUANTITIES)[number];

/** A named set of laws to predict with. */
export interface LawSet {
  /** e.g. "DeepSeek Eq. 1/4" or "fitted (quick-isoflop)". */
  readonly label: string;
  readonly laws: Laws;
  /** The set's L(C) curve, for the loss row. Default: none. */
  readonly lossCurve?: LossCurveAnalysis | null;
}

export interface PredictionRow {
  /** Reference model name, e.g. "DeepSeek LLM 7B". */
  readonly model: string;
  readonly laws: string;
  /** C, non-embedding training FLOPs. */
  readonly compute: number;
  readonly quantity: PredictedQuantity;
  /** What the paper trained with (Table 2; M and D of the released shape); null for loss. */
  readonly table2: number | null;
  /** null when the set has no law for this quantity. */
  readonly predicted: number | null;
  /** 95% interval of the law at C, from its draws or parameter box; null when the law carries neither. */
  readonly interval: Interval | null;
  /** 95% prediction interval for this budget's own optimum (law uncertainty plus the budgets' scatter); null without a scatter estimate. */
  readonly predictionInterval: Interval | null;
  /** table2 / predicted. */
  readonly ratio: number | null;
  /** Whether Table 2's value lies inside the law interval; null without both. */
  readonly table2Inside: boolean | null;
  /** Whether Table 2's value lies inside the prediction interval; null without both. */
  readonly table2InsidePrediction: boolean | null;
}

/** Every (reference, law set, quantity) row. */
export function referencePredictions(sets: readonly LawSet[], references: readonly ReferenceModel[] = DEEPSEEK_REFERENCES): PredictionRow[] {
  const rows: PredictionRow[] = [];
  for (const ref of references) {
    for (const set of sets) {
      const c = compareReference(ref, set.laws);
      const p = c.predicted;
      const inside = (v: number | null, i: Interval | null): boolean | null => (v !== null && i ? v >= i[0] && v <= i[1] : null);
      const row = (quantity: PredictedQuantity, table2: number | null, predicted: number | null, interval: Interval | undefined | null, prediction?: Interval): PredictionRow => ({
        model: ref.name,
        laws: set.label,
        compute: c.compute,
        quantity,
        table2,
        predicted,
        interval: interval ?? null,
        predictionInterval: prediction ?? null,
        ratio: table2 !== null && predicted !== null ? table2 / predicted : null,
        table2Inside: inside(table2, interval ?? null),
        table2InsidePrediction: inside(table2, prediction ?? null),
      });
      rows.push(
        row("batchTokens", c.actual.batchTokens, p.batchTokens, p.intervals.batchTokens, p.predictionIntervals.batchTokens),
        row("learningRate", c.actual.learningRate, p.learningRate, p.intervals.learningRate, p.predictionIntervals.learningRate),
        row("modelScale", c.actual.modelScale, p.modelScale, p.intervals.modelScale, p.predictionIntervals.modelScale),
        row("tokens", c.actual.tokens, p.tokens, p.intervals.tokens, p.predictionIntervals.tokens),
      );
      if (set.lossCurve) {
        const l = predictLoss(set.lossCurve, c.compute);
        rows.push(row("loss", null, l.value, l.interval, l.prediction ?? undefined));
      }
    }
  }
  return rows;
}

/** One (model, quantity) with every law set's prediction beside Table 2 (see `predictionsSideBySide`). */
export interface SideBySideRow {
  readonly model: string;
  readonly quantity: PredictedQuantity;
  readonly table2: number | null;
  /** Per law set label: "<label>" the prediction, "<label> 95%" its interval (null without one). */
  readonly [set: string]: number | string | Interval | null;
}

/**
 * Prediction rows pivoted so each law set is a column pair (prediction, interval) and each (model, quantity)
 * one row, in the rows' order: the paper's, the quick study's and the study's predictions read across.
 */
export function predictionsSideBySide(rows: readonly PredictionRow[]): SideBySideRow[] {
  const byKey = new Map<string, Record<string, number | string | Interval | null>>();
  for (const r of rows) {
    const key = `${r.model}\u0000${r.quantity}`;
    const out = byKey.get(key) ?? { model: r.model, quantity: r.quantity, table2: r.table2 };
    out[r.laws] = r.predicted;
    out[`${r.laws} 95%`] = r.interval;
    byKey.set(key, out);
  }
  return [...byKey.values()] as SideBySideRow[];
}
