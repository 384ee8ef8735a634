import { join, resolve } from "node:path";
import { analyzeRecords, type ExperimentAnalysis } from "../analysis/experiment";
import { fittedLaws, lawsOf } from "../analysis/laws";
import { meanOverSeeds, pointsByKind } from "../analysis/points";
import { importSpecValue, resolveSpecValue } from "../analysis/study";
import { toJson, writeAnalysis, type WrittenAnalysis } from "../analysis/write";
import { NEAR_OPTIMAL_THRESHOLD } from "../fit/nearOptimal";
import type { RunPoint } from "../fit/types";
import { deepseekLaws, type LawName, type Laws } from "../laws/lawsFile";
import { estimateSweep, type CostCoefficients, type SweepEstimate } from "../sweep/estimate";
import { groupPlans } from "../sweep/group";
import { expandSpec } from "../sweep/expand";
import type { ProgressState } from "../sweep/progress";
import { runSweep, type SweepSummary } from "../sweep/runner";
import { parseSpec } from "../sweep/spec";
import type { ResolvedSpec } from "../sweep/resolve";
import { writeRunsCsv } from "../sweep/export";
import { readRecordsOf, writeFileAtomic } from "../sweep/store";
import { ConfigError } from "../util/errors";
import { chooseLaws, HELD_OUT_MIN_FACTOR, STUDY_STAGES, substituteLaws, type LawChoice, type ProvidedLaws, type StageDef, type StageName } from "./stages";
import { lawShift, readLawsTaken, takenLaws, writeLawsTaken, type StaleStage } from "./lawsTaken";
import { seedNoise, type SeedNoise } from "./noise";
import { studyReport } from "./report";
import { studySummary, type StudySummary } from "./summary";
import { verifyHeldOut, type HeldOutVerification } from "./verification";

/**
 * `scaling study`: the stages of lib/study/stages in order, each through the resumable sweep
 * runner (finished runs are reused, so an interrupted study resumes where it stopped). After each
 * stage its runs are refitted and its fits, laws file and figures written, so the next stage's
 * batch, learning rate and M_opt come from the fitted laws (Eq. 1/4 only when a fit failed, said in
 * stages.json). At the end: results/<study>/{stages,laws,verification,summary}.json and
 * README.md, their tables in Markdown.
 */

export type StudyMode = "train" | "refit" | "plan";

export interface StudyConfig {
  /** Spec value per stage. Default: the default export of experiments/<stage experiment>/spec.ts. */
  readonly specs?: Readonly<Partial<Record<StageName, unknown>>>;
  /** Results root. Default "results". */
  readonly resultsDir?: string;
  /** Folder under the results root for the study files. Default "study". */
  readonly studyName?: string;
  /** "train" (default): run sweeps; "refit": train nothing, refit and redraw everything; "plan": train and write nothing. */
  readonly mode?: StudyMode;
  /** Train only this stage; the others are refitted from their stored runs. Default: every stage. */
  readonly stage?: StageName;
  /** Worker processes per sweep. Default: one per core. */
  readonly workers?: number;
  /** Bootstrap resamples per law. Default 1000. */
  readonly resamples?: number;
  /** Seconds of worker silence before a run is killed as stalled. Default 600 (lib/sweep/runner). */
  readonly stallSeconds?: number;
  /** PNG next to every SVG figure. Default true. */
  readonly png?: boolean;
  /** Cost model for `mode: "plan"` (lib/sweep/calibrate). Required there. */
  readonly cost?: CostCoefficients;
  readonly log?: (line: string) => void;
  readonly onProgress?: (experiment: string, state: ProgressState) => void;
  readonly signal?: AbortSignal;
}

export interface StageOutcome {
  readonly stage: StageName;
  readonly experiment: string;
  /** The choices this stage's runs were planned with: its laws-taken.json when refitted, the current fits when trained or planned. */
  readonly lawChoices: readonly LawChoice[];
  /** Laws by value as this stage's plan used them (fitted or the paper's), for the laws it takes. */
  readonly laws: Partial<Laws>;
  /** null when the stage is planned with the current laws, or those plan the same runs. */
  readonly stale: StaleStage | null;
  readonly planned: number;
  /** The planned runs' keys, and the experiments whose stored runs count as this stage's (its spec's `reuse`). */
  readonly keys: readonly string[];
  readonly reuse: readonly string[];
  /** Planned runs with a stored record (reused ones included). */
  readonly stored: number;
  readonly budgets: readonly number[];
  /** null when this stage was not trained in this call. */
  readonly sweep: SweepSummary | null;
  /** Cost estimate of the planned runs not yet finished (plan mode only). */
  readonly estimate: SweepEstimate | null;
  readonly analysis: ExperimentAnalysis;
  /** Seeds of one configuration, for a laws stage the mean over them (as the fits see it); every run for the noise stage. */
  readonly points: Readonly<Record<"hyperparams" | "isoflop", RunPoint[]>>;
  /** The loss's seed-to-seed spread over this stage's repeated configurations (every stage that has any). */
  readonly seedNoise: SeedNoise;
  readonly written: WrittenAnalysis | null;
}

