import { exportRunsCsv } from "../sweep/export";
import { loadSpec } from "../sweep/load";
import { assertWritable, experimentDir } from "../sweep/store";
import { helpText, optionalString, parseArgs, type CommandSpec } from "./args";
import { print, printJson } from "./output";

/** `scaling export <experiment>`: write results/<name>/runs.csv from the stored records. */
export const spec: CommandSpec = {
  usage: "scaling export",
  summary:
    "Write results/<name>/runs.csv from the stored run records, in the column contract of `scaling fit`\n" +
    "(compute = the run's budget, loss = final validation bits per byte, status ok | diverged | failed).",
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
  const root = optionalString(args, "results") ?? "results";
  assertWritable(experimentDir(root, resolved.name));
  const out = exportRunsCsv(root, resolved.name, resolved.reuse);
  if (args.flags.json) printJson(out);
  else print(`${out.path}: ${out.rows} runs${out.invalid ? ` (${out.invalid} unreadable files left out)` : ""}`);
  return 0;
}
