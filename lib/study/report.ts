import type { Interval } from "../fit/types";
import { DEEPSEEK_TABLE4 } from "../laws/published";
import type { StaleStage } from "./lawsTaken";
import type { HeldOutVerification } from "./verification";
import type { StudySummary } from "./summary";

/**
 * The study's tables as Markdown (results/study/README.md), so every number the README quotes is
 * regenerated from the committed runs by `scaling study --refit`. Pure: summary and verification in,
 * text out; nothing is computed here that the JSON files do not already hold.
 */

const num = (v: number | null | undefined, digits = 4): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(digits - 1) : Number(v.toPrecision(digits)).toString();
};
const interval = (i: Interval | null | undefined, digits = 4): string => (i ? `[${num(i[0], digits)}, ${num(i[1], digits)}]` : "—");
const pct = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? "—" : `${(v * 100).toFixed(digits)}%`);
const yesNo = (v: boolean | null | undefined): string => (v === null || v === undefined ? "—" : v ? "yes" : "no");

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const LAW_LABEL: Record<string, string> = { batch: "B_opt (tokens)", learningRate: "η_opt", modelScale: "M_opt (FLOPs/token)", tokens: "D_opt (tokens)" };
const QUANTITY_LABEL: Record<string, string> = { batchTokens: "B (tokens)", learningRate: "η", modelScale: "M (FLOPs/token)", tokens: "D (tokens)", loss: "loss (bits/byte)" };

function lawsSection(s: StudySummary): string {
  const rows = s.laws.map((r) => [LAW_LABEL[r.law] ?? r.law, r.experiment, r.status, num(r.coefficient), interval(r.coefficientInterval), num(r.exponent), interval(r.exponentInterval), num(r.paper.exponent), yesNo(r.paperExponentInside)]);
  return ["## Fitted laws beside DeepSeek LLM (Eq. 1, Eq. 4)", "", "y = k·C^e, C in non-embedding FLOPs. 95% intervals from the budgets' scatter about each law (Student t on budgets − 2 degrees of freedom; lib/fit/budgetLevel), which the within-budget bootstrap used before did not see; status from each law's own quality (its warnings are listed under the fits).", "", table(["law", "experiment", "status", "k", "k 95%", "e", "e 95%", "paper e", "paper e inside"], rows)].join("\n");
}

function notes(list: readonly string[]): string {
  return list.length > 0 ? `\n\n${list.map((n) => `- ${n}`).join("\n")}` : "";
}

function budgetsSection(s: StudySummary): string {
  const hp = s.budgets.hyperparams.map((b) => [num(b.compute, 2), String(b.runs), num(b.best.batchTokens), num(b.best.learningRate), num(b.best.loss), String(b.nearOptimalRuns), num(b.quadratic.batchTokens), num(b.quadratic.learningRate), b.quadratic.status]);
  const iso = (rows: StudySummary["budgets"]["isoflop"]) => rows.map((b) => [num(b.compute, 2), String(b.runs), num(b.modelScale), num(b.loss), b.status, num(b.bestRunModelScale)]);
  const isoHeader = ["C", "runs", "M_opt (vertex)", "loss at vertex", "status", "best run's M"];
  const curve = (label: string, c: StudySummary["lossCurve"]["prose"]) => [label, c ? `${c.form}, ${c.status}` : "—", c ? `${num(c.E)} ${interval(c.intervals.E)}` : "—", c ? `${num(c.A)} ${interval(c.intervals.A)}` : "—", c ? `${num(c.alpha)} ${interval(c.intervals.alpha)}` : "—"];
  return [
    "## Per budget",
    "",
    "Hyperparameter grid, each configuration its mean loss over seeds: the best, those within 0.25% of it (the near-optimal cloud the laws are fitted to), and the optimum of a quadratic surface of loss in (ln B, ln η) over all runs (a cross-check).",
    "",
    table(["C", "configurations", "best B", "best η", "best loss", "near-optimal", "quadratic B", "quadratic η", "quadratic status"], hp) + notes(s.fitNotes.hyperparams.map((n) => `hyperparams: ${n}`)),
    "",
    "IsoFLOP profiles, en-prose:",
    "",
    table(isoHeader, iso(s.budgets.isoflop)) + notes(s.fitNotes.isoflop.map((n) => `isoflop: ${n}`)),
    "",
    "IsoFLOP profiles, ts-code:",
    "",
    table(isoHeader, iso(s.budgets.isoflopCode)) + notes(s.fitNotes.isoflopCode.map((n) => `isoflop-code: ${n}`)),
    "",
    "Loss against compute through the profiles' minima, L(C) = E + A·C^(−α) in bits per byte (Figure 5's curve):",
    "",
    table(["corpus", "form, status", "E", "A", "α"], [curve("en-prose", s.lossCurve.prose), curve("ts-code", s.lossCurve.code)]),
  ].join("\n");
}

