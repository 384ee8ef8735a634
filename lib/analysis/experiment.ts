import type { HyperparamsOptions } from "../fit/hyperparams";
import { deepseekLaws } from "../laws/lawsFile";
import type { RunRecord } from "../sweep/record";
import { analyzeHyperparams, hyperparamsJson, type HyperparamsAnalysis, type HyperparamsJson } from "./hyperparams";
import { analyzeIsoflop, isoflopJson, type IsoflopAnalysis, type IsoflopJson } from "./isoflop";
import { fittedLaws, lawsOf, type FittedLaws, type LawSource } from "./laws";
import { meanOverSeeds, pointsByKind } from "./points";
import { referencePredictions, type LawSet, type PredictionRow } from "./predictions";

/**
 * One experiment's records → every analysis that applies to them: the hyperparameter analysis
 * for its `hyperparams` runs, the IsoFLOP analysis for its `isoflop` runs, the fitted laws, and
 * the 7B/67B predictions under the paper's laws and under the fitted ones. Pure: reading records
 * and writing files are lib/analysis/write's.
 */

export interface AnalysisOptions {
  /** Bootstrap resamples of every law. Default 1000 (the fitters' default). */
  readonly resamples?: number;
  /** Bootstrap seed. Default 0. */
  readonly seed?: number;
  /** Near-optimal threshold, relative loss excess. Default 0.0025 (DeepSeek §3.1). */
  readonly threshold?: number;
  /** Laws fitted elsewhere that this experiment's laws complete (e.g. the hyperparams laws its runs used). Default none. */
  readonly extraSources?: readonly LawSource[];
}

/** Label of the paper's laws in prediction tables. */
export const PAPER_LAWS_LABEL = "DeepSeek Eq. 1/4";

export interface ExperimentAnalysis {
  readonly experiment: string;
  readonly hyperparams: HyperparamsAnalysis | null;
  readonly isoflop: IsoflopAnalysis | null;
  /** null when no fit could be made. */
  readonly laws: FittedLaws | null;
  readonly predictions: readonly PredictionRow[];
}

export function analyzeRecords(experiment: string, records: readonly RunRecord[], options: AnalysisOptions = {}): ExperimentAnalysis {
  // Seeds of one configuration are one point (their mean loss), so the near-optimal band compares configurations.
  const perRun = pointsByKind(records);
  const byKind = { hyperparams: meanOverSeeds(perRun.hyperparams), isoflop: meanOverSeeds(perRun.isoflop) };
  const fitOptions: HyperparamsOptions = {
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  const threshold = options.threshold !== undefined ? { threshold: options.threshold } : {};
  const hyperparams = byKind.hyperparams.length > 0 ? analyzeHyperparams(byKind.hyperparams, { ...fitOptions, ...threshold }) : null;
  const isoflop = byKind.isoflop.length > 0 ? analyzeIsoflop(byKind.isoflop, fitOptions) : null;
  const own: LawSource[] = [hyperparams, isoflop].flatMap((analysis) => (analysis ? [{ experiment, analysis }] : []));
  const laws = fittedLaws([...(options.extraSources ?? []), ...own]);
  const sets: LawSet[] = [{ label: PAPER_LAWS_LABEL, laws: deepseekLaws }];
  if (laws) sets.push({ label: `fitted (${experiment})`, laws: lawsOf(laws), lossCurve: isoflop?.lossCurve ?? null });
  return { experiment, hyperparams, isoflop, laws, predictions: referencePredictions(sets) };
}

/** The fit files of an experiment, by file name under `results/<exp>/fits/`. */
export interface FitFiles {
  readonly "hyperparams.json"?: HyperparamsJson;
  readonly "isoflop.json"?: IsoflopJson;
  readonly "laws.json"?: FittedLaws;
  readonly "predictions.json": readonly PredictionRow[];
}

export function fitFiles(a: ExperimentAnalysis): FitFiles {
  return {
    ...(a.hyperparams ? { "hyperparams.json": hyperparamsJson(a.hyperparams) } : {}),
    ...(a.isoflop ? { "isoflop.json": isoflopJson(a.isoflop) } : {}),
    ...(a.laws ? { "laws.json": a.laws } : {}),
    "predictions.json": a.predictions,
  };
}
