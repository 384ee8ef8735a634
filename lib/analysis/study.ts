import { pathToFileURL } from "node:url";
import { join, resolve } from "node:path";
import type { Laws } from "../laws/lawsFile";
import { deepseekLaws } from "../laws/lawsFile";
import { expandSpec } from "../sweep/expand";
import { writeRunsCsv } from "../sweep/export";
import { loadLawRef, specPath } from "../sweep/load";
import type { ProgressState } from "../sweep/progress";
import { lawUses, resolveSpec, type ResolvedSpec } from "../sweep/resolve";
import { runSweep, type SweepSummary } from "../sweep/runner";
import { parseSpec } from "../sweep/spec";
import { readRecordsOf, writeFileAtomic } from "../sweep/store";
import { ConfigError } from "../util/errors";
import { analyzeRecords, PAPER_LAWS_LABEL, type ExperimentAnalysis } from "./experiment";
import { fittedLaws, lawsOf, type FittedLaws } from "./laws";
import { referencePredictions, type PredictionRow } from "./predictions";
import { toJson, writeAnalysis, type WrittenAnalysis } from "./write";

/**
 * The quick study behind `scaling start`: a hyperparameter sweep → its fit and laws file → an
 * IsoFLOP sweep whose batch size and learning rate come from those fitted laws (from Eq. 1 when
 * the fit is not `ok`) → its fit → figures → the 7B/67B predictions under the paper's and the
 * fitted laws. Both sweeps go through the resumable runner, so a second call only refits.
 */

export interface QuickStudyConfig {
  /** The hyperparameter sweep spec (a spec object, validated here). */
  readonly hyperparamsSpec: unknown;
  /** The IsoFLOP sweep spec; its `design.hyperparams` is replaced by the fitted laws file when that fit is `ok`. */
  readonly isoflopSpec: unknown;
  /** Results root. Default "results". */
  readonly resultsDir?: string;
  /** Folder under the results root for the combined laws and predictions. Default "quick-study". */
  readonly studyName?: string;
  /** Worker processes per sweep. Default: one per core. */
  readonly workers?: number;
  /** Bootstrap resamples per law. Default 1000. */
  readonly resamples?: number;
  /** Human-readable progress lines (the CLI prints them). Default: none. */
  readonly log?: (line: string) => void;
  /** Sweep progress. Default: none. */
  readonly onProgress?: (experiment: string, state: ProgressState) => void;
  /** Aborts the sweeps (runs in flight are not recorded; a later call resumes). Default: none. */
  readonly signal?: AbortSignal;
}

/** Suffix of the IsoFLOP experiment when it runs with fitted (not the paper's) hyperparameters. */
export const FITTED_HYPERPARAMS_SUFFIX = "-fitted-hp";

export interface StageResult {
  readonly analysis: ExperimentAnalysis;
  readonly sweep: SweepSummary;
  readonly written: WrittenAnalysis;
}

export interface QuickStudyResult {
  readonly hyperparams: StageResult;
  readonly isoflop: StageResult;
  /** Where the IsoFLOP runs' batch and learning rate came from, and why. */
  readonly isoflopHyperparams: { readonly source: "fitted" | "deepseek"; readonly ref: string; readonly reason: string };
  /** Laws combined from both fits (null when neither could be fitted). */
  readonly laws: FittedLaws | null;
  readonly predictions: readonly PredictionRow[];
  /** Paths of the combined laws and predictions files. */
  readonly files: { readonly laws?: string; readonly predictions: string };
  readonly interrupted: boolean;
}

/** Validate a spec object and load every law it references (the in-memory twin of lib/sweep/load). */
export function resolveSpecValue(value: unknown, root = "spec"): ResolvedSpec {
  const parsed = parseSpec(value, root);
  const laws: Record<string, Laws> = {};
  for (const use of lawUses(parsed)) laws[use.ref] ??= loadLawRef(use.ref, `${root}.${use.path}`);
  return resolveSpec(parsed, laws, root);
}

/** The raw default export of `experiments/<name>/spec.ts` (or a path), before validation. */
export async function importSpecValue(nameOrPath: string): Promise<unknown> {
  const path = specPath(nameOrPath);
  const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
  const value = module.default as { default?: unknown; __esModule?: boolean } | undefined;
  const exported = value && typeof value === "object" && value.__esModule ? value.default : value;
  if (exported === undefined) throw new ConfigError(`${path} has no default export`, "spec", "export the spec object as default");
  return exported;
}