function allocationSection(s: StudySummary): string {
  const a = s.allocation;
  const row = (label: string, x: typeof a.prose) => [label, x ? x.status : "—", x ? num(x.a) : "—", x ? interval(x.aInterval) : "—", x ? num(x.b) : "—", x ? interval(x.bInterval) : "—"];
  const published = DEEPSEEK_TABLE4.map((t) => [`${t.label}, DeepSeek Table 4`, "published", num(t.a), "", num(t.b), ""]);
  const rows = [row("en-prose (this study)", a.prose), row("ts-code (this study)", a.code), ...published];
  const diff = a.codeMinusProse ? `\n\ncode − prose: a ${num(a.codeMinusProse.a)}, b ${num(a.codeMinusProse.b)}.` : "";
  return ["## Allocation exponents by corpus (M_opt ∝ C^a, D_opt ∝ C^b; §3.3, Table 4)", "", table(["corpus", "status", "a", "a 95%", "b", "b 95%"], rows) + diff].join("\n");
}

function leaveOneOutSection(s: StudySummary): string {
  const w = s.leaveOneOut.worst;
  const rows = [["B_opt", pct(w.batchTokens)], ["η_opt", pct(w.learningRate)], ["M_opt (prose)", pct(w.modelScale)], ["D_opt (prose)", pct(w.tokens)], ["M_opt (code)", pct(w.modelScaleCode)]];
  return ["## Leave-one-budget-out", "", "Largest |predicted / observed − 1| when each budget is predicted by a refit without it.", "", table(["quantity", "worst error"], rows) + notes(s.leaveOneOut.notes)].join("\n");
}

function predictionsSection(s: StudySummary): string {
  const rows = s.predictions.map((p) => [p.model, p.laws, QUANTITY_LABEL[p.quantity] ?? p.quantity, num(p.predicted), interval(p.predictionInterval), interval(p.interval), num(p.table2), num(p.ratio, 3), yesNo(p.table2InsidePrediction)]);
  return ["## DeepSeek LLM 7B and 67B (Table 2) under both sets of laws", "", "95% for this budget: the prediction interval (where a budget's own optimum lies: the law's uncertainty plus the budgets' scatter); 95% of the law: where the mean line is.", "", table(["model", "laws", "quantity", "predicted", "95% for this budget", "95% of the law", "Table 2", "Table 2 / predicted", "inside (this budget)"], rows)].join("\n");
}

function verificationSection(v: HeldOutVerification): string {
  const p = v.predicted;
  const src = (k: string) => v.lawSources[k] ?? "—";
  const lines = [
    `## Held-out verification at C = ${num(v.heldOutCompute)} FLOPs`,
    "",
    ...(Object.keys(v.fittedBudgets).length > 0 ? [`Laws fitted on budgets ${Object.entries(v.fittedBudgets).map(([k, b]) => `${k}: ${b.map((x) => num(x, 2)).join(", ")}`).join("; ")} (FLOPs).`, ""] : []),
    table(["quantity", "law", "predicted", "95% of the law", "95% for this budget"], [
      ["B (tokens)", src("batch"), num(p.batchTokens), interval(p.intervals.batchTokens), interval(p.predictionIntervals?.batchTokens)],
      ["η", src("learningRate"), num(p.learningRate), interval(p.intervals.learningRate), interval(p.predictionIntervals?.learningRate)],
      ["M (FLOPs/token)", src("modelScale"), num(p.modelScale), interval(p.intervals.modelScale), interval(p.predictionIntervals?.modelScale)],
      ["D (tokens)", src("tokens"), num(p.tokens), interval(p.intervals.tokens), interval(p.predictionIntervals?.tokens)],
    ]),
  ];
  const rows: string[][] = [];
  if (v.loss) rows.push(["loss (bits/byte)", `predicted ${num(v.loss.predicted)} ${interval(v.loss.interval)} vs measured ${num(v.loss.measured)} (${v.loss.measuredSource})`, `error ${pct(v.loss.relativeError)}; inside the law's interval: ${yesNo(v.loss.insideInterval)}; inside the prediction interval ${interval(v.loss.predictionInterval)}: ${yesNo(v.loss.insidePrediction)}`]);
  const h = v.hyperparams;
  if (h) rows.push(["(B, η)", `predicted run B ${num(h.predictedRun.batchTokens)}, η ${num(h.predictedRun.learningRate)}: loss ${num(h.predictedRun.loss)}, ${pct(h.predictedRun.excess)} above the grid's best (${h.runs} runs)`, `near-optimal: ${yesNo(h.predictedRun.nearOptimal)}; inside band B ${interval(h.band.batchTokens)} × η ${interval(h.band.learningRate)}: ${yesNo(h.insideBand)}; best cell B ${num(h.bestCell?.batchTokens)}, η ${num(h.bestCell?.learningRate)} inside the prediction intervals: B ${yesNo(h.bestCellInsidePrediction?.batchTokens)}, η ${yesNo(h.bestCellInsidePrediction?.learningRate)}`]);
  const m = v.modelScale;
  if (m) {
    const parabola = m.parabola ? `; parabola region ${interval(m.parabola.region)}, vertex ${num(m.parabola.vertex)}: inside ${yesNo(m.parabola.predictedInside)}` : "";
    rows.push(["M", `predicted run M ${num(m.predictedRun.modelScale)}: loss ${num(m.predictedRun.loss)}, ${pct(m.predictedRun.excess)} above the profile's best (${m.runs} runs)`, `inside near-optimal region ${interval(m.region)}: ${yesNo(m.insideRegion)}${parabola}; optimum ${num(m.optimum)} inside the prediction interval: ${yesNo(m.optimumInsidePrediction)}`]);
  }
  if (rows.length > 0) lines.push("", table(["check", "what was measured", "outcome"], rows));
  if (v.notes.length > 0) lines.push("", ...v.notes.map((n) => `- ${n}`));
  return lines.join("\n");
}

