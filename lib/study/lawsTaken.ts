import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { powerLawSpecSchema, type LawName, type Laws, type PowerLawSpec } from "../laws/lawsFile";
import { toJson } from "../analysis/write";
import { writeFileAtomic } from "../sweep/store";
import { ConfigError } from "../util/errors";
import type { LawChoice } from "./stages";

/**
 * What a stage was trained with: its law choices and the values of the laws it took from earlier
 * stages, written beside its runs (`results/<exp>/laws-taken.json`) whenever the stage trains. A
 * refit plans the stage with these, so refitting an earlier stage (more seeds, another fitter) never
 * silently orphans the runs of the stages that took its laws: they keep their fits and are reported
 * stale, with how far the laws moved, and `scaling study` retrains them under the new laws.
 * The file is a valid laws file (the choices ride along as an extra key), so a refit's spec can
 * reference it like any laws file.
 */

export const LAWS_TAKEN_FILE = "laws-taken.json";

const LAW_NAMES: readonly LawName[] = ["batch", "learningRate", "modelScale", "tokens"];

const choiceSchema = z.object({ law: z.enum(["batch", "learningRate", "modelScale", "tokens"]), source: z.enum(["fitted", "spec"]), ref: z.string(), reason: z.string() }).strict();

const lawsTakenSchema = z
  .object({
    choices: z.array(choiceSchema),
    batch: powerLawSpecSchema.optional(),
    learningRate: powerLawSpecSchema.optional(),
    modelScale: powerLawSpecSchema.optional(),
    tokens: powerLawSpecSchema.optional(),
  })
  .strict();

export type LawsTaken = z.infer<typeof lawsTakenSchema>;

/** A stage refitted under the laws it was trained with, whose plan under the current laws differs. */
export interface StaleStage {
  /** Runs the current laws plan, and how many of them are stored. */
  readonly plannedNow: number;
  readonly storedNow: number;
  /** Per law taken: the largest factor between the laws trained with and the current ones over the stage's budgets. */
  readonly shift: Partial<Record<LawName, number>>;
}

export const lawsTakenPath = (root: string, experiment: string): string => join(root, experiment, LAWS_TAKEN_FILE);

/**
 * The fitted laws a stage takes, by value, from the laws its resolved spec read (`laws` by reference).
 * D_opt rides with M_opt: the held-out verification predicts D from the file M came from.
 */
export function takenLaws(choices: readonly LawChoice[], laws: Readonly<Record<string, Laws>>): Partial<Record<LawName, PowerLawSpec>> {
  const out: Partial<Record<LawName, PowerLawSpec>> = {};
  for (const c of choices) {
    if (c.source !== "fitted") continue;
    const file = laws[c.ref];
    const value = file?.[c.law];
    if (!value) throw new ConfigError(`no ${c.law} law in ${c.ref}`, c.law, "refit the stage that provides it");
    out[c.law] = value;
    if (c.law === "modelScale" && file.tokens) out.tokens = file.tokens;
  }
  return out;
}

export function writeLawsTaken(root: string, experiment: string, choices: readonly LawChoice[], laws: Readonly<Record<string, Laws>>): string {
  const path = lawsTakenPath(root, experiment);
  writeFileAtomic(path, toJson({ choices: [...choices], ...takenLaws(choices, laws) } satisfies LawsTaken));
  return path;
}

/** The stage's recorded choices with every fitted law pointed at the file itself; null when the stage never trained here. */
export function readLawsTaken(root: string, experiment: string): { readonly path: string; readonly choices: LawChoice[] } | null {
  const path = lawsTakenPath(root, experiment);
  if (!existsSync(path)) return null;
  const parsed = lawsTakenSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new ConfigError(`${path} is not a laws-taken file: ${parsed.error.issues[0]?.message ?? "invalid"}`, path, "delete it; `scaling study` writes it again when the stage trains");
  const choices = parsed.data.choices.map((c) => (c.source === "fitted" ? { ...c, ref: path, reason: `${c.reason} (as taken when the stage was trained: ${LAWS_TAKEN_FILE})` } : c));
  return { path, choices };
}

/**
 * Per law both plans take: the largest factor between the two laws' values over `budgets`
 * (≥ 1; 1 when identical). The paper's law stands in for a law taken from the spec.
 */
export function lawShift(
  before: Partial<Record<LawName, PowerLawSpec>>,
  after: Partial<Record<LawName, PowerLawSpec>>,
  budgets: readonly number[],
): Partial<Record<LawName, number>> {
  const out: Partial<Record<LawName, number>> = {};
  for (const law of LAW_NAMES) {
    const a = before[law], b = after[law];
    if (!a || !b) continue;
    out[law] = Math.max(...budgets.map((c) => Math.exp(Math.abs(Math.log((b.coefficient * c ** b.exponent) / (a.coefficient * c ** a.exponent))))));
  }
  return out;
}
