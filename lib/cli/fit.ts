import { runRowWarnings } from "../fit/rowChecks";
import { fitChinchilla } from "../fit/chinchilla";
import { fitHyperparams } from "../fit/hyperparams";
import { fitIsoflop, type IsoflopFit } from "../fit/isoflop";
import { fitErrorReason, lawJson, type LawJson } from "../analysis/hyperparams";
import { NEAR_OPTIMAL_THRESHOLD } from "../fit/nearOptimal";
import type { FitResult, PowerLawFit, RunPoint } from "../fit/types";
import { fitLossPoints, lossPoints } from "../analysis/isoflop";
import { meanOverSeeds } from "../analysis/points";
import { parseColumnMapping, readRunsTable, TABLE_NEEDS, type TableUse } from "../io/runsTable";
import { ConfigError } from "../util/errors";
import { helpText, optionalCount, optionalNumber, parseArgs, type CommandSpec, type ParsedArgs } from "./args";
import { fmt, print, printJson, table } from "./output";

/**
 * `scaling fit hyperparams|isoflop|loss FILE.csv`: the fitters of lib/fit on a runs CSV. The
 * `--json` of `hyperparams` and `isoflop` (alone or merged) is a laws file for `predict --laws`:
 * each law carries its bootstrap draws, so predictions get intervals that respect the
 * correlation of coefficient and exponent.
 */

const FILE = ["FILE.csv"];
const COLUMNS_FLAG = {
  columns: { type: "string", value: "OURS=THEIRS,...", help: 'map the table\'s column names onto the fit\'s, e.g. compute="Training FLOP",params="Model Size"' },
} as const;
/** The summary line each fit's --help ends with: the columns it reads. */
const reads = (use: TableUse): string =>
  `Reads ${TABLE_NEEDS[use]} (optional: status, key, params). Compute is derived when absent: C = model_scale·tokens, or 6·params·tokens (flagged).`;
const SPECS: Readonly<Record<string, CommandSpec>> = {
  hyperparams: {
    usage: "scaling fit hyperparams",
    summary: `Near-optimal batch size B_opt(C) (tokens) and peak learning rate η_opt(C) as power laws (DeepSeek §3.1, Eq. 1), seeds of one configuration averaged first (as the study does). ${reads("hyperparams")}`,
    flags: { ...COLUMNS_FLAG, threshold: { type: "number", value: "0.0025", help: `near-optimal: loss within this fraction of the budget's best (default ${NEAR_OPTIMAL_THRESHOLD})` } },
    positionals: FILE,
  },
  isoflop: {
    usage: "scaling fit isoflop",
    summary: `Compute-optimal M_opt(C) and D_opt(C) from per-budget parabolas in ln M (DeepSeek §3.2, Eq. 4), seeds averaged per configuration. ${reads("isoflop")}`,
    flags: COLUMNS_FLAG,
    positionals: FILE,
  },
  loss: {
    usage: "scaling fit loss",
    summary: `L(C) through each budget's minimum (E + A·C^−α with ≥ 4 budgets, A·C^−α with 2–3, as the study fits it), and L(N, D) = E + A/N^α + B/D^β over all ok runs (N = params when given, else M). ${reads("loss")}`,
    flags: {
      ...COLUMNS_FLAG,
      "drop-highest-loss": { type: "number", value: "K", help: "leave out the K highest-loss ok runs before fitting (Epoch's Chinchilla refit drops 5; default 0)" },
    },
    positionals: FILE,
  },
};

