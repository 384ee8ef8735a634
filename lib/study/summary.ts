import type { HyperparamsAnalysis, LawJson } from "../analysis/hyperparams";
import type { IsoflopAnalysis } from "../analysis/isoflop";
import { lawJson } from "../analysis/hyperparams";
import { referencePredictions, type PredictionRow } from "../analysis/predictions";
import { PAPER_LAWS_LABEL } from "../analysis/experiment";
import type { Interval } from "../fit/types";
import { deepseekLaws, type LawName, type Laws } from "../laws/lawsFile";
import { DEEPSEEK_EQ1, DEEPSEEK_EQ4 } from "../laws/published";
import { hyperparamsBudgets, isoflopBudgets, lossCurveRow } from "./budgets";
import { noiseByBudget, type SeedNoise } from "./noise";

/**
 * The study's summary table: every fitted law beside the paper's (Eq. 1: B ∝ C^0.3271, η ∝
 * C^−0.1250; Eq. 4: M ∝ C^0.5243, D ∝ C^0.4757; arXiv 2401.02954 §3), the allocation exponents on
 * prose vs code (§3.3, Table 4), the 7B/67B predictions under both law sets against Table 2, and
 * the leave-one-budget-out errors. Pure: analyses in, a JSON-ready record out.
 */

export const SUMMARY_SCHEMA_VERSION = 1;

const PAPER: Record<LawName, { coefficient: number; exponent: number }> = {
  batch: DEEPSEEK_EQ1.batch,
  learningRate: DEEPSEEK_EQ1.learningRate,
  modelScale: DEEPSEEK_EQ4.modelScale,
  tokens: DEEPSEEK_EQ4.tokens,
};

export interface LawRow {
  readonly law: LawName;
  readonly experiment: string;
  readonly status: string;
  readonly coefficient: number;
  readonly coefficientInterval: Interval;
  readonly exponent: number;
  readonly exponentInterval: Interval;
  readonly paper: { readonly coefficient: number; readonly exponent: number };
  /** Whether the paper's exponent lies inside the fitted 95% interval. */
  readonly paperExponentInside: boolean;
}

function row(law: LawName, experiment: string, j: LawJson): LawRow {
  const paper = { coefficient: PAPER[law].coefficient, exponent: PAPER[law].exponent };
  const [lo, hi] = j.interval.exponent;
  return { law, experiment, status: j.status, coefficient: j.coefficient, coefficientInterval: j.interval.coefficient, exponent: j.exponent, exponentInterval: j.interval.exponent, paper, paperExponentInside: paper.exponent >= lo && paper.exponent <= hi };
}

export interface SummaryInput {
  readonly hyperparams: { readonly experiment: string; readonly analysis: HyperparamsAnalysis | null };
  readonly isoflop: { readonly experiment: string; readonly analysis: IsoflopAnalysis | null };
  readonly isoflopCode: { readonly experiment: string; readonly analysis: IsoflopAnalysis | null };
  /** The fitted law set (prose) used for predictions; null when nothing was fitted. */
  readonly fittedLaws: Laws | null;
  /** Seed-to-seed spread of the loss (the noise stage). */
  readonly noise: SeedNoise;
  /** The same over the hyperparameter grid's cells, when they have several seeds. */
  readonly gridNoise?: SeedNoise;
}

const allocation = (a: IsoflopAnalysis | null) => {
  if (!a?.fit) return null;
  const m = a.fit.modelScale, d = a.fit.tokens;
  return { status: a.fit.status, a: m.params.exponent, aInterval: m.intervals.exponent, b: d.params.exponent, bInterval: d.intervals.exponent };
};

/** A fit's warnings, then its notes (what does not bear on the laws' status, e.g. the quadratic cross-check). */
const notesOf = (a: HyperparamsAnalysis | IsoflopAnalysis | null): string[] =>
  !a ? ["no runs"] : a.fit ? [...a.fit.warnings, ...("notes" in a.fit ? a.fit.notes.map((n) => `note: ${n}`) : [])] : [a.error ?? "no fit"];

