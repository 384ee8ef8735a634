import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PAPER_LAWS_LABEL } from "../analysis/experiment";
import type { Interval } from "../fit/types";
import type { StudySummary } from "../study/summary";
import type { HeldOutVerification } from "../study/verification";
import { fmt, table } from "./output";

/**
 * The first lines `npm start` prints: what a newcomer should believe, which is the study's result (laws with
 * intervals beside the paper's, and how the held-out budget came out), read from results/study/ as
 * `study --refit` wrote it, then why Table 2's M and D differ from Eq. 4. The quick study follows as a pipeline
 * demonstration, never as the headline.
 */

const LAW_NAMES: Record<string, string> = { batch: "B_opt (tokens)", learningRate: "η_opt", modelScale: "M_opt (FLOPs/token)", tokens: "D_opt (tokens)" };

/**
 * `digits` significant digits, trailing zeros kept so a column reads alike (0.360, not 0.36), exponent form
 * outside [1e-3, 1e6), and a real minus sign.
 */
export function sig(x: number, digits = 3): string {
  const abs = Math.abs(x);
  const text = abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? abs.toExponential(digits - 1) : abs.toPrecision(digits);
  return x < 0 ? `−${text}` : text;
}

/** "[0.360, 0.500]"; a zero-width interval (every resample agreed) is no interval and says so. */
export function intervalText(i: Interval | null | undefined, digits = 3): string {
  if (!i) return "—";
  return i[0] === i[1] ? "none (zero width)" : `[${sig(i[0], digits)}, ${sig(i[1], digits)}]`;
}

const law = (k: number, e: number, digits = 3): string => `${sig(k, digits)}·C^${sig(e, digits)}`;
const percent = (x: number): string => `${(100 * x).toFixed(2)} %`;

/** The study's headline, or one line saying how to produce it when results/study/ has no summary yet. */
export function studyHeadline(resultsDir: string): string[] {
  const summaryFile = join(resultsDir, "study", "summary.json");
  const verificationFile = join(resultsDir, "study", "verification.json");
  if (!existsSync(summaryFile)) return [`No study results under ${join(resultsDir, "study")} yet: \`node bin/scaling.mjs study --workers 2\` trains it (about 3 h on 2 cores).`];
  const s = JSON.parse(readFileSync(summaryFile, "utf8")) as StudySummary;
  const prose = s.laws.filter((r) => r.experiment !== "study-isoflop-code");
  const lines = [
    "What this project found: DeepSeek LLM §3 reproduced at 3e10–1e12 FLOPs on byte-level en-prose (results/study/README.md)",
    table(
      ["law", "study fit", "exponent 95%", "fit status", "DeepSeek (paper)", "paper's exponent inside?"],
      prose.map((r) => [LAW_NAMES[r.law] ?? r.law, law(r.coefficient, r.exponent), intervalText(r.exponentInterval), r.status, law(r.paper.coefficient, r.paper.exponent, 4), r.paperExponentInside ? "yes" : "no"]),
    ),
  ];
  if (existsSync(verificationFile)) lines.push(...verificationLines(JSON.parse(readFileSync(verificationFile, "utf8")) as HeldOutVerification));
  lines.push(...table2Lines(s));
  return lines;
}

/** Why Table 2 / predicted is far from 1 for M and D even under the paper's own laws, with the ratios. */
function table2Lines(s: StudySummary): string[] {
  const ratio = (model: string, quantity: string): string => {
    const r = s.predictions.find((p) => p.laws === PAPER_LAWS_LABEL && p.model.endsWith(model) && p.quantity === quantity)?.ratio;
    return r === null || r === undefined ? "—" : `${fmt(r, 2)}×`;
  };
  return [
    `Table 2 / predicted for M and D is not an error of the laws: the 7B and 67B both trained on 2T tokens, not at Eq. 4's compute-optimal`,
    `split, so even the paper's own laws put Table 2's M at ${ratio(" 7B", "modelScale")} (7B) and ${ratio(" 67B", "modelScale")} (67B) of M_opt, and D at ${ratio(" 7B", "tokens")} and ${ratio(" 67B", "tokens")} of D_opt.`,
  ];
}

function verificationLines(v: HeldOutVerification): string[] {
  const out = [`Held-out check at C = ${sig(v.heldOutCompute)} FLOPs, ${fmt(v.heldOutCompute / Math.max(...(v.fittedBudgets.isoflop ?? v.fittedBudgets.hyperparams ?? [NaN])), 2)}× the largest fitted budget:`];
  if (v.loss) out.push(`  loss predicted ${sig(v.loss.predicted, 4)} ${intervalText(v.loss.interval, 4)}, measured ${sig(v.loss.measured, 4)}: ${v.loss.insideInterval ? "inside" : "outside"} the interval (${percent(Math.abs(v.loss.relativeError))} off)`);
  if (v.hyperparams) out.push(`  the predicted (B, η) run is ${percent(v.hyperparams.predictedRun.excess)} above the grid's best (near-optimal means ≤ ${percent(v.hyperparams.threshold)}): ${v.hyperparams.insideBand ? "near-optimal" : "not near-optimal"}`);
  if (v.modelScale) {
    const p = v.modelScale.parabola;
    const vertex = p && p.status === "ok" ? `; its parabola's M_opt is ${sig(p.vertex)}, the predicted M ${p.predictedInside ? "inside" : "outside"} its near-optimal region` : "";
    out.push(`  the predicted M run is ${percent(v.modelScale.predictedRun.excess)} above the profile's best${vertex}`);
  }
  return out;
}
