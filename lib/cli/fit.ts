import { runRowWarnings } from "../fit/rowChecks";
import { fitChinchilla } from "../fit/chinchilla";
import { fitHyperparams } from "../fit/hyperparams";
import { fitIsoflop } from "../fit/isoflop";
import { fitLossCurve } from "../fit/lossCurve";
import { NEAR_OPTIMAL_THRESHOLD } from "../fit/nearOptimal";
import { powerLawSummary } from "../fit/summary";
import type { FitResult, PowerLawFit, RunPoint } from "../fit/types";
import { readRunsCsv } from "../io/csv";
import { ConfigError } from "../util/errors";
import { helpText, optionalNumber, parseArgs, type CommandSpec, type ParsedArgs } from "./args";
import { fmt, print, printJson, table } from "./output";

/**
 * `scaling fit hyperparams|isoflop|loss FILE.csv`: the fitters of lib/fit on a runs CSV. The
 * `--json` of `hyperparams` and `isoflop` (alone or merged) is a laws file for `predict --laws`:
 * each law carries its bootstrap draws, so predictions get intervals that respect the
 * correlation of coefficient and exponent.
 */

const FILE = ["FILE.csv"];
const SPECS: Readonly<Record<string, CommandSpec>> = {
  hyperparams: {
    usage: "scaling fit hyperparams",
    summary: "Near-optimal batch size B_opt(C) (tokens) and peak learning rate η_opt(C) as power laws (DeepSeek §3.1, Eq. 1).",
    flags: { threshold: { type: "number", value: "0.0025", help: `near-optimal: loss within this fraction of the budget's best (default ${NEAR_OPTIMAL_THRESHOLD})` } },
    positionals: FILE,
  },
  isoflop: {
    usage: "scaling fit isoflop",
    summary: "Compute-optimal M_opt(C) and D_opt(C) from per-budget parabolas in ln M (DeepSeek §3.2, Eq. 4).",
    flags: {},
    positionals: FILE,
  },
  loss: {
    usage: "scaling fit loss",
    summary: "L(C) = E + A·C^−α over each budget's best run, and L(M, D) = E + A/M^α + B/D^β over all ok runs.",
    flags: {},
    positionals: FILE,
  },
};

const withDraws = (fit: PowerLawFit): Record<string, unknown> => ({ ...powerLawSummary(fit), draws: fit.draws });

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const kinds = `scaling fit <${Object.keys(SPECS).join("|")}> FILE.csv [--json]`;
  if (sub === "--help") {
    print(`Usage: ${kinds}\n`);
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
  const points = readRunsCsv(args.positionals[0]!);
  for (const warning of runRowWarnings(points, args.positionals[0])) process.stderr.write(`scaling fit: warning: ${warning}\n`);
  const out = sub === "hyperparams" ? hyperparams(points, args) : sub === "isoflop" ? isoflop(points) : loss(points);
  if (args.flags.json) printJson(out.json);
  else print(out.text);
  return 0;
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
    json: { batch: withDraws(fit.batch), learningRate: withDraws(fit.learningRate), dropped, perBudget: fit.perBudget, status: fit.status, warnings: fit.warnings },
    text: [
      lawRows([["batch (tokens)", fit.batch], ["peak learning rate", fit.learningRate]]),
      `near-optimal runs: ${fit.nearOptimal.kept.length} kept, ${dropped.length} left out`,
      warningLines(fit.status, fit.warnings),
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

function loss(points: RunPoint[]): Output {
  const frontier = bestPerBudget(points);
  const curve = fitLossCurve(frontier.map((p) => p.compute), frontier.map((p) => p.loss));
  const ok = points.filter((p) => p.status === "ok");
  // M (FLOPs per token) stands in for N: the paper's model-scale representation.
  const joint = fitChinchilla(ok.map((p) => p.modelScale), ok.map((p) => p.tokens), ok.map((p) => p.loss));
  return {
    json: { lossCurve: fitJson(curve), lossModelTokens: fitJson(joint), left: points.length - ok.length },
    text: [
      table(["law", "param", "value", "interval", "status"], [...paramRows("L(C) = E + A·C^−α", curve), ...paramRows("L(M, D) = E + A/M^α + B/D^β", joint)]),
      `L(C) on ${frontier.length} budgets' best runs; L(M, D) on ${ok.length} ok runs (${points.length - ok.length} left out)`,
    ].join("\n"),
  };
}
