import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { importSpecValue } from "../analysis/study";
import { calibrate, readCalibration } from "../sweep/calibrate";
import { formatDuration, formatProgress } from "../sweep/progress";
import { parseSpec } from "../sweep/spec";
import { runStudy, type StudyMode, type StudyResult } from "../study/run";
import { stageByName, STUDY_STAGES } from "../study/stages";
import { ConfigError } from "../util/errors";
import { helpText, optionalCount, optionalString, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling study`: the full study (lib/study/run), resumable; `--plan` prints its cost, `--refit` redraws everything. */
export const spec: CommandSpec = {
  usage: "scaling study",
  summary:
    `The study of DeepSeek LLM §3 on the embedded corpora, stage by stage (${STUDY_STAGES.map((s) => s.name).join(" → ")}).\n` +
    "Each stage is a resumable sweep; after it, its laws are refitted and feed the next stage's B, η and M. At the end:\n" +
    "results/study/{stages,laws,verification,summary}.json and README.md. --plan prints the cost per stage; --refit trains nothing and\n" +
    "rewrites every fit, figure and study table from the stored runs.",
  flags: {
    workers: { type: "number", value: "N", help: "worker processes (default: one per core)" },
    stage: { type: "string", value: "NAME", help: `train only this stage (${STUDY_STAGES.map((s) => s.name).join(", ")}); the others are refitted` },
    plan: { type: "boolean", help: "print runs, FLOPs and expected wall time per stage; train nothing" },
    refit: { type: "boolean", help: "train nothing; refit, redraw and rewrite the study files from stored runs" },
    results: { type: "string", value: "DIR", help: "results root (default results)" },
    resamples: { type: "number", value: "N", help: "bootstrap resamples per law (default 1000)" },
    "stall-seconds": { type: "number", value: "S", help: "kill a worker silent for S seconds as stalled (default 600)" },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const workers = optionalCount(args, "workers", 1, 2);
  const resamples = optionalCount(args, "resamples", 0, 1000);
  const stallSeconds = optionalCount(args, "stall-seconds", 1, 600);
  const stageName = optionalString(args, "stage");
  const stage = stageName !== undefined ? stageByName(stageName).name : undefined;
  if (args.flags.plan && args.flags.refit) throw new ConfigError("--plan and --refit both given", "--plan", "pass one of them");
  const mode: StudyMode = args.flags.plan ? "plan" : args.flags.refit ? "refit" : "train";
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const w = workers ?? availableParallelism();
  let cost;
  if (mode === "plan") {
    const backend = parseSpec(await importSpecValue(STUDY_STAGES[0]!.experiment)).backend;
    cost = (readCalibration(backend) ?? (log(`scaling study: calibrating ${backend} on this machine…`), await calibrate({ backend, workers: w }))).coefficients;
  }
  const controller = new AbortController();
  const onSigint = (): void => {
    log("\nscaling study: interrupted — stopping workers; run it again to resume");
    controller.abort();
  };
  process.once("SIGINT", onSigint);
  let last = 0;
  let result: StudyResult;
  try {
    result = await runStudy({
      resultsDir: optionalString(args, "results") ?? "results",
      mode,
      workers: w,
      ...(stage ? { stage } : {}),
      ...(resamples !== undefined ? { resamples } : {}),
      ...(stallSeconds !== undefined ? { stallSeconds } : {}),
      ...(cost ? { cost } : {}),
      log,
      onProgress: (name, state) => {
        if (state.runsTotal === 0 || (Date.now() - last < 10_000 && state.runsDone < state.runsTotal)) return;
        last = Date.now();
        log(`${name} ${formatProgress(state)}`);
      },
      signal: controller.signal,
    });
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
  if (args.flags.json) printJson(mode === "plan" ? planJson(result) : { files: result.files, verification: result.verification, interrupted: result.interrupted });
  else print(mode === "plan" ? planText(result, w) : report(result));
  return result.interrupted ? 130 : 0;
}

const planJson = (r: StudyResult) => r.stages.map((s) => ({ stage: s.stage, experiment: s.experiment, runs: s.planned, estimate: s.estimate, lawChoices: s.lawChoices }));

function planText(r: StudyResult, workers: number): string {
  const rows = r.stages.map((s) => {
    const e = s.estimate!;
    const flops = e.budgets.reduce((t, b) => t + b.flops, 0);
    const laws = s.lawChoices.length === 0 ? "spec" : [...new Set(s.lawChoices.map((c) => c.source))].join("+");
    return [s.stage, s.experiment, s.budgets.map((b) => fmt(b, 2)).join(" "), `${e.budgets.reduce((t, b) => t + b.runs, 0)} of ${s.planned}`, fmt(flops, 3), formatDuration(e.wallSeconds), laws];
  });
  const total = r.stages.reduce((t, s) => t + s.estimate!.wallSeconds, 0);
  return `${table(["stage", "experiment", "budgets (FLOPs)", "runs to train", "FLOPs", `wall (${workers} workers)`, "B/η/M laws"], rows)}\nstudy: ${r.stages.reduce((t, s) => t + s.estimate!.budgets.reduce((n, b) => n + b.runs, 0), 0)} of ${r.stages.reduce((t, s) => t + s.planned, 0)} runs to train, expected wall ${formatDuration(total)} (stages run one after another; later stages' runs change once earlier fits exist)`;
}

const rel = (p: string): string => relative(process.cwd(), p) || p;

function report(r: StudyResult): string {
  const lines = r.stages.map((s) => {
    const w = s.sweep;
    const fit = s.analysis.hyperparams?.fit?.status ?? s.analysis.isoflop?.fit?.status ?? "not fitted";
    const stale = s.stale ? `; stale: the current laws plan ${s.stale.plannedNow} runs (${s.stale.storedNow} stored), \`scaling study\` trains them` : "";
    return `${s.stage.padEnd(12)} ${s.experiment}: ${w ? `${w.trained} trained, ${w.skipped} reused, ${w.failed} failed` : `${s.stored}/${s.planned} runs stored`}; fit ${fit}${stale}`;
  });
  const v = r.verification;
  if (v) {
    lines.push("", `Held-out budget ${fmt(v.heldOutCompute, 3)} FLOPs:`);
    if (v.loss) lines.push(`  loss: predicted ${fmt(v.loss.predicted)} vs measured ${fmt(v.loss.measured)} (${fmt(v.loss.relativeError * 100, 3)}%), inside interval: ${v.loss.insideInterval ?? "no interval"}`);
    if (v.hyperparams) lines.push(`  (B, η): predicted run near-optimal: ${v.hyperparams.predictedRun.nearOptimal}; inside the near-optimal band: ${v.hyperparams.insideBand}`);
    if (v.modelScale) lines.push(`  M: predicted run near-optimal: ${v.modelScale.predictedRun.nearOptimal}; inside the region: ${v.modelScale.insideRegion}; inside the parabola region: ${v.modelScale.parabola?.predictedInside ?? "—"}`);
    for (const n of v.notes) lines.push(`  note: ${n}`);
  }
  if (Object.keys(r.files).length > 0) lines.push("", `Study files: ${Object.values(r.files).map(rel).join(", ")}`);
  if (r.interrupted) lines.push("Interrupted: run `scaling study` again to resume.");
  return lines.join("\n");
}
