import { scaleReport } from "../model/count";
import { parseArgs, helpText, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";
import { SHAPE_FLAGS, shapeFromArgs } from "./shapeFlags";

/** `scaling scale`: the parameter and FLOP counts of DeepSeek §3.2 (Eq. 2) for one shape. */
export const spec: CommandSpec = {
  usage: "scaling scale",
  summary:
    "N₁ (non-embedding params), N₂ (N₁ + vocabulary matrix), 6N₁, 6N₂, M by Eq. 2 (MHA, FFN 8/3·d), M from the exact\n" +
    "shapes (6N₁ + 12·n·d·l), and the built model's parameters. FLOP counts are per token, forward + backward.",
  flags: SHAPE_FLAGS,
};

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const report = scaleReport(shapeFromArgs(args));
  if (args.flags.json) {
    printJson(report);
    return 0;
  }
  const rows: [string, number, string][] = [
    ["N1", report.N1, "non-embedding parameters"],
    ["N2", report.N2, "N1 + vocabulary matrix (counted once)"],
    ["6N1", report.sixN1, "FLOPs/token, Kaplan proxy"],
    ["6N2", report.sixN2, "FLOPs/token, Chinchilla proxy"],
    ["M", report.M, "FLOPs/token, Eq. 2"],
    ["M exact", report.Mexact, "FLOPs/token, exact shapes"],
    ["params", report.params, "built model (untied embedding and head)"],
  ];
  print(table(["quantity", "value", "meaning"], rows.map(([q, v, m]) => [q, fmt(v), m])));
  print(`6N1/M = ${fmt(report.sixN1 / report.M, 3)}, 6N2/M = ${fmt(report.sixN2 / report.M, 3)} (Eq. 2 M)`);
  return 0;
}