const worst = (errors: readonly number[]): number | null => (errors.length > 0 ? Math.max(...errors.map(Math.abs)) : null);

export function studySummary(input: SummaryInput) {
  const laws: LawRow[] = [];
  const hp = input.hyperparams.analysis?.fit;
  if (hp) laws.push(row("batch", input.hyperparams.experiment, lawJson(hp.batch)), row("learningRate", input.hyperparams.experiment, lawJson(hp.learningRate)));
  for (const { experiment, analysis } of [input.isoflop, input.isoflopCode]) {
    if (analysis?.fit) laws.push(row("modelScale", experiment, lawJson(analysis.fit.modelScale)), row("tokens", experiment, lawJson(analysis.fit.tokens)));
  }
  const prose = allocation(input.isoflop.analysis), code = allocation(input.isoflopCode.analysis);
  const predictions: PredictionRow[] = referencePredictions([
    { label: PAPER_LAWS_LABEL, laws: deepseekLaws },
    ...(input.fittedLaws ? [{ label: "fitted (study)", laws: input.fittedLaws, lossCurve: input.isoflop.analysis?.lossCurve ?? null }] : []),
  ]);
  const hpLoo = input.hyperparams.analysis?.leaveOneOut ?? null;
  const looOf = (a: IsoflopAnalysis | null) => a?.leaveOneOut ?? null;
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    laws,
    allocation: {
      paper: { a: DEEPSEEK_EQ4.modelScale.exponent, b: DEEPSEEK_EQ4.tokens.exponent },
      prose: prose ? { experiment: input.isoflop.experiment, ...prose } : null,
      code: code ? { experiment: input.isoflopCode.experiment, ...code } : null,
      /** a(code) − a(prose): DeepSeek Table 4 finds the exponent depends on the data. */
      codeMinusProse: prose && code ? { a: code.a - prose.a, b: code.b - prose.b } : null,
    },
    predictions,
    budgets: {
      hyperparams: hyperparamsBudgets(input.hyperparams.analysis),
      isoflop: isoflopBudgets(input.isoflop.analysis),
      isoflopCode: isoflopBudgets(input.isoflopCode.analysis),
    },
    lossCurve: { prose: lossCurveRow(input.isoflop.analysis), code: lossCurveRow(input.isoflopCode.analysis) },
    /** Why a fit is not ok (its warnings), or why there is none. */
    fitNotes: {
      hyperparams: notesOf(input.hyperparams.analysis),
      isoflop: notesOf(input.isoflop.analysis),
      isoflopCode: notesOf(input.isoflopCode.analysis),
    },
    noise: input.noise,
    /** Stage 1's seeds pooled per budget (none with one seed per cell). */
    gridNoise: input.gridNoise ? { pooledRelativeSd: input.gridNoise.pooledRelativeSd, budgets: noiseByBudget(input.gridNoise) } : null,
    leaveOneOut: {
      hyperparams: hpLoo,
      isoflop: looOf(input.isoflop.analysis),
      isoflopCode: looOf(input.isoflopCode.analysis),
      /** Largest |relative error| per quantity over the held-out budgets. */
      worst: {
        batchTokens: worst(hpLoo?.map((r) => r.batch.relativeError) ?? []),
        learningRate: worst(hpLoo?.map((r) => r.learningRate.relativeError) ?? []),
        modelScale: worst(looOf(input.isoflop.analysis)?.map((r) => r.modelScale.relativeError) ?? []),
        tokens: worst(looOf(input.isoflop.analysis)?.map((r) => r.tokens.relativeError) ?? []),
        modelScaleCode: worst(looOf(input.isoflopCode.analysis)?.map((r) => r.modelScale.relativeError) ?? []),
      },
      notes: [input.hyperparams.analysis?.leaveOneOutNote, input.isoflop.analysis?.leaveOneOutNote, input.isoflopCode.analysis?.leaveOneOutNote].filter((n): n is string => typeof n === "string"),
    },
  };
}

export type StudySummary = ReturnType<typeof studySummary>;
