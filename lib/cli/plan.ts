import { availableParallelism } from "node:os";
import { calibrate, calibrationPath, readCalibration } from "../sweep/calibrate";
import { estimateSweep } from "../sweep/estimate";
import { groupPlans } from "../sweep/group";
import { expandSpec } from "../sweep/expand";
import { loadSpec } from "../sweep/load";
import { checkCorpus } from "../data/corpus";
import { formatDuration } from "../sweep/progress";
import { ConfigError } from "../util/errors";
import { helpText, optionalNumber, optionalString, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling plan <experiment>`: runs, FLOPs and expected wall time per budget, before anything trains. */
export const spec: CommandSpec = {
  usage: "scaling plan",
  summary:
    "Runs, total FLOPs and expected wall time per budget of an experiment on this machine, from a cost model\n" +
    "calibrated by a few short runs (cached in .cache/calibration-<backend>-<hostname>.json).",
  positionals: ["<experiment>"],
  flags: {
    workers: { type: "number", value: "N", help: "worker processes the sweep will use (default: one per core)" },
    recalibrate: { type: "boolean", help: "measure again even if a calibration is cached" },
    cache: { type: "string", value: "DIR", help: "calibration cache folder (default .cache)" },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const workers = optionalNumber(args, "workers") ?? availableParallelism();
  if (!(Number.isInteger(workers) && workers >= 1)) throw new ConfigError(`${workers} is not a whole number ≥ 1`, "--workers", "pass e.g. --workers 2");
  const cacheDir = optionalString(args, "cache") ?? ".cache";
  const { spec: resolved } = await loadSpec(args.positionals[0] as string);
  const { runs, skipped } = expandSpec(resolved);
  checkCorpus(resolved.corpus, "spec.corpus");
  let calibration = args.flags.recalibrate ? undefined : readCalibration(resolved.backend, cacheDir);
  if (!calibration) {
    process.stderr.write(`scaling plan: calibrating ${resolved.backend} on this machine (a few short runs)…\n`);
    calibration = await calibrate({ backend: resolved.backend, workers, cacheDir });
  }
  const estimate = estimateSweep(runs, calibration.coefficients, workers, groupPlans(runs, { workers }));
  if (args.flags.json) {
    printJson({ experiment: resolved.name, ...estimate, unrealisable: skipped.length, calibration: calibrationPath(resolved.backend, cacheDir), coefficients: calibration.coefficients });
    return 0;
  }
  const rows = estimate.budgets.map((b) => [fmt(b.budget, 3), String(b.runs), fmt(b.flops, 3), formatDuration(b.runSeconds / workers)]);
  print(table(["budget", "runs", "FLOPs", `wall (${workers} workers)`], rows));
  print(
    `${resolved.name}: ${runs.length} runs, ${fmt(runs.reduce((s, r) => s + r.realisedCompute, 0), 3)} FLOPs, expected wall ${formatDuration(estimate.wallSeconds)} ` +
      `with ${workers} workers on ${resolved.backend}${skipped.length ? `; ${skipped.length} cells unrealisable (see scaling sweep --dry-run)` : ""}`,
  );
  const c = calibration.coefficients;
  print(`cost model (${calibrationPath(resolved.backend, cacheDir)}): ${fmt(c.fixedSeconds, 3)} s/run + ${fmt(c.perStepSeconds * 1e3, 3)} ms/step + ${fmt(c.perTokenSeconds * 1e6, 3)} µs/token + ${fmt(c.perFlopSeconds > 0 ? 1e-9 / c.perFlopSeconds : Infinity, 3)} GFLOP/s`);
  return 0;
}
