import { expandSpec } from "../sweep/expand";
import { loadSpec } from "../sweep/load";
import { sweepStatus } from "../sweep/status";
import { readRecords } from "../sweep/store";
import { helpText, optionalString, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling status <experiment>`: done / diverged / failed / pending runs per budget. */
export const spec: CommandSpec = {
  usage: "scaling status",
  summary: "Runs of an experiment per budget: planned, done (ok), diverged, failed, pending; and stale records (no longer planned).",
  positionals: ["<experiment>"],
  flags: { results: { type: "string", value: "DIR", help: "results root (default results)" } },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const { spec: resolved } = await loadSpec(args.positionals[0] as string);
  const { runs, skipped } = expandSpec(resolved);
  const stored = readRecords(optionalString(args, "results") ?? "results", resolved.name);
  const status = sweepStatus(runs, stored.records);
  if (args.flags.json) {
    printJson({ experiment: resolved.name, ...status, unrealisable: skipped.length, invalidFiles: stored.invalid });
    return 0;
  }
  const rows = status.budgets.map((b) => [fmt(b.budget, 3), String(b.planned), String(b.ok), String(b.diverged), String(b.failed), String(b.pending)]);
  print(table(["budget", "planned", "ok", "diverged", "failed", "pending"], rows));
  if (status.stale) print(`${status.stale} stored records are not planned by the current spec (stale)`);
  for (const bad of stored.invalid) print(`not a record: ${bad.file} (${bad.reason})`);
  return 0;
}
