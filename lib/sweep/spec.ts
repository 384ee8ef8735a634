import { z } from "zod";
import { backendNameSchema, optimizerSchema, scheduleSchema } from "../train/config";
import { ConfigError, configErrorFromIssues } from "../util/errors";
import { shapeFamilySchema } from "../model/search";

/**
 * A sweep spec: the declarative description of one experiment (`experiments/<name>/spec.ts`
 * exports one as `default`). The schema is the single source of its type, docs and validation;
 * `parseSpec` validates, and `resolveSpec` (lib/sweep/resolve) normalises it once.
 */

const positive = z.number().positive().finite();

/** A law reference: `"deepseek"` (the paper's Eq. 1 and Eq. 4) or a path (from the working directory) to a laws .json, e.g. `scaling fit --json` output. */
export const lawRefSchema = z.string().min(1);

/** `count` log-spaced values from `min` to `max` inclusive. */
export const logRangeSchema = z
  .object({ min: positive, max: positive, count: z.number().int().positive() })
  .strict()
  .refine((r) => r.max >= r.min, { message: "max must be ≥ min", path: ["max"] })
  .refine((r) => r.count > 1 || r.max === r.min, { message: "a range with min < max needs count ≥ 2", path: ["count"] });

/** Values centred on a law's prediction at each budget: prediction × each factor. */
export const centredSchema = z.object({ law: lawRefSchema, factors: z.array(positive).nonempty() }).strict();

/** One grid axis: a log range, values centred on a law, or explicit values. */
export const axisSchema = z.union([
  logRangeSchema,
  centredSchema,
  z.object({ values: z.array(positive).nonempty() }).strict(),
]);
export type AxisSpec = z.infer<typeof axisSchema>;

/** A model scale M per budget (FLOPs/token): one value, one per budget, or a law's M_opt(C) × factor. */
export const modelScaleChoiceSchema = z.union([
  positive,
  z.array(positive).nonempty(),
  z.object({ law: lawRefSchema, factor: positive.default(1) }).strict(),
]);

/**
 * How a target M becomes a shape: a shape family of lib/model/search (head size, aspect ratio d/L,
 * FFN rounding, GQA groups); the spec's `seq` and `vocab` complete it. Default: the tiny family.
 */
export const familySchema = shapeFamilySchema.omit({ seq: true, vocab: true });
export type FamilySpec = z.infer<typeof familySchema>;

/** Batch size B × peak learning rate η grid per budget, at one model scale per budget (Figure 2/3 design). */
export const hyperparamsDesignSchema = z
  .object({
    kind: z.literal("hyperparams"),
    /** M per budget (FLOPs/token). */
    modelScale: modelScaleChoiceSchema,
    /** Batch size axis, in tokens (rounded to whole sequences). */
    batchTokens: axisSchema,
    /** Peak learning-rate axis. */
    learningRate: axisSchema,
  })
  .strict();

/** IsoFLOP profiles (Figure 4 design): per budget, log-spaced M around a centre, D = C/M, B and η from a law. */
export const isoflopDesignSchema = z
  .object({
    kind: z.literal("isoflop"),
    /** Centre of the M grid per budget: a number, one per budget, or a law's M_opt(C). */
    centre: modelScaleChoiceSchema,
    /** The M grid: `count` log-spaced scales spanning `span`× (max/min) around the centre. */
    count: z.number().int().min(2),
    span: z.number().gt(1).finite(),
    /** Law for the batch size and learning rate of every run (default "deepseek"). */
    hyperparams: lawRefSchema.default("deepseek"),
  })
  .strict();

const experimentNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "use lowercase letters, digits, '.', '_' or '-'");

export const sweepSpecSchema = z
  .object({
    /** Experiment name: results land in results/<name>/. */
    name: experimentNameSchema,
    /**
     * Experiments whose stored runs count as this one's where their run keys match: a key hashes the
     * resolved config alone, so a matching key is the same training run. Such runs are neither trained
     * again nor copied; the fits, runs.csv and status read them where they are. Default [].
     */
    reuse: z.array(experimentNameSchema).default([]),
    /** Training corpus (see TrainConfig.corpus). Default "en-prose". */
    corpus: z.string().min(1).default("en-prose"),
    /** tfjs backend of every run. Default "wasm". */
    backend: backendNameSchema.default("wasm"),
    /** Context length l_seq in tokens. Default 64. */
    seq: z.number().int().positive().default(64),
    /** Vocabulary size. Default 256 (bytes). */
    vocab: z.number().int().positive().default(256),
    family: familySchema.default({}),
    /** Compute budgets C in non-embedding training FLOPs (= M·D). */
    budgets: z.array(positive).nonempty(),
    /** Seeds: every cell runs once per seed. Default [0]. */
    seeds: z.array(z.number().int().nonnegative()).nonempty().default([0]),
    schedule: scheduleSchema.optional(),
    /** Optimizer overrides (see TrainConfig.optimizer). */
    optimizer: optimizerSchema.optional(),
    /** Validation windows and points (see TrainConfig.eval). */
    eval: z.object({ windows: z.number().int().positive().optional(), points: z.number().int().nonnegative().optional() }).strict().optional(),
    /** Largest realised-compute deviation from the budget, as a fraction. Default 0.02 (2%). */
    budgetTolerance: z.number().positive().max(0.5).default(0.02),
    design: z.discriminatedUnion("kind", [hyperparamsDesignSchema, isoflopDesignSchema]),
  })
  .strict();

export type SweepSpecInput = z.input<typeof sweepSpecSchema>;
export type SweepSpec = z.infer<typeof sweepSpecSchema>;

/** Validate a spec; throws ConfigError naming the first offending dotted path. */
export function parseSpec(value: unknown, root = "spec"): SweepSpec {
  const parsed = sweepSpecSchema.safeParse(value);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, root);
  const spec = parsed.data;
  const perBudget = (choice: unknown, path: string): void => {
    if (Array.isArray(choice) && choice.length !== spec.budgets.length) {
      throw new ConfigError(
        `${choice.length} values for ${spec.budgets.length} budgets`,
        `${root}.${path}`,
        "give one value per budget, or a single number",
      );
    }
  };
  if (spec.design.kind === "hyperparams") perBudget(spec.design.modelScale, "design.modelScale");
  else perBudget(spec.design.centre, "design.centre");
  spec.reuse.forEach((name, i) => {
    if (name === spec.name) throw new ConfigError(`"${name}" is this spec's own name`, `${root}.reuse[${i}]`, "list other experiments only");
  });
  const sorted = [...spec.budgets].sort((a, b) => a - b);
  sorted.forEach((b, i) => {
    if (i > 0 && b === sorted[i - 1]) {
      throw new ConfigError(`budget ${b} is listed twice`, `${root}.budgets[${spec.budgets.indexOf(b)}]`, "list each budget once");
    }
  });
  return spec;
}
