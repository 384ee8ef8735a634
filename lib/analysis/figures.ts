/// <reference lib="dom" />
import { allocationFigure } from "../figures/allocation";
import type { LabelledPoint, LawLine } from "../figures/common";
import { hyperparamGridFigure } from "../figures/hyperparamGrid";
import { hyperparamLawsFigure } from "../figures/hyperparamLaws";
import { isoflopCurvesFigure } from "../figures/isoflopCurves";
import { lossComputeFigure } from "../figures/lossCompute";
import { svgDocument } from "../figures/render";
import type { PowerLawFit } from "../fit/types";
import { DEEPSEEK_EQ1, DEEPSEEK_EQ4 } from "../laws/published";
import { DEEPSEEK_FIGURE_ANNOTATIONS, DEEPSEEK_REFERENCES } from "../laws/reference";
import { modelScaleExact } from "../model/count";
import type { ExperimentAnalysis } from "./experiment";

/**
 * Every figure that applies to an analysed experiment, as (file name, SVG element): the paper's
 * Figure 2 and 3 for hyperparameter runs, Figure 4(a), 4(b/c) and 5 for IsoFLOP runs. Pure: the
 * fits come from the analysis, the elements are written by lib/analysis/write.
 */

/** File names (without extension) of the figures, by the paper figure they reproduce. */
export const FIGURE_NAMES = {
  hyperparamGrid: "hyperparam-grid",
  hyperparamLaws: "hyperparam-laws",
  isoflopCurves: "isoflop-curves",
  allocation: "allocation",
  lossCompute: "loss-compute",
} as const;

export interface NamedFigure {
  readonly name: string;
  readonly element: SVGSVGElement;
}

/**
 * A fitted law for a figure; its band is the prediction interval (where a new budget's optimum lies) when
 * the fit has one: each draw's coefficient carries that draw's new-budget offset, k·e^offset·x^a.
 */
const lawLine = (f: PowerLawFit): LawLine => {
  const offsets = f.predictionDraws;
  const draws = offsets && offsets.length === f.draws.coefficient.length ? { coefficient: f.draws.coefficient.map((k, i) => k * Math.exp(offsets[i]!)), exponent: f.draws.exponent } : f.draws;
  return { coefficient: f.params.coefficient, exponent: f.params.exponent, draws };
};

/** The 7B/67B budgets, C = M_exact · 2T tokens, labelled "7B" and "67B". */
const referenceBudgets = (): { label: string; compute: number }[] =>
  DEEPSEEK_REFERENCES.map((ref) => ({ label: ref.name.replace("DeepSeek LLM ", ""), compute: modelScaleExact(ref.shape) * ref.tokens }));

/** The 7B/67B budgets with a per-reference value (Table 2's batch or learning rate), for labelled points. */
function referencePoints(value: (ref: (typeof DEEPSEEK_REFERENCES)[number]) => number): LabelledPoint[] {
  return DEEPSEEK_REFERENCES.map((ref, i) => ({ ...referenceBudgets()[i]!, value: value(ref) }));
}

export function analysisFigures(a: ExperimentAnalysis, document: Document = svgDocument()): NamedFigure[] {
  const figures: NamedFigure[] = [];
  const hp = a.hyperparams;
  if (hp) {
    const points = hp.points;
    const fit = hp.fit;
    figures.push({ name: FIGURE_NAMES.hyperparamGrid, element: hyperparamGridFigure(points, { document, ...(fit ? { nearOptimal: fit.nearOptimal.kept } : {}) }) });
    if (fit) {
      const kept = new Set(fit.nearOptimal.kept);
      figures.push({
        name: FIGURE_NAMES.hyperparamLaws,
        element: hyperparamLawsFigure(fit.nearOptimal.kept, {
          document,
          batchLaw: lawLine(fit.batch),
          learningRateLaw: lawLine(fit.learningRate),
          others: points.filter((p) => p.status === "ok" && !kept.has(p)),
          batchReference: { ...DEEPSEEK_EQ1.batch, label: "DeepSeek Eq. 1" },
          learningRateReference: { ...DEEPSEEK_EQ1.learningRate, label: "DeepSeek Eq. 1" },
          batchTargets: referencePoints((r) => r.batchTokens),
          learningRateTargets: referencePoints((r) => r.learningRate),
        }),
      });
    }
  }
  const iso = a.isoflop;
  if (iso) {
    const fits = (iso.fit?.budgets ?? []).flatMap((b) => (b.parabola ? [{ compute: b.compute, parabola: b.parabola, modelScale: b.modelScale, loss: b.loss, status: b.status }] : []));
    figures.push({ name: FIGURE_NAMES.isoflopCurves, element: isoflopCurvesFigure(iso.points, { document, fits }) });
    if (iso.fit) {
      const f4 = DEEPSEEK_FIGURE_ANNOTATIONS.figure4;
      figures.push({
        name: FIGURE_NAMES.allocation,
        element: allocationFigure(iso.fit.budgets, {
          document,
          modelScaleLaw: lawLine(iso.fit.modelScale),
          tokensLaw: lawLine(iso.fit.tokens),
          modelScaleReference: { ...DEEPSEEK_EQ4.modelScale, label: "DeepSeek Eq. 4" },
          tokensReference: { ...DEEPSEEK_EQ4.tokens, label: "DeepSeek Eq. 4" },
          modelScaleTargets: [{ label: "67B (Fig. 4)", compute: f4.compute, value: f4.modelScale }],
          tokensTargets: [{ label: "67B (Fig. 4)", compute: f4.compute, value: f4.tokens }],
        }),
      });
    }
    if (iso.lossCurve) {
      const { E, A, alpha } = iso.lossCurve.params;
      figures.push({
        name: FIGURE_NAMES.lossCompute,
        element: lossComputeFigure(iso.lossCurve.points, {
          document,
          law: { coefficient: A, exponent: -alpha, irreducible: E, ...(iso.lossCurve.draws ? { draws: iso.lossCurve.draws } : {}) },
          targets: referenceBudgets(),
        }),
      });
    }
  }
  return figures;
}

