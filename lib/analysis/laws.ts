import type { FitStatus } from "../fit/types";
import { parseLaws, type LawName, type Laws } from "../laws/lawsFile";
import { lawJson, type HyperparamsAnalysis, type LawJson } from "./hyperparams";
import type { IsoflopAnalysis } from "./isoflop";

/**
 * Fitted laws in the laws-file format of lib/laws/lawsFile (`batch`, `learningRate`, `modelScale`,
 * `tokens`, each `{coefficient, exponent, interval, draws}`), so the file feeds a spec's law
 * reference and `scaling predict --laws FILE`. Provenance rides along as extra keys, which
 * `parseLaws` strips: which experiments and run keys each law came from, and each fit's status.
 */

/** One analysed experiment that contributes laws. */
export interface LawSource {
  readonly experiment: string;
  readonly analysis: HyperparamsAnalysis | IsoflopAnalysis;
}

export interface FittedLaws {
  /** Where each contributing fit came from. */
  readonly sources: readonly { experiment: string; kind: "hyperparams" | "isoflop"; status: FitStatus; keys: readonly string[] }[];
  /** Worst status over the contributing fits. */
  readonly status: FitStatus;
  readonly batch?: LawJson;
  readonly learningRate?: LawJson;
  readonly modelScale?: LawJson;
  readonly tokens?: LawJson;
}

const RANK: Record<FitStatus, number> = { ok: 0, warning: 1, failed: 2 };

/** The laws of every source that has a fit; null when none has. A later source's law replaces an earlier one's. */
export function fittedLaws(sources: readonly LawSource[]): FittedLaws | null {
  const laws: Partial<Record<LawName, LawJson>> = {};
  const used: FittedLaws["sources"][number][] = [];
  for (const { experiment, analysis } of sources) {
    if (!analysis.fit) continue;
    if (analysis.kind === "hyperparams") {
      laws.batch = lawJson(analysis.fit.batch);
      laws.learningRate = lawJson(analysis.fit.learningRate);
    } else {
      laws.modelScale = lawJson(analysis.fit.modelScale);
      laws.tokens = lawJson(analysis.fit.tokens);
    }
    used.push({ experiment, kind: analysis.kind, status: analysis.fit.status, keys: analysis.keys });
  }
  if (used.length === 0) return null;
  const status = used.reduce<FitStatus>((s, u) => (RANK[u.status] > RANK[s] ? u.status : s), "ok");
  return { sources: used, status, ...laws };
}

/** The laws a prediction uses (validated, provenance stripped). */
export function lawsOf(fitted: FittedLaws): Laws {
  return parseLaws(JSON.parse(JSON.stringify(fitted)), "fitted laws");
}
