import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { regenerateExperiment } from "../analysis/write";
import { loadSpec, SPEC_FILE } from "../sweep/load";
import { assertWritable, experimentDir } from "../sweep/store";
import type { ExperimentAnalysis } from "../analysis/experiment";
import { helpText, optionalString, parseArgs, type CommandSpec } from "./args";
import { fmt, print, printJson, table } from "./output";

/** `scaling figures <experiment>`: refit and redraw an experiment from its stored runs. */
export const spec: CommandSpec = {
  usage: "scaling figures",
  summary:
    "Regenerate every fit file and figure of an experiment from its run records (results/<name>/runs/*.json, and\n" +
    "those of the experiments its spec reuses): " +
    "fits/{hyperparams,isoflop,laws,predictions}.json (each listing the run keys it used) and figures/*.svg|png.",
  positionals: ["<experiment>"],
  flags: {
    results: { type: "string", value: "DIR", help: "results root (default results)" },
    "no-png": { type: "boolean", help: "write SVG only (default: SVG and PNG)" },
  },
};

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const { experiment, reuse } = await experimentOf(args.positionals[0] as string);
  const root = optionalString(args, "results") ?? "results";
  assertWritable(experimentDir(root, experiment));
  const { analysis, written } = regenerateExperiment(root, experiment, { reuse, ...(args.flags["no-png"] === true ? { png: false } : {}) });
  const staleFits = written.removed.filter((p) => p.endsWith(".json"));
  for (const p of staleFits) process.stderr.write(`scaling figures: removed ${p}: its fit failed this time (an earlier fit's file would go on being used)\n`);
  if (args.flags.json) {
    printJson({ experiment, status: statusOf(analysis), ...written });
    return 0;
  }
  print(summaryLines(analysis).join("\n"));
  const rel = (p: string): string => relative(process.cwd(), p) || p;
  print([`fits:    ${written.fits.map(rel).join(", ")}`, `figures: ${written.figures.map(rel).join(", ")}`].join("\n"));
  return 0;
}

/**
 * The experiment of an argument and the experiments whose runs it reuses: a folder or spec path
 * through its spec; a name through experiments/<name>/spec.ts when there is one, else as a results
 * folder name alone (reusing nothing).
 */
async function experimentOf(arg: string): Promise<{ experiment: string; reuse: readonly string[] }> {
  const isName = !arg.includes("/") && !arg.endsWith(".ts");
  if (isName && !existsSync(join(resolve("experiments"), arg, SPEC_FILE))) return { experiment: arg, reuse: [] };
  const { spec: resolved } = await loadSpec(arg);
  return { experiment: resolved.name, reuse: resolved.reuse };
}

/** Status of each analysis that applies. */
function statusOf(a: ExperimentAnalysis): Record<string, string> {
  return {
    ...(a.hyperparams ? { hyperparams: a.hyperparams.fit?.status ?? "not-fitted" } : {}),
    ...(a.isoflop ? { isoflop: a.isoflop.fit?.status ?? "not-fitted" } : {}),
  };
}

/** One short block per analysis: the laws, or why there are none. */
export function summaryLines(a: ExperimentAnalysis): string[] {
  const lines: string[] = [];
  const law = (name: string, k: number, e: number, lo: number, hi: number): string[] => [name, fmt(k), fmt(e), `[${fmt(lo)}, ${fmt(hi)}]`];
  const hp = a.hyperparams;
  if (hp) {
    lines.push(`${a.experiment} hyperparams: ${hp.points.length} runs, status ${hp.fit?.status ?? `not fitted (${hp.error})`}`);
    if (hp.fit) {
      const { batch, learningRate } = hp.fit;
      lines.push(
        table(["law (y = k·C^a)", "k", "a", "a interval"], [
          law("B_opt (tokens)", batch.params.coefficient, batch.params.exponent, ...batch.intervals.exponent),
          law("η_opt", learningRate.params.coefficient, learningRate.params.exponent, ...learningRate.intervals.exponent),
        ]),
      );
    }
  }
  const iso = a.isoflop;
  if (iso) {
    lines.push(`${a.experiment} isoflop: ${iso.points.length} runs, status ${iso.fit?.status ?? `not fitted (${iso.error})`}`);
    if (iso.fit) {
      const { modelScale, tokens } = iso.fit;
      lines.push(
        table(["law (y = k·C^a)", "k", "a", "a interval"], [
          law("M_opt (FLOPs/token)", modelScale.params.coefficient, modelScale.params.exponent, ...modelScale.intervals.exponent),
          law("D_opt (tokens)", tokens.params.coefficient, tokens.params.exponent, ...tokens.intervals.exponent),
        ]),
      );
    }
    if (iso.lossCurve) {
      const { E, A, alpha } = iso.lossCurve.params;
      lines.push(`L(C) = ${fmt(E)} + ${fmt(A)}·C^−${fmt(alpha)} (${iso.lossCurve.form}, ${iso.lossCurve.points.length} budgets)`);
    }
  }
  return lines;
}