function noiseSection(s: StudySummary): string {
  const n = s.noise;
  if (n.cells.length === 0) return "## Seed-to-seed noise\n\nNo repeated-seed runs yet (stage `noise`).";
  const rows = n.cells.map((c) => [num(c.compute, 2), num(c.modelScale), num(c.batchTokens), num(c.learningRate), String(c.runs), num(c.mean), pct(c.relativeSd), pct(c.relativeRange)]);
  const g = s.gridNoise;
  const grid = g && g.budgets.length > 0
    ? [
        "",
        `Over the hyperparameter grid (stage 1), whose fits compare cells by their mean over seeds: pooled relative sd ${pct(g.pooledRelativeSd)} for one run.`,
        "",
        table(["C", "cells", "runs", "sd of one run", "sd of a cell's mean", "÷ threshold"], g.budgets.map((b) => [num(b.compute, 2), String(b.cells), String(b.runs), pct(b.pooledRelativeSd), pct(b.meanRelativeSd), num(b.meanRelativeSd / n.threshold, 3)])),
      ]
    : [];
  return [
    "## Seed-to-seed noise",
    "",
    table(["C", "M", "B", "η", "seeds", "mean loss", "sd", "max − min"], rows),
    "",
    `Pooled relative sd ${pct(n.pooledRelativeSd)} against the near-optimal threshold ${pct(n.threshold)} (ratio ${num(n.sdOverThreshold, 3)}).`,
    ...grid,
  ].join("\n");
}

/** One stage as the report lists it. */
export interface StageRow {
  readonly stage: string;
  readonly experiment: string;
  readonly planned: number;
  /** Planned runs with a stored record. */
  readonly stored: number;
  /** Where each law it takes came from, e.g. "batch: fitted". */
  readonly takes: readonly string[];
  readonly stale: StaleStage | null;
}

function stagesSection(stages: readonly StageRow[]): string {
  const shift = (s: StaleStage): string => Object.entries(s.shift).map(([law, f]) => `${LAW_LABEL[law] ?? law} ×${num(f, 3)}`).join(", ");
  const rows = stages.map((s) => [s.stage, s.experiment, `${s.stored} / ${s.planned}`, s.takes.join(", ") || "—", s.stale ? `yes: the current laws move ${shift(s.stale)} and plan ${s.stale.plannedNow} runs, ${s.stale.storedNow} stored` : "no"]);
  const stale = stages.filter((s) => s.stale);
  const advice = stale.length > 0 ? `\n\n${stale.map((s) => s.stage).join(", ")} ran under laws that have since been refitted; their results below are those runs', judged against the laws they were planned with. \`node bin/scaling.mjs study\` retrains them under the current laws.` : "";
  return ["## Stages", "", table(["stage", "experiment", "runs stored / planned", "laws taken", "stale"], rows) + advice].join("\n");
}

/** The whole results/study/README.md. */
export function studyReport(summary: StudySummary, verification: HeldOutVerification, stages: readonly StageRow[] = []): string {
  return [
    "# Study results (generated)\n\nWritten by `node bin/scaling.mjs study --refit` from the committed runs under `results/study-*/`; do not edit by hand. The JSON behind every table is in this folder.",
    ...(stages.length > 0 ? [stagesSection(stages)] : []),
    lawsSection(summary),
    budgetsSection(summary),
    allocationSection(summary),
    leaveOneOutSection(summary),
    predictionsSection(summary),
    verificationSection(verification),
    noiseSection(summary),
  ].join("\n\n") + "\n";
}
