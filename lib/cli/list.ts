import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expandSpec } from "../sweep/expand";
import { loadSpec } from "../sweep/load";
import type { RunRecord } from "../sweep/record";
import { sweepStatus, type SweepStatus } from "../sweep/status";
import { readRecordsOf } from "../sweep/store";
import { helpText, optionalString, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling list`: every experiment under experiments/, with its runs, budgets and how far it has trained. */
export const spec: CommandSpec = {
  usage: "scaling list",
  summary:
    "The experiments under experiments/ (each a <name>/spec.ts): budgets, runs planned, done (ok), diverged, failed and\n" +
    "pending in the results root, and a status: complete, partial or not started. `scaling status <name>` splits one by budget.",
  flags: {
    experiments: { type: "string", value: "DIR", help: "folder of <name>/spec.ts (default experiments)" },
    results: { type: "string", value: "DIR", help: "results root (default results)" },
  },
};

/** One experiment's line of `scaling list`. */
export interface ExperimentListing {
  readonly name: string;
  readonly budgets: number;
  readonly minBudget: number;
  readonly maxBudget: number;
  readonly planned: number;
  readonly ok: number;
  readonly diverged: number;
  readonly failed: number;
  readonly pending: number;
  /** complete: nothing pending or failed; not started: nothing stored; partial otherwise. */
  readonly status: "complete" | "partial" | "not started";
}

export async function listExperiments(experimentsDir: string, resultsDir: string): Promise<ExperimentListing[]> {
  const names = readdirSync(experimentsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(experimentsDir, d.name, "spec.ts")))
    .map((d) => d.name)
    .sort();
  const stagesFile = join(resultsDir, "study", "stages.json");
  const stages = existsSync(stagesFile) ? (JSON.parse(readFileSync(stagesFile, "utf8")) as StudyStagePlan[]) : [];
  const out: ExperimentListing[] = [];
  for (const name of names) {
    const { spec: resolved } = await loadSpec(name, { experimentsDir });
    const records = readRecordsOf(resultsDir, resolved.name, resolved.reuse).records;
    // A study stage is planned under the laws it was handed (results/study/stages.json), which its spec alone
    // cannot reproduce once the earlier stages are refitted: count the runs the study planned.
    const stage = stages.find((s) => s.experiment === name);
    const { budgets } = stage ? studyStageStatus(stage, records) : sweepStatus(expandSpec(resolved).runs, records);
    const sum = (k: "planned" | "ok" | "diverged" | "failed" | "pending"): number => budgets.reduce((s, b) => s + b[k], 0);
    const [planned, ok, diverged, failed, pending] = (["planned", "ok", "diverged", "failed", "pending"] as const).map(sum) as [number, number, number, number, number];
    const status = pending === 0 && failed === 0 ? "complete" : pending === planned ? "not started" : "partial";
    const computes = budgets.map((b) => b.budget);
    out.push({ name, budgets: budgets.length, minBudget: Math.min(...computes), maxBudget: Math.max(...computes), planned, ok, diverged, failed, pending, status });
  }
  return out;
}

/** The part of results/study/stages.json that says which runs a stage planned, per budget. */
interface StudyStagePlan {
  readonly experiment: string;
  readonly keys: readonly string[];
}

/** Status of a study stage's planned keys, per budget of the records found (pending ones have no budget yet). */
function studyStageStatus(stage: StudyStagePlan, records: readonly RunRecord[]): SweepStatus {
  const byKey = new Map(records.map((r) => [r.key, r]));
  const found = stage.keys.flatMap((k) => byKey.get(k) ?? []);
  const byBudget = new Map<number, RunRecord[]>();
  for (const r of found) byBudget.set(r.cell.budget, [...(byBudget.get(r.cell.budget) ?? []), r]);
  const budgets = [...byBudget.entries()].sort((a, b) => a[0] - b[0]).map(([budget, rs]) => {
    const count = (s: string): number => rs.filter((r) => r.status === s).length;
    return { budget, planned: rs.length, ok: count("ok"), diverged: count("diverged"), failed: count("failed"), pending: 0 };
  });
  const missing = stage.keys.length - found.length;
  const last = budgets.at(-1);
  return { budgets: last && missing > 0 ? [...budgets.slice(0, -1), { ...last, planned: last.planned + missing, pending: missing }] : budgets, stale: 0 };
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const listing = await listExperiments(resolve(optionalString(args, "experiments") ?? "experiments"), optionalString(args, "results") ?? "results");
  if (args.flags.json) {
    printJson(listing);
    return 0;
  }
  const range = (e: ExperimentListing): string => (e.budgets === 0 ? "—" : e.budgets === 1 ? fmt(e.minBudget, 2) : `${fmt(e.minBudget, 2)}–${fmt(e.maxBudget, 2)}`);
  print(
    table(
      ["experiment", "budgets", "C (FLOPs)", "runs", "ok", "diverged", "failed", "pending", "status"],
      listing.map((e) => [e.name, String(e.budgets), range(e), String(e.planned), String(e.ok), String(e.diverged), String(e.failed), String(e.pending), e.status]),
    ),
  );
  return 0;
}