export interface StudyResult {
  readonly stages: readonly StageOutcome[];
  readonly verification: HeldOutVerification | null;
  readonly summary: StudySummary | null;
  readonly files: Readonly<Record<string, string>>;
  readonly interrupted: boolean;
}

/** Spec values of every stage, validated up front (so a typo fails before hours of training), with the held-out check. */
async function stageSpecs(config: StudyConfig): Promise<Record<StageName, unknown>> {
  const values = {} as Record<StageName, unknown>;
  for (const def of STUDY_STAGES) values[def.name] = config.specs?.[def.name] ?? (await importSpecValue(def.experiment));
  const parsed = Object.fromEntries(STUDY_STAGES.map((d) => [d.name, parseSpec(values[d.name], `specs.${d.name}`)])) as Record<StageName, ReturnType<typeof parseSpec>>;
  const largestFitted = Math.max(...parsed.isoflop.budgets);
  for (const name of ["verify", "verify-scale"] as const) {
    parsed[name].budgets.forEach((b, i) => {
      if (b < HELD_OUT_MIN_FACTOR * largestFitted) {
        throw new ConfigError(`held-out budget ${b.toExponential(2)} is under ${HELD_OUT_MIN_FACTOR}× the largest IsoFLOP budget ${largestFitted.toExponential(2)}`, `specs.${name}.budgets[${i}]`, `use a budget ≥ ${(HELD_OUT_MIN_FACTOR * largestFitted).toExponential(2)}`);
      }
    });
  }
  if (parsed.verify.budgets.join() !== parsed["verify-scale"].budgets.join()) {
    throw new ConfigError("verify and verify-scale have different budgets", "specs.verify-scale.budgets", "give both held-out stages the same budget");
  }
  return values;
}

function provided(outcome: StageOutcome, root: string): ProvidedLaws {
  const a = outcome.analysis.hyperparams ?? outcome.analysis.isoflop;
  const fit = a?.fit ?? null;
  const note = fit ? fit.warnings[0] : (a?.error ?? "no runs");
  return { status: fit?.status ?? null, file: resolve(root, outcome.experiment, "fits", "laws.json"), ...(note ? { note } : {}) };
}

/** The laws a stage's plan uses, by value: the fitted file's where chosen, the paper's otherwise. */
function lawsOfPlan(choices: readonly LawChoice[], spec: ResolvedSpec): Partial<Laws> {
  const fitted = takenLaws(choices, spec.laws);
  const out: Partial<Laws> = {};
  for (const c of choices) {
    out[c.law] = fitted[c.law] ?? deepseekLaws[c.law];
    if (c.law === "modelScale") out.tokens = fitted.tokens ?? deepseekLaws.tokens;
  }
  return out;
}

/**
 * Trained (or planned) stages take the current fits. Refitted ones take what they were trained with
 * (lib/study/lawsTaken); `staleNow` is the current fits' plan when it differs from that.
 */
function planStage(def: StageDef, value: unknown, current: readonly LawChoice[], root: string, fresh: boolean) {
  const at = `specs.${def.name}`;
  const plan = (choices: readonly LawChoice[]) => {
    const spec = resolveSpecValue(substituteLaws(value, choices, at), at);
    return { choices, spec, runs: expandSpec(spec).runs, laws: lawsOfPlan(choices, spec) };
  };
  const now = plan(current);
  const taken = fresh || current.length === 0 ? null : readLawsTaken(root, now.spec.name);
  if (!taken) return { ...now, staleNow: null };
  const then = plan(taken.choices);
  const keys = new Set(then.runs.map((r) => r.key));
  if (now.runs.length === then.runs.length && now.runs.every((r) => keys.has(r.key))) return { ...then, staleNow: null };
  return { ...then, staleNow: { runs: now.runs, shift: lawShift(then.laws, now.laws, now.spec.budgets) } };
}