const withDraws = (fit: PowerLawFit): LawJson => lawJson(fit);

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const kinds = `scaling fit <${Object.keys(SPECS).join("|")}> FILE.csv [--json]`;
  if (sub === "--help") {
    print(`Usage: ${kinds}\n\n${Object.keys(SPECS).map((k) => `${k}: ${reads(k as TableUse)}`).join("\n")}\n`);
    return 0;
  }
  if (sub === undefined) throw new ConfigError("missing what to fit", undefined, `use ${kinds}`);
  const spec = SPECS[sub];
  if (!spec) throw new ConfigError(`unknown fit "${sub}"`, undefined, `use ${kinds}`);
  const args = parseArgs(rest, spec);
  if (args.help) {
    print(helpText(spec));
    return 0;
  }
  const mapping = typeof args.flags.columns === "string" ? parseColumnMapping(args.flags.columns) : undefined;
  const table = readRunsTable(args.positionals[0]!, { use: sub as TableUse, ...(mapping ? { columns: mapping } : {}) });
  for (const warning of runRowWarnings(table.points, args.positionals[0])) process.stderr.write(`scaling fit: warning: ${warning}\n`);
  const seeds = seedAveraging(table.points);
  const out = sub === "hyperparams" ? hyperparams(seeds.points, args) : sub === "isoflop" ? isoflop(seeds.points) : loss(table.points, seeds.points, args);
  const input = { derived: table.derived, columns: table.columns, runs: table.points.length, configurations: seeds.points.length, seedsAveraged: seeds.note };
  if (args.flags.json) printJson({ ...(out.json as object), input });
  else print([out.text, `input: ${seeds.note}`, ...table.derived.map((d) => `derived: ${d}`)].join("\n"));
  return 0;
}

/** Seeds of one configuration as one point (their mean loss), as the study fits them (lib/analysis/points). */
function seedAveraging(points: readonly RunPoint[]): { points: RunPoint[]; note: string } {
  const averaged = meanOverSeeds(points);
  const maxSeeds = Math.max(1, ...averaged.map((p) => (p.key ?? "").split("+").length));
  const ok = points.filter((p) => p.status === "ok").length;
  const configs = averaged.filter((p) => p.status === "ok").length;
  return { points: averaged, note: `${ok} ok runs → ${configs} configurations (seeds averaged per configuration${maxSeeds > 1 ? `, up to ${maxSeeds} seeds each` : ", one run each"}); ${points.length - ok} runs not ok` };
}

interface Output {
  readonly json: unknown;
  readonly text: string;
}

function lawRows(laws: [string, PowerLawFit][]): string {
  const rows = laws.map(([name, f]) => [
    name,
    fmt(f.params.coefficient),
    `[${fmt(f.intervals.coefficient[0])}, ${fmt(f.intervals.coefficient[1])}]`,
    fmt(f.params.exponent),
    `[${fmt(f.intervals.exponent[0])}, ${fmt(f.intervals.exponent[1])}]`,
    fmt(f.r2, 3),
    String(f.n),
    f.status,
  ]);
  return table(["law (y = k·C^a)", "k", "k interval", "a", "a interval", "R²", "n", "status"], rows);
}

const warningLines = (status: string, warnings: readonly string[]): string =>
  [`status: ${status}`, ...warnings.map((w) => `  warning: ${w}`)].join("\n");

function hyperparams(points: RunPoint[], args: ParsedArgs): Output {
  const threshold = optionalNumber(args, "threshold");
  const fit = fitHyperparams(points, threshold === undefined ? {} : { threshold });
  const dropped = fit.nearOptimal.dropped.map(({ point, reason }) => ({ ...point, reason }));
  return {
    json: { batch: withDraws(fit.batch), learningRate: withDraws(fit.learningRate), dropped, perBudget: fit.perBudget, status: fit.status, warnings: fit.warnings, notes: fit.notes, forms: fit.forms },
    text: [
      lawRows([["batch (tokens)", fit.batch], ["peak learning rate", fit.learningRate]]),
      `near-optimal runs: ${fit.nearOptimal.kept.length} kept, ${dropped.length} left out`,
      warningLines(fit.status, fit.warnings),
      ...fit.notes.map((n) => `  note: ${n}`),
      `method: ${fit.batch.method}`,
      ...[fit.forms.learningRate, fit.forms.batch].map((g) => `forms by leave-one-budget-out RMS of ln error: ${g.forms.map((f) => `${f.form} ${f.leaveOneOutRms === null ? "—" : f.leaveOneOutRms.toFixed(3)}`).join(", ")}; chosen: ${g.chosen ?? "none"}`),
    ].join("\n"),
  };
}

