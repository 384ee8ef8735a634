import { relative } from "node:path";
import { importSpecValue, runQuickStudy, type QuickStudyResult } from "../analysis/study";
import type { PredictionRow } from "../analysis/predictions";
import { formatProgress } from "../sweep/progress";
import { helpText, optionalCount, optionalString, parseArgs, type CommandSpec } from "./args";
import { QUANTITY_LABELS } from "../frames/headers";
import { summaryLines } from "./figures";
import { intervalText, sig, studyHeadline } from "./headline";
import { fmt, print, printJson, table } from "./output";

/** `scaling start` (= `npm start`): the quick study, end to end, resumable. */
export const spec: CommandSpec = {
  usage: "scaling start",
  summary:
    "The quick study on the embedded en-prose corpus: a tiny hyperparameter sweep → B_opt/η_opt fit and laws file →\n" +
    "a tiny IsoFLOP sweep with B and η from those laws (from Eq. 1 when that fit is not ok) → M_opt/D_opt and L(C)\n" +
    "fits → figures → the 7B/67B predictions under the paper's and the fitted laws, against Table 2. Finished runs are\n" +
    "reused, so running it again only refits.",
  flags: {
    hyperparams: { type: "string", value: "NAME", help: "hyperparameter sweep spec (default tiny-hyperparams)" },
    isoflop: { type: "string", value: "NAME", help: "IsoFLOP sweep spec (default tiny-isoflop)" },
    workers: { type: "number", value: "N", help: "worker processes (default: one per core)" },
    results: { type: "string", value: "DIR", help: "results root (default results)" },
    resamples: { type: "number", value: "N", help: "bootstrap resamples per law (default 1000)" },
  },
};

/** Default specs of the quick study (experiments/<name>/spec.ts). */
export const QUICK_HYPERPARAMS = "tiny-hyperparams";
export const QUICK_ISOFLOP = "tiny-isoflop";

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const workers = optionalCount(args, "workers", 1, 2);
  const resamples = optionalCount(args, "resamples", 0, 1000);
  const json = args.flags.json === true;
  const resultsDir = optionalString(args, "results") ?? "results";
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const controller = new AbortController();
  const onSigint = (): void => {
    log("\nscaling start: interrupted — stopping workers; run `npm start` again to resume");
    controller.abort();
  };
  process.once("SIGINT", onSigint);
  let last = 0;
  let result: QuickStudyResult;
  try {
    result = await runQuickStudy({
      hyperparamsSpec: await importSpecValue(optionalString(args, "hyperparams") ?? QUICK_HYPERPARAMS),
      isoflopSpec: await importSpecValue(optionalString(args, "isoflop") ?? QUICK_ISOFLOP),
      resultsDir,
      ...(workers !== undefined ? { workers } : {}),
      ...(resamples !== undefined ? { resamples } : {}),
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
  if (json) printJson({ isoflopHyperparams: result.isoflopHyperparams, laws: result.laws, predictions: result.predictions, files: result.files, interrupted: result.interrupted });
  else print([...studyHeadline(resultsDir), "", report(result)].join("\n"));
  return result.interrupted ? 130 : 0;
}

const rel = (p: string): string => relative(process.cwd(), p) || p;

function report(r: QuickStudyResult): string {
  const stages = [r.hyperparams, ...(r.isoflop === r.hyperparams ? [] : [r.isoflop])];
  const budgets = stages.flatMap((s) => [...(s.analysis.hyperparams?.points ?? []), ...(s.analysis.isoflop?.points ?? [])].map((p) => p.compute));
  const runs = stages.reduce((n, s) => n + s.sweep.trained + s.sweep.skipped, 0);
  const lines: string[] = [
    `The quick study, a pipeline demonstration: ${runs} tiny runs at ${sig(Math.min(...budgets), 2)}–${sig(Math.max(...budgets), 2)} FLOPs, one seed, a few budgets per law.`,
    "It shows every step (sweep → fits → laws → figures → predictions) working end to end: about 4 minutes of training on 2 cores. It cannot pin the",
    "exponents (its intervals below span zero or a whole decade) nor say anything about 7B/67B, 12 decades away: for that, read the study above.",
    "",
  ];
  for (const s of stages) {
    const w = s.sweep;
    lines.push(`${s.analysis.experiment}: ${w.trained} trained, ${w.skipped} reused, ${w.failed} failed, ${w.diverged} diverged (${fmt(w.wallSeconds, 3)} s)`);
    lines.push(...summaryLines(s.analysis));
  }
  lines.push("", `IsoFLOP batch size and learning rate: ${r.isoflopHyperparams.source === "fitted" ? "fitted laws" : "DeepSeek Eq. 1"} (${r.isoflopHyperparams.reason})`);
  lines.push("", "Predictions at the 7B and 67B budgets (C = M_exact · 2T tokens) against Table 2:", predictionTable(r.predictions));
  lines.push("", "Results:");
  for (const s of stages) {
    lines.push(`  fits:    ${s.written.fits.map(rel).join(", ")}`, `  figures: ${s.written.figures.filter((f) => f.endsWith(".svg")).map(rel).join(", ")} (+ .png)`);
  }
  lines.push(`  study:   ${[r.files.laws, r.files.predictions].filter((f): f is string => f !== undefined).map(rel).join(", ")}`);
  if (r.files.laws) lines.push(`Predict with the fitted laws: node bin/scaling.mjs predict --compute 1e21 --laws ${rel(r.files.laws)}`);
  if (r.interrupted) lines.push("Interrupted: run `npm start` again to resume.");
  return lines.join("\n");
}

export function predictionTable(rows: readonly PredictionRow[]): string {
  return table(
    ["model", "laws", "quantity", "Table 2", "predicted", "95% interval", "Table 2 / pred."],
    rows.map((p) => [
      p.model.replace("DeepSeek LLM ", ""),
      p.laws,
      QUANTITY_LABELS[p.quantity] ?? p.quantity,
      fmt(p.table2),
      fmt(p.predicted),
      intervalText(p.interval, 4),
      fmt(p.ratio, 3),
    ]),
  );
}