async function runStage(def: StageDef, value: unknown, current: readonly LawChoice[], config: StudyConfig, root: string): Promise<StageOutcome> {
  const mode = config.mode ?? "train";
  const train = mode === "train" && (config.stage === undefined || config.stage === def.name);
  const { choices, spec, runs, laws, staleNow } = planStage(def, value, current, root, train || mode === "plan");
  let sweep: SweepSummary | null = null;
  if (train) {
    if (choices.length > 0) writeLawsTaken(root, spec.name, choices, spec.laws);
    config.log?.(`${def.name} (${spec.name}): ${runs.length} runs, finished ones are reused`);
    sweep = await runSweep(runs, {
      resultsDir: root,
      ...(config.workers !== undefined ? { workers: config.workers } : {}),
      ...(config.stallSeconds !== undefined ? { stallSeconds: config.stallSeconds } : {}),
      ...(config.signal ? { signal: config.signal } : {}),
      ...(config.onProgress ? { onProgress: (s: ProgressState) => config.onProgress!(spec.name, s) } : {}),
    });
  }
  // Only this plan's runs: records of an earlier plan (other laws) under the same name are not fitted.
  const planned = new Set(runs.map((r) => r.key));
  const stored = readRecordsOf(root, spec.name, spec.reuse).records;
  const records = stored.filter((r) => planned.has(r.key));
  const storedKeys = new Set(stored.map((r) => r.key));
  const stale: StaleStage | null = staleNow && { plannedNow: staleNow.runs.length, storedNow: staleNow.runs.filter((r) => storedKeys.has(r.key)).length, shift: staleNow.shift };
  // A plan prices what `study` would train now: the runs without a finished record.
  const finished = new Set(records.filter((r) => r.status !== "failed").map((r) => r.key));
  const toTrain = runs.filter((r) => !finished.has(r.key));
  const estimate = mode === "plan" && config.cost ? estimateSweep(toTrain, config.cost, config.workers ?? 2, groupPlans(toTrain, { workers: config.workers ?? 2 })) : null;
  // A noise stage's repeated seeds are measured by lib/study/noise, not fitted as laws.
  const analysis = analyzeRecords(spec.name, def.kind === "laws" ? records : [], config.resamples !== undefined ? { resamples: config.resamples } : {});
  const written = mode !== "plan" && def.kind === "laws" && records.length > 0 ? writeAnalysis(root, analysis, config.png === false ? { png: false } : {}) : null;
  // runs.csv beside the records, the `scaling fit` contract, so every table can be re-derived outside the study.
  if (mode !== "plan" && records.length > 0) writeRunsCsv(root, spec.name, records);
  // The noise stage needs every seed; the others compare configurations (seeds averaged, as in the fits).
  const perRun = pointsByKind(records);
  const points = def.kind === "noise" ? perRun : { hyperparams: meanOverSeeds(perRun.hyperparams), isoflop: meanOverSeeds(perRun.isoflop) };
  const noise = seedNoise([...perRun.hyperparams, ...perRun.isoflop], NEAR_OPTIMAL_THRESHOLD);
  return { stage: def.name, experiment: spec.name, lawChoices: choices, laws, stale, planned: runs.length, keys: [...planned].sort(), reuse: spec.reuse, stored: records.length, budgets: spec.budgets, sweep, estimate, analysis, points, seedNoise: noise, written };
}

/** Relative difference under which a taken law and the current fit are the same law (JSON round trip of the same fit). */
const SAME_LAW_REL = 1e-9;

/**
 * The laws the held-out stage was planned with: fitted where it chose them, the paper's otherwise (D follows M).
 * Where the current fit is the same law (a refit changes intervals, not point estimates), its draws judge the
 * check, so the held-out budget is compared with the intervals the fits now give (prediction intervals included).
 */
