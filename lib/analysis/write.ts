import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFigure } from "../figures/write";
import type { PngOptions } from "../figures/render";
import { experimentDir, readRecordsOf, runsDir, writeFileAtomic } from "../sweep/store";
import type { RunRecord } from "../sweep/record";
import { ConfigError } from "../util/errors";
import { analyzeRecords, fitFiles, type AnalysisOptions, type ExperimentAnalysis } from "./experiment";
import { analysisFigures, FIGURE_NAMES } from "./figures";

/**
 * The edge of lib/analysis: read an experiment's run records from the results store, and write
 * its fits to `<root>/<exp>/fits/*.json` and its figures to `<root>/<exp>/figures/*.svg|png`.
 */

/** JSON with non-finite numbers as null (JSON has no NaN), one space indented. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 1)}\n`;
}

/** Every stored record of an experiment (and of those it reuses); a ConfigError naming the experiment and the command to run when there are none. */
export function readExperimentRecords(root: string, experiment: string, reuse: readonly string[] = []): RunRecord[] {
  const { records, invalid } = readRecordsOf(root, experiment, reuse);
  if (records.length === 0) {
    const why = invalid.length > 0 ? `${invalid.length} unreadable record file(s), no valid one` : `no run records in ${runsDir(root, experiment)}`;
    throw new ConfigError(why, experiment, `run \`scaling sweep ${experiment}\` first`);
  }
  return [...records];
}

/** Every fit file writeAnalysis may write (fitFiles' keys). */
const FIT_FILE_NAMES = ["hyperparams.json", "isoflop.json", "laws.json", "predictions.json"] as const;

export interface WriteAnalysisOptions {
  /** PNG rasterisation next to each SVG, or false for SVG only. Default {} (2× zoom). */
  readonly png?: PngOptions | false;
}

export interface WrittenAnalysis {
  /** Fit files written, absolute or root-relative as `root` is. */
  readonly fits: string[];
  /** Figure files written (SVG and PNG). */
  readonly figures: string[];
  /** Fit and figure files of an earlier run removed because they no longer apply (a fit that failed now, or a PNG when writing SVG only). */
  readonly removed: string[];
}

/** Writes the fit files and figures of an analysed experiment under `<root>/<experiment>/`. */
export function writeAnalysis(root: string, analysis: ExperimentAnalysis, options: WriteAnalysisOptions = {}): WrittenAnalysis {
  const dir = experimentDir(root, analysis.experiment);
  const files = fitFiles(analysis);
  const fits = Object.entries(files).map(([name, content]) => {
    const path = join(dir, "fits", name);
    writeFileAtomic(path, toJson(content));
    return path;
  });
  const removed: string[] = [];
  // A fit that failed this time leaves no file of an earlier success behind (predict --laws would go on using it).
  for (const name of FIT_FILE_NAMES) {
    const path = join(dir, "fits", name);
    if (!(name in files) && existsSync(path)) {
      rmSync(path);
      removed.push(path);
    }
  }
  const figDir = join(dir, "figures");
  const figures: string[] = [];
  const drawn = new Set<string>();
  for (const { name, element } of analysisFigures(analysis)) {
    const out = writeFigure(figDir, name, element, options.png ?? {});
    figures.push(out.svg, ...(out.png ? [out.png] : []));
    const stalePng = join(figDir, `${name}.png`);
    if (!out.png && existsSync(stalePng)) {
      rmSync(stalePng);
      removed.push(stalePng);
    }
    drawn.add(name);
  }
  for (const name of Object.values(FIGURE_NAMES)) {
    if (drawn.has(name)) continue;
    for (const ext of ["svg", "png"]) {
      const path = join(figDir, `${name}.${ext}`);
      if (existsSync(path)) {
        rmSync(path);
        removed.push(path);
      }
    }
  }
  return { fits, figures, removed };
}

/** Read, analyse and write one experiment: what `scaling figures <experiment>` does. */
export function regenerateExperiment(
  root: string,
  experiment: string,
  options: AnalysisOptions & WriteAnalysisOptions & { readonly reuse?: readonly string[] } = {},
): { analysis: ExperimentAnalysis; written: WrittenAnalysis } {
  const analysis = analyzeRecords(experiment, readExperimentRecords(root, experiment, options.reuse), options);
  return { analysis, written: writeAnalysis(root, analysis, options) };
}