function isoflop(points: RunPoint[]): Output {
  const fit = fitIsoflop(points);
  const budgetRows = fit.budgets.map((b) => [fmt(b.compute), fmt(b.modelScale), fmt(b.tokens), fmt(b.loss), String(b.n), b.status]);
  return {
    json: { modelScale: withDraws(fit.modelScale), tokens: withDraws(fit.tokens), budgets: fit.budgets, status: fit.status, warnings: fit.warnings },
    text: [
      lawRows([["M_opt (FLOPs/token)", fit.modelScale], ["D_opt (tokens)", fit.tokens]]),
      "",
      table(["C", "M_opt", "D_opt", "loss", "runs", "status"], budgetRows),
      warningLines(fit.status, fit.warnings),
    ].join("\n"),
  };
}

const fitJson = <P extends Record<string, number>>(f: FitResult<P>): Record<string, unknown> => ({
  params: f.params,
  intervals: f.intervals,
  status: f.status,
  warnings: f.warnings,
  n: f.n,
  method: f.method,
});

const paramRows = <P extends Record<string, number>>(label: string, f: FitResult<P>): string[][] =>
  Object.keys(f.params).map((k, i) => [i === 0 ? label : "", k, fmt(f.params[k]), `[${fmt(f.intervals[k]![0])}, ${fmt(f.intervals[k]![1])}]`, i === 0 ? f.status : ""]);

/** Each budget's best ok run: the points of the L(C) curve. */
export function bestPerBudget(points: readonly RunPoint[]): RunPoint[] {
  const best = new Map<number, RunPoint>();
  for (const p of points) {
    if (p.status !== "ok") continue;
    const b = best.get(p.compute);
    if (!b || p.loss < b.loss) best.set(p.compute, p);
  }
  return [...best.values()].sort((a, b) => a.compute - b.compute);
}

/** L(C) as the study fits it (per-budget minima, lib/analysis/isoflop) and L(N, D) over every ok run (seeds not averaged: each run is a point). */
function loss(all: RunPoint[], allConfigurations: RunPoint[], args: ParsedArgs): Output {
  const drop = optionalCount(args, "drop-highest-loss", 0, 5) ?? 0;
  const dropped = new Set([...all].filter((p) => p.status === "ok").sort((a, b) => b.loss - a.loss).slice(0, drop));
  const runs = all.filter((p) => !dropped.has(p));
  const configurations = drop > 0 ? meanOverSeeds(runs) : allConfigurations;
  // Parabola vertices where a budget has one (as the study's L(C)), else the budget's best run.
  let profiles: IsoflopFit | null = null;
  try {
    profiles = fitIsoflop(configurations, { resamples: 0 });
  } catch (e) {
    fitErrorReason(e);
  }
  const curve = fitLossPoints(lossPoints(configurations, profiles));
  const ok = runs.filter((p) => p.status === "ok");
  // Parameters when the table has them (Chinchilla's N); else M (FLOPs per token), the paper's model-scale representation.
  const byParams = ok.every((p) => p.params !== undefined);
  const scale = byParams ? "N" : "M";
  const joint = fitChinchilla(ok.map((p) => (byParams ? p.params! : p.modelScale)), ok.map((p) => p.tokens), ok.map((p) => p.loss));
  const curveRows = Object.keys(curve.params).map((k, i) => {
    const key = k as keyof typeof curve.params;
    return [i === 0 ? `L(C) = ${curve.form === "power" ? "A·C^−α" : "E + A·C^−α"}` : "", k, fmt(curve.params[key]), `[${fmt(curve.intervals[key][0])}, ${fmt(curve.intervals[key][1])}]`, i === 0 ? curve.status : ""];
  });
  return {
    json: { lossCurve: curve, lossModelTokens: { ...fitJson(joint), scale: byParams ? "params" : "modelScale" }, left: runs.length - ok.length, droppedHighestLoss: drop },
    text: [
      table(["law", "param", "value", "interval", "status"], [...curveRows, ...paramRows(`L(${scale}, D) = E + A/${scale}^α + B/D^β`, joint)]),
      `L(C) on ${curve.points.length} budgets' best runs; L(${scale}, D) on ${ok.length} ok runs (${runs.length - ok.length} not ok left out${drop > 0 ? `, ${drop} highest-loss runs dropped` : ""})`,
      ...curve.warnings.map((w) => `  L(C) warning: ${w}`),
      ...(curve.points.length === configurations.filter((p) => p.status === "ok").length ? ["  L(C) note: no two runs share a compute value, so each run is its own budget and L(C) runs through single runs"] : []),
    ].join("\n"),
  };
}
