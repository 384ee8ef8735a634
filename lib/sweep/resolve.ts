import { z } from "zod";
import { ConfigError } from "../util/errors";
import { lawsSchema, type LawName, type Laws } from "../laws/lawsFile";
import { sweepSpecSchema, type AxisSpec, type SweepSpec } from "./spec";

/**
 * Normalise once: a validated spec plus the values of every law it references, deep-frozen. The
 * resolved spec is self-contained (no file is read after this), so expansion is a pure function.
 */

export const resolvedSpecSchema = sweepSpecSchema.extend({
  /** Law values by the reference the spec uses (`"deepseek"` or a file path). */
  laws: z.record(lawsSchema),
});
export type ResolvedSpec = Readonly<z.infer<typeof resolvedSpecSchema>>;

/** Where the spec uses a law: reference, which law of it, and the dotted path of the field. */
export interface LawUse {
  readonly ref: string;
  readonly law: LawName;
  readonly path: string;
}

function axisUse(axis: AxisSpec, law: LawName, path: string): LawUse[] {
  return "law" in axis ? [{ ref: axis.law, law, path: `${path}.law` }] : [];
}

/** Every law reference in a spec, with the field that needs it. */
export function lawUses(spec: SweepSpec): LawUse[] {
  const d = spec.design;
  const scaleUse = (choice: unknown, path: string): LawUse[] =>
    choice && typeof choice === "object" && !Array.isArray(choice) && "law" in choice
      ? [{ ref: (choice as { law: string }).law, law: "modelScale", path: `${path}.law` }]
      : [];
  if (d.kind === "hyperparams") {
    return [
      ...scaleUse(d.modelScale, "design.modelScale"),
      ...axisUse(d.batchTokens, "batch", "design.batchTokens"),
      ...axisUse(d.learningRate, "learningRate", "design.learningRate"),
    ];
  }
  return [
    ...scaleUse(d.centre, "design.centre"),
    { ref: d.hyperparams, law: "batch", path: "design.hyperparams" },
    { ref: d.hyperparams, law: "learningRate", path: "design.hyperparams" },
  ];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.values(value as object).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** The frozen, fully resolved spec; throws ConfigError when a referenced law lacks the needed field. */
export function resolveSpec(spec: SweepSpec, laws: Readonly<Record<string, Laws>>, root = "spec"): ResolvedSpec {
  const used: Record<string, Laws> = {};
  for (const use of lawUses(spec)) {
    const found = laws[use.ref];
    if (!found) throw new ConfigError(`law "${use.ref}" was not loaded`, `${root}.${use.path}`, 'use "deepseek" or a fitted-laws JSON path');
    if (!found[use.law]) {
      throw new ConfigError(`law "${use.ref}" has no ${use.law} law`, `${root}.${use.path}`, `fit ${use.law} first, or use "deepseek"`);
    }
    used[use.ref] = found;
  }
  return deepFreeze(structuredClone({ ...spec, laws: used }));
}
