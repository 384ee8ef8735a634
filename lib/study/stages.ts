import type { LawName } from "../laws/lawsFile";
import { ConfigError } from "../util/errors";

/**
 * The study of DeepSeek LLM §3 (arXiv 2401.02954) as data: its stages in order, which experiment
 * spec each trains, and which fitted laws each takes from earlier stages. Committed specs reference
 * "deepseek" (so they parse before any fit exists); `substituteLaws` swaps in the fitted laws file
 * of an earlier stage, field by field, when that fit is usable (ok or warning). Pure: no files are read here.
 *
 * Why a fit with warnings is still used: the paper's Eq. 1/4 were fitted at 1e17–1e20 FLOPs, so at this
 * study's budgets they are a 6–9-decade extrapolation, while a fitted law with wide intervals is an
 * interpolation over the very budgets the next stage trains at (measured here: Eq. 1's batch size is
 * 2–4× the best stage-1 batch at 3e10–1e12). And the held-out stages exist to test the fitted laws,
 * whatever their status. Only a failed fit, or none, falls back to the spec's law.
 */

export const STAGE_NAMES = ["hyperparams", "isoflop", "isoflop-code", "verify", "verify-scale", "noise"] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** Where a law comes from: the stage whose fit provides it (B and η from stage 1, M_opt from the prose IsoFLOP). */
export const LAW_PROVIDER: Readonly<Partial<Record<LawName, StageName>>> = Object.freeze({ batch: "hyperparams", learningRate: "hyperparams", modelScale: "isoflop" });

export interface StageDef {
  readonly name: StageName;
  /** Experiment under experiments/ (its spec.ts) and results/. */
  readonly experiment: string;
  /** Laws this stage takes from earlier fits (when usable: ok or warning); the rest stay as the spec says. */
  readonly takes: readonly LawName[];
  /** "laws": its runs are fitted (fits/, laws.json, figures); "noise": repeated seeds, measured by lib/study/noise only. */
  readonly kind: "laws" | "noise";
  readonly summary: string;
}

export const STUDY_STAGES: readonly StageDef[] = Object.freeze([
  { name: "hyperparams", experiment: "study-hyperparams", takes: [], kind: "laws", summary: "B × η grid around Eq. 1 → B_opt(C), η_opt(C)" },
  { name: "isoflop", experiment: "study-isoflop", takes: ["batch", "learningRate"], kind: "laws", summary: "IsoFLOP profiles (en-prose), fitted B and η → M_opt(C), D_opt(C), L(C)" },
  { name: "isoflop-code", experiment: "study-isoflop-code", takes: ["batch", "learningRate"], kind: "laws", summary: "the same IsoFLOP design on ts-code" },
  { name: "verify", experiment: "study-verify", takes: ["batch", "learningRate", "modelScale"], kind: "laws", summary: "held-out budget: B × η grid at the predicted M_opt" },
  { name: "verify-scale", experiment: "study-verify-scale", takes: ["batch", "learningRate", "modelScale"], kind: "laws", summary: "held-out budget: M around the predicted M_opt at the predicted B, η" },
  { name: "noise", experiment: "study-noise", takes: [], kind: "noise", summary: "repeated seeds at fixed (M, B, η) → the loss's seed-to-seed spread vs the 0.25% threshold" },
] satisfies StageDef[]);

/** The held-out budget must be at least this many times the largest fitted IsoFLOP budget (issue: "≥ 3× above"). */
export const HELD_OUT_MIN_FACTOR = 3;

export function stageByName(name: string, flag = "--stage"): StageDef {
  const found = STUDY_STAGES.find((s) => s.name === name);
  if (!found) throw new ConfigError(`unknown stage "${name}"`, flag, `use one of ${STAGE_NAMES.join(", ")}`);
  return found;
}

/** Where one law of a stage came from, and why. */
export interface LawChoice {
  readonly law: LawName;
  readonly source: "fitted" | "spec";
  /** The law reference the stage's spec used: a laws-file path, or the spec's own (e.g. "deepseek"). */
  readonly ref: string;
  readonly reason: string;
}

/** One earlier stage's fit as the law choice needs it. */
export interface ProvidedLaws {
  /** Fit status, or null when nothing could be fitted. */
  readonly status: "ok" | "warning" | "failed" | null;
  /** Path of the stage's laws file (results/<exp>/fits/laws.json). */
  readonly file: string;
  /** Why there is no fit, or the first warning. */
  readonly note?: string;
}

/** Per law a stage takes: the fitted file when its provider's fit is `ok` or `warning`, else the spec's own reference, with the reason. */
export function chooseLaws(stage: StageDef, provided: Readonly<Partial<Record<StageName, ProvidedLaws>>>): LawChoice[] {
  return stage.takes.map((law) => {
    const provider = LAW_PROVIDER[law] as StageName;
    const p = provided[provider];
    const experiment = STUDY_STAGES.find((s) => s.name === provider)!.experiment;
    if (p?.status === "ok") return { law, source: "fitted", ref: p.file, reason: `the fit of ${experiment} is ok` };
    if (p?.status === "warning") return { law, source: "fitted", ref: p.file, reason: `the fit of ${experiment} has status warning (${p.note ?? "see its fits/"}); used, since Eq. 1/4 would be extrapolated over 6+ decades to these budgets` };
    const why = !p ? `${experiment} has not been analysed` : p.status === null ? `${experiment} has no fit (${p.note ?? "no runs"})` : `the fit of ${experiment} has status ${p.status} (${p.note ?? "see its fits/"})`;
    return { law, source: "spec", ref: "deepseek", reason: `${why}, so the spec's law (DeepSeek Eq. 1/4) is kept` };
  });
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A copy of a spec value whose law references for the chosen laws point at the fitted files. Only
 * `source: "fitted"` choices change anything. An IsoFLOP design takes B and η from one reference, so
 * both must come from the same file (they do: stage 1 provides both).
 */
export function substituteLaws(specValue: unknown, choices: readonly LawChoice[], root = "spec"): unknown {
  if (!isObj(specValue) || !isObj(specValue.design)) throw new ConfigError("not a spec object with a design", root, "pass the default export of an experiments/<name>/spec.ts");
  const refs: Partial<Record<LawName, string>> = {};
  for (const c of choices) if (c.source === "fitted") refs[c.law] = c.ref;
  const d: Obj = { ...specValue.design };
  const swap = (field: string, law: LawName): void => {
    const v = d[field];
    if (isObj(v) && typeof v.law === "string" && refs[law]) d[field] = { ...v, law: refs[law] };
  };
  if (d.kind === "hyperparams") {
    swap("modelScale", "modelScale");
    swap("batchTokens", "batch");
    swap("learningRate", "learningRate");
  } else if (d.kind === "isoflop") {
    swap("centre", "modelScale");
    if (refs.batch !== refs.learningRate) {
      throw new ConfigError("batch and learning-rate laws come from different files", `${root}.design.hyperparams`, "fit B and η in one hyperparameter stage");
    }
    if (refs.batch) d.hyperparams = refs.batch;
  }
  return { ...specValue, design: d };
}
