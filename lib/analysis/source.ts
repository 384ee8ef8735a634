import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { RunRecord } from "../sweep/record";
import { projectRoot } from "../sweep/runner";
import { readRecords } from "../sweep/store";
import { ConfigError } from "../util/errors";

/**
 * Where a notebook's runs come from: the committed records under `<root>/<experiment>/runs/` when
 * there are any, otherwise a live `scaling sweep` of the experiment's spec (resumable, so an
 * interrupted notebook picks up where it stopped). The sweep runs as a child process: a notebook
 * kernel (tslab, CommonJS) cannot import a spec.ts at run time. `source` says which it was.
 */

export interface ExperimentRuns {
  readonly experiment: string;
  readonly source: "committed" | "live";
  readonly records: readonly RunRecord[];
  /** One line for people: where the runs came from. */
  readonly message: string;
}

export interface ExperimentRunsOptions {
  /** Results root. Default "results". */
  readonly resultsDir?: string;
  /** Spec to sweep when there are no runs: a name under experiments/ or a path to a spec.ts. Default: `experiment`. */
  readonly spec?: string;
  /** Worker processes of a live sweep. Default: one per core. */
  readonly workers?: number;
}

/** Stored records of `experiment`, running its sweep first when it has none. */
export function committedOrLiveRuns(experiment: string, options: ExperimentRunsOptions = {}): ExperimentRuns {
  const root = options.resultsDir ?? "results";
  const stored = readRecords(root, experiment).records;
  if (stored.length > 0) {
    return { experiment, source: "committed", records: stored, message: `${experiment}: ${stored.length} committed runs from ${join(root, experiment, "runs")}/` };
  }
  const spec = options.spec ?? experiment;
  const args = [join(projectRoot(), "bin", "scaling.mjs"), "sweep", spec, "--results", root, ...(options.workers !== undefined ? ["--workers", String(options.workers)] : [])];
  const run = spawnSync(process.execPath, args, { encoding: "utf8" });
  if (run.status !== 0) {
    const why = (run.stderr || run.stdout || String(run.error ?? "")).trim().split("\n").slice(-2).join(" | ");
    throw new ConfigError(`the live sweep failed (exit ${run.status}): ${why}`, experiment, `run \`node bin/scaling.mjs sweep ${spec}\` to see the whole output`);
  }
  const records = readRecords(root, experiment).records;
  const summary = run.stdout.trim().split("\n")[0] ?? "";
  return { experiment, source: "live", records, message: `${experiment}: no committed runs, so ran a live sweep of ${spec} (${summary})` };
}
