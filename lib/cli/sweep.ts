import { expandSpec, type Expansion } from "../sweep/expand";
import { exportRunsCsv } from "../sweep/export";
import { loadSpec } from "../sweep/load";
import { formatProgress, type ProgressState } from "../sweep/progress";
import { runSweep, type SweepSummary } from "../sweep/runner";
import { checkGroupLimit } from "../sweep/group";
import { QUEUE_URL_ENV, queueUrlFrom, type QueueUrl } from "../queue/url";
import { helpText, parseArgs, optionalCount, optionalNumber, optionalString, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";
import { ConfigError } from "../util/errors";
import { checkCorpus } from "../data/corpus";
import { assertWritable, readRecordsOf, runsDir } from "../sweep/store";
import { EXIT_RUNS_FAILED } from "./main";

/** `scaling sweep <experiment>`: expand a spec and train every run not yet recorded. */
export const spec: CommandSpec = {
  usage: "scaling sweep",
  summary:
    "Train every run of an experiment (a name under experiments/ or a path to a spec.ts) on a pool of worker\n" +
    "processes; finished runs are skipped, so running it again resumes. Ctrl-C stops cleanly. Writes\n" +
    "results/<name>/runs/<key>.json and results/<name>/runs.csv.",
  positionals: ["<experiment>"],
  flags: {
    workers: { type: "number", value: "N", help: "worker processes (default: one per core)" },
    group: { type: "number", value: "N", help: "most runs of one shape trained together in one process (default 10, bounded by memory; 1 trains each run alone)" },
    retries: { type: "number", value: "N", help: "extra attempts for a run whose process fails (default 2)" },
    "stall-seconds": { type: "number", value: "S", help: "kill a local worker silent for S seconds as stalled (default 600)" },
    "dry-run": { type: "boolean", help: "list the runs and skipped cells, train nothing" },
    results: { type: "string", value: "DIR", help: "results root (default results)" },
    queue: { type: "string", value: "URL", help: `train on \`scaling worker\`s via this Redis (redis:// or rediss://; default $${QUEUE_URL_ENV}, else the local pool); see docs/scale-out.md` },
  },
};

/** The one typed config of the command. */
export interface SweepCommandConfig {
  /** Experiment name or spec path. */
  readonly experiment: string;
  /** Worker processes; default one per core. */
  readonly workers?: number;
  /** Most runs per group (lib/sweep/group); default DEFAULT_GROUP_RUNS, bounded by memory. */
  readonly group?: number;
  /** Extra attempts per failed run; default 2. */
  readonly retries?: number;
  /** Seconds of worker silence before a local run is killed as stalled; default 600 (lib/sweep/runner). */
  readonly stallSeconds?: number;
  /** List the runs only. */
  readonly dryRun: boolean;
  /** Print JSON instead of tables. */
  readonly json: boolean;
  /** Results root; default "results". */
  readonly resultsDir: string;
  /** Redis queue of `scaling worker`s (lib/queue); default: none, the local pool. */
  readonly queue?: QueueUrl;
}

/** Runs and skipped cells per budget, for --dry-run and plan. */
export function expansionRows(expansion: Expansion): string[][] {
  return expansion.runs.map((r) => [
    r.key,
    fmt(r.cell.budget, 3),
    fmt(r.modelScale, 3),
    `${r.config.shape.layers}×${r.config.shape.dModel}`,
    String(r.config.batchTokens),
    fmt(r.config.learningRate, 3),
    String(r.steps),
    fmt(r.realisedCompute / r.cell.budget - 1, 2),
  ]);
}

/** A progress sink on stderr: a redrawn line on a terminal, a line every few seconds otherwise. */
function progressPrinter(): (p: ProgressState) => void {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let lastDone = -1;
  return (p) => {
    const now = Date.now();
    if (p.runsDone === lastDone && now - last < (tty ? 200 : 10_000)) return;
    last = now;
    lastDone = p.runsDone;
    process.stderr.write(tty ? `\r${formatProgress(p)}\x1b[K` : `${formatProgress(p)}\n`);
  };
}

export async function sweepMain(config: SweepCommandConfig): Promise<{ code: number; summary?: SweepSummary }> {
  const { spec: resolved } = await loadSpec(config.experiment);
  const expansion = expandSpec(resolved);
  // Before anything trains: the corpus resolves (a user corpus is read whole) and records can be written.
  checkCorpus(resolved.corpus, "spec.corpus");
  if (config.dryRun) {
    if (config.json) printJson({ experiment: resolved.name, runs: expansion.runs, skipped: expansion.skipped });
    else {
      print(table(["key", "budget", "M", "shape", "batch", "lr", "steps", "C err"], expansionRows(expansion)));
      for (const s of expansion.skipped) print(`skipped budget ${fmt(s.cell.budget, 3)} grid [${s.cell.grid.join(",")}]: ${s.reason}`);
      print(`${expansion.runs.length} runs, ${expansion.skipped.length} cells skipped`);
    }
    return { code: 0 };
  }
  assertWritable(runsDir(config.resultsDir, resolved.name));
  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write(
      config.queue
        ? "\nscaling sweep: interrupted — queued runs keep training on the workers; run the same command to re-attach\n"
        : "\nscaling sweep: interrupted — stopping workers (runs in flight are not recorded)\n",
    );
    controller.abort();
  };
  process.once("SIGINT", onSigint);
  const printer = progressPrinter();
  let summary: SweepSummary;
  try {
    const common = {
      resultsDir: config.resultsDir,
      ...(config.retries !== undefined ? { retries: config.retries } : {}),
      signal: controller.signal,
      onProgress: printer,
    };
    // The executor: the queue when one is given (loaded only then: it pulls in BullMQ), else the local pool.
    summary = config.queue
      ? await (await import("../queue/sweep")).runQueueSweep(expansion.runs, { ...common, queue: config.queue, onNotice: (m) => process.stderr.write(`\nscaling sweep: ${m}\n`) })
      : await runSweep(expansion.runs, {
          ...common,
          ...(config.workers !== undefined ? { workers: config.workers } : {}),
          ...(config.stallSeconds !== undefined ? { stallSeconds: config.stallSeconds } : {}),
          ...(config.group !== undefined ? { group: config.group, groupExplicit: true } : {}),
        });
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  const csv = exportRunsCsv(config.resultsDir, resolved.name, resolved.reuse);
  const planned = new Set(expansion.runs.map((r) => r.key));
  const failedRuns = readRecordsOf(config.resultsDir, resolved.name, resolved.reuse)
    .records.filter((r) => r.status === "failed" && planned.has(r.key))
    .map((r) => ({ key: r.key, error: r.error ?? "failed" }));
  const out = { experiment: resolved.name, ...summary, unrealisable: expansion.skipped.length, runsCsv: csv.path, failedRuns };
  if (config.json) printJson(out);
  else {
    if (summary.total === summary.skipped) print(`${resolved.name}: nothing to train — all ${summary.total} runs are already recorded`);
    print(
      `${resolved.name}: ${summary.trained} trained${summary.groups > 0 ? ` in ${summary.groups} group${summary.groups === 1 ? "" : "s"}` : ""}, ${summary.skipped} already done, ${summary.diverged} diverged, ${summary.failed} failed` +
        `${summary.pending ? `, ${summary.pending} pending` : ""}, ${expansion.skipped.length} cells unrealisable; ${fmt(summary.wallSeconds, 3)} s`,
    );
    print(`runs.csv: ${csv.path} (${csv.rows} rows)${summary.interrupted ? " — interrupted: run the same command to resume" : ""}`);
    if (summary.busy) print(`${summary.busy} runs left to another sweep training them on this folder: run the same command again once it finishes`);
  }
  // Failed runs make the sweep fail (exit 3), each named, so a script cannot mistake it for success.
  for (const f of failedRuns) process.stderr.write(`scaling sweep: run ${f.key} failed: ${f.error}\n`);
  if (failedRuns.length > 0) process.stderr.write(`scaling sweep: ${failedRuns.length} of ${expansion.runs.length} runs failed — fix the cause and run the same command again (it retries them)\n`);
  return { code: summary.interrupted ? 130 : failedRuns.length > 0 ? EXIT_RUNS_FAILED : 0, summary };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const workers = optionalNumber(args, "workers");
  const retries = optionalNumber(args, "retries");
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new ConfigError(`${workers} is not a whole number ≥ 1`, "--workers", "pass e.g. --workers 2");
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) throw new ConfigError(`${retries} is not a whole number ≥ 0`, "--retries", "pass e.g. --retries 2");
  const stallSeconds = optionalCount(args, "stall-seconds", 1, 600);
  const group = optionalNumber(args, "group");
  if (group !== undefined) checkGroupLimit(group);
  const queue = queueUrlFrom(optionalString(args, "queue"));
  if (queue && stallSeconds !== undefined) throw new ConfigError("sets the local pool, but the sweep runs on a queue", "--stall-seconds", "drop it: queue workers are recovered by the queue's own stall check");
  if (queue && group !== undefined) throw new ConfigError("groups runs on the local pool, but the sweep runs on a queue", "--group", "drop it: queue jobs are single runs");
  if (queue && workers !== undefined) throw new ConfigError("sets the local pool, but the sweep runs on a queue", "--workers", "drop --workers and start `scaling worker --concurrency N` on the workers");
  return (
    await sweepMain({
      experiment: args.positionals[0] as string,
      ...(workers !== undefined ? { workers } : {}),
      ...(retries !== undefined ? { retries } : {}),
      ...(group !== undefined ? { group } : {}),
      ...(stallSeconds !== undefined ? { stallSeconds } : {}),
      dryRun: args.flags["dry-run"] === true,
      json: args.flags.json === true,
      resultsDir: optionalString(args, "results") ?? "results",
      ...(queue ? { queue } : {}),
    })
  ).code;
}