function usedLaws(stage: StageOutcome, current: Laws | null): { laws: Laws; sources: Record<string, string> } {
  const source = (law: LawName): "fitted" | "deepseek" => (stage.lawChoices.find((c) => c.law === law)?.source === "fitted" ? "fitted" : "deepseek");
  const sources: Record<LawName, "fitted" | "deepseek"> = { batch: source("batch"), learningRate: source("learningRate"), modelScale: source("modelScale"), tokens: source("modelScale") };
  const same = (a: { coefficient: number; exponent: number }, b: { coefficient: number; exponent: number }): boolean =>
    Math.abs(a.coefficient / b.coefficient - 1) < SAME_LAW_REL && Math.abs(a.exponent - b.exponent) < SAME_LAW_REL * Math.max(1, Math.abs(b.exponent));
  const lawOf = (k: LawName): Laws[LawName] => {
    const taken = stage.laws[k] ?? deepseekLaws[k];
    const now = current?.[k];
    return sources[k] === "fitted" && taken && now && same(taken, now) ? now : taken;
  };
  const laws = Object.fromEntries((Object.keys(sources) as LawName[]).map((k) => [k, lawOf(k)])) as Laws;
  return { laws, sources };
}

export async function runStudy(config: StudyConfig = {}): Promise<StudyResult> {
  const root = config.resultsDir ?? "results";
  if ((config.mode ?? "train") === "plan" && !config.cost) throw new Error("runStudy: mode \"plan\" needs config.cost");
  const values = await stageSpecs(config);
  const outcomes: Partial<Record<StageName, StageOutcome>> = {};
  for (const def of STUDY_STAGES) {
    const given = Object.fromEntries(Object.entries(outcomes).map(([k, o]) => [k, provided(o, root)]));
    const choices = chooseLaws(def, given);
    for (const c of choices) config.log?.(`${def.name}: ${c.law} from ${c.source === "fitted" ? c.ref : "DeepSeek Eq. 1/4"} — ${c.reason}`);
    const outcome = await runStage(def, values[def.name], choices, config, root);
    outcomes[def.name] = outcome;
    if (outcome.sweep?.interrupted) return { stages: Object.values(outcomes), verification: null, summary: null, files: {}, interrupted: true };
  }
  const o = outcomes as Record<StageName, StageOutcome>;
  const combined = fittedLaws([o.hyperparams, o.isoflop].flatMap((s) => { const a = s.analysis.hyperparams ?? s.analysis.isoflop; return a ? [{ experiment: s.experiment, analysis: a }] : []; }));
  const fitted = combined ? lawsOf(combined) : null;
  const { laws, sources } = usedLaws(o.verify, fitted);
  const verification = verifyHeldOut({
    heldOutCompute: Math.max(...o.verify.budgets),
    laws,
    lawSources: sources,
    lossCurve: o.isoflop.analysis.isoflop?.lossCurve ?? null,
    fittedBudgets: { hyperparams: o.hyperparams.budgets, isoflop: o.isoflop.budgets },
    gridPoints: o.verify.points.hyperparams,
    scalePoints: o["verify-scale"].points.isoflop,
  });
  const summary = studySummary({
    hyperparams: { experiment: o.hyperparams.experiment, analysis: o.hyperparams.analysis.hyperparams },
    isoflop: { experiment: o.isoflop.experiment, analysis: o.isoflop.analysis.isoflop },
    isoflopCode: { experiment: o["isoflop-code"].experiment, analysis: o["isoflop-code"].analysis.isoflop },
    fittedLaws: fitted,
    noise: o.noise.seedNoise,
    gridNoise: o.hyperparams.seedNoise,
  });
  const stages = STUDY_STAGES.map((d) => o[d.name]);
  if (config.mode === "plan") return { stages, verification, summary, files: {}, interrupted: false };
  const dir = join(root, config.studyName ?? "study");
  const files: Record<string, string> = { stages: join(dir, "stages.json"), verification: join(dir, "verification.json"), summary: join(dir, "summary.json") };
  const stagesJson = stages.map((s) => ({ stage: s.stage, experiment: s.experiment, reuse: s.reuse, budgets: s.budgets, planned: s.planned, recorded: s.stored, lawChoices: s.lawChoices, stale: s.stale, sweep: s.sweep, keys: s.keys }));
  writeFileAtomic(files.stages!, toJson(stagesJson));
  if (combined) writeFileAtomic((files.laws = join(dir, "laws.json")), toJson(combined));
  writeFileAtomic(files.verification!, toJson(verification));
  writeFileAtomic(files.summary!, toJson(summary));
  writeFileAtomic((files.report = join(dir, "README.md")), studyReport(summary, verification, stages.map((s) => ({ stage: s.stage, experiment: s.experiment, planned: s.planned, stored: s.stored, takes: s.lawChoices.map((c) => `${c.law}: ${c.source}`), stale: s.stale }))));
  return { stages, verification, summary, files, interrupted: false };
}
