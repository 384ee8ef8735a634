import { z } from "zod";
import { ConfigError, configErrorFromIssues } from "../util/errors";
import { DEEPSEEK_EQ1, DEEPSEEK_EQ4 } from "./published";

/**
 * A "laws" object: the power laws y = coefficient · C^exponent (C in non-embedding training FLOPs)
 * that a prediction uses. Extra keys (a fit's `budgets`, `status`, `r2`, `dropped`, …) are allowed
 * and dropped, so the `--json` output of `scaling fit hyperparams` and `scaling fit isoflop`,
 * alone or merged, is a valid laws file.
 */

const finite = z.number().finite();
const range = z.tuple([finite, finite]).refine(([lo, hi]) => lo <= hi, "interval must be [low, high] with low ≤ high");

export const powerLawSpecSchema = z
  .object({
    /** y at C = 1 (must be > 0). */
    coefficient: z.number().positive().finite(),
    exponent: finite,
    /** Interval of each parameter; predictions take the box corners as their interval. */
    interval: z.object({ coefficient: range, exponent: range }).optional(),
    /** Paired bootstrap draws; predictions take the percentile interval of y over the draws. */
    draws: z
      .object({ coefficient: z.array(finite), exponent: z.array(finite) })
      .refine((d) => d.coefficient.length === d.exponent.length, "draws.coefficient and draws.exponent must be paired (same length)")
      .optional(),
    /** Per draw, a new budget's ln offset from the law (paired with `draws`): the prediction interval's draws. */
    predictionDraws: z.array(finite).optional(),
  })
  .strip()
  .refine((l) => !l.predictionDraws || (l.draws !== undefined && l.draws.exponent.length === l.predictionDraws.length), "predictionDraws must be paired with draws (same length)");

export type PowerLawSpec = z.infer<typeof powerLawSpecSchema>;

export const lawsSchema = z
  .object({
    /** B_opt(C), batch size in tokens. */
    batch: powerLawSpecSchema.optional(),
    /** η_opt(C), peak learning rate. */
    learningRate: powerLawSpecSchema.optional(),
    /** M_opt(C), non-embedding FLOPs per token. */
    modelScale: powerLawSpecSchema.optional(),
    /** D_opt(C), training tokens. */
    tokens: powerLawSpecSchema.optional(),
  })
  .strip()
  .refine((l) => l.batch || l.learningRate || l.modelScale || l.tokens, "a laws object needs at least one of batch, learningRate, modelScale, tokens");

export type Laws = z.infer<typeof lawsSchema>;
export type LawName = "batch" | "learningRate" | "modelScale" | "tokens";

const pick = ({ coefficient, exponent }: { coefficient: number; exponent: number }): PowerLawSpec => ({ coefficient, exponent });

/** DeepSeek Eq. 1 and Eq. 4 as a laws object (no intervals: the paper publishes none). */
export const deepseekLaws: Laws = Object.freeze({
  batch: pick(DEEPSEEK_EQ1.batch),
  learningRate: pick(DEEPSEEK_EQ1.learningRate),
  modelScale: pick(DEEPSEEK_EQ4.modelScale),
  tokens: pick(DEEPSEEK_EQ4.tokens),
});

/** Named laws `--laws` accepts besides a file path. */
export const NAMED_LAWS: Readonly<Record<string, Laws>> = Object.freeze({ deepseek: deepseekLaws });

/** Validate a parsed JSON value as laws; errors name `source` and the dotted field. */
export function parseLaws(value: unknown, source = "laws"): Laws {
  const parsed = lawsSchema.safeParse(value);
  if (!parsed.success) throw configErrorFromIssues(parsed.error.issues, source);
  return parsed.data;
}

/**
 * Laws by name ("deepseek") or from a JSON file. Reading is the caller's (an edge: the CLI passes
 * a file reader), so this module stays pure. Anything that is neither a name nor a `.json` path is
 * an unknown name, reported against `--laws` with the choices.
 */
export function loadLaws(nameOrPath: string, readText: (path: string) => string): Laws {
  const named = NAMED_LAWS[nameOrPath];
  if (named) return named;
  if (!/\.json$/i.test(nameOrPath)) {
    throw new ConfigError(
      `unknown laws "${nameOrPath}"`,
      "--laws",
      `use one of ${Object.keys(NAMED_LAWS).join(", ")} or a path to a .json laws file`,
    );
  }
  const text = readText(nameOrPath);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`not valid JSON (${(err as Error).message})`, `--laws ${nameOrPath}`, "fix the file or pass --laws deepseek");
  }
  return parseLaws(value, nameOrPath);
}