async function stage(spec: ResolvedSpec, config: QuickStudyConfig, root: string): Promise<StageResult> {
  const { runs } = expandSpec(spec);
  config.log?.(`${spec.name}: ${runs.length} runs (finished ones are reused)`);
  const sweep = await runSweep(runs, {
    resultsDir: root,
    ...(config.workers !== undefined ? { workers: config.workers } : {}),
    ...(config.signal ? { signal: config.signal } : {}),
    ...(config.onProgress ? { onProgress: (s: ProgressState) => config.onProgress!(spec.name, s) } : {}),
  });
  // Only this plan's runs: records of an earlier, different spec under the same name are not fitted.
  const planned = new Set(runs.map((r) => r.key));
  const records = readRecordsOf(root, spec.name, spec.reuse).records.filter((r) => planned.has(r.key));
  writeRunsCsv(root, spec.name, records);
  const analysis = analyzeRecords(spec.name, records, config.resamples !== undefined ? { resamples: config.resamples } : {});
  return { analysis, sweep, written: writeAnalysis(root, analysis) };
}

export async function runQuickStudy(config: QuickStudyConfig): Promise<QuickStudyResult> {
  const root = config.resultsDir ?? "results";
  const hpSpec = resolveSpecValue(config.hyperparamsSpec, "hyperparamsSpec");
  if (hpSpec.design.kind !== "hyperparams") throw new ConfigError(`design.kind is "${hpSpec.design.kind}"`, "hyperparamsSpec.design.kind", 'pass a spec with design.kind "hyperparams"');
  const hyperparams = await stage(hpSpec, config, root);

  const hpFit = hyperparams.analysis.hyperparams?.fit ?? null;
  const lawsFile = join(root, hpSpec.name, "fits", "laws.json");
  const useFitted = hpFit?.status === "ok";
  const isoflopHyperparams = useFitted
    ? { source: "fitted" as const, ref: resolve(lawsFile), reason: `the hyperparameter fit of ${hpSpec.name} is ok` }
    : {
        source: "deepseek" as const,
        ref: "deepseek",
        reason: hpFit
          ? `the hyperparameter fit of ${hpSpec.name} has status ${hpFit.status} (${hpFit.warnings[0] ?? "see fits/hyperparams.json"}), so Eq. 1 sets B and η`
          : `no hyperparameter fit for ${hpSpec.name} (${hyperparams.analysis.hyperparams?.error ?? "no runs"}), so Eq. 1 sets B and η`,
      };
  config.log?.(`IsoFLOP batch size and learning rate: ${isoflopHyperparams.source === "fitted" ? `fitted laws ${lawsFile}` : "DeepSeek Eq. 1"} — ${isoflopHyperparams.reason}`);

  const isoValue = config.isoflopSpec as { name?: unknown; design?: Record<string, unknown> };
  if (!isoValue || typeof isoValue !== "object" || !isoValue.design || isoValue.design.kind !== "isoflop") {
    throw new ConfigError("not an IsoFLOP spec", "isoflopSpec.design.kind", 'pass a spec with design.kind "isoflop"');
  }
  const isoSpec = resolveSpecValue(
    useFitted
      ? { ...isoValue, name: `${String(isoValue.name)}${FITTED_HYPERPARAMS_SUFFIX}`, design: { ...isoValue.design, hyperparams: isoflopHyperparams.ref } }
      : isoValue,
    "isoflopSpec",
  );
  const isoflop = hyperparams.sweep.interrupted ? hyperparams : await stage(isoSpec, config, root);
  const interrupted = hyperparams.sweep.interrupted || isoflop.sweep.interrupted;

  const sources = [
    ...(hyperparams.analysis.hyperparams ? [{ experiment: hpSpec.name, analysis: hyperparams.analysis.hyperparams }] : []),
    ...(isoflop.analysis.isoflop ? [{ experiment: isoSpec.name, analysis: isoflop.analysis.isoflop }] : []),
  ];
  const laws = fittedLaws(sources);
  const predictions = referencePredictions([
    { label: PAPER_LAWS_LABEL, laws: deepseekLaws },
    ...(laws ? [{ label: "fitted (quick study)", laws: lawsOf(laws), lossCurve: isoflop.analysis.isoflop?.lossCurve ?? null }] : []),
  ]);
  const dir = join(root, config.studyName ?? "quick-study");
  const files = { predictions: join(dir, "predictions.json"), ...(laws ? { laws: join(dir, "laws.json") } : {}) };
  if (laws) writeFileAtomic(files.laws!, toJson(laws));
  writeFileAtomic(files.predictions, toJson(predictions));
  return { hyperparams, isoflop, isoflopHyperparams, laws, predictions, files, interrupted };
}
